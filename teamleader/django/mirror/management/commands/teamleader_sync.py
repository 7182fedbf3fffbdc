"""``manage.py teamleader_sync [contacts companies deals …] [--full]``: bring the mirror up to date."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from teamleader.exceptions import TeamleaderError

from ...locks import SyncAlreadyRunning
from ...models import SyncState
from ...progress import Bars, has_tqdm
from ...resources import BY_NAME, resolve
from ...sync import sync_resource


def where_it_stopped(name: str) -> str:
    state = SyncState.objects.filter(resource=name).first()
    pages = state.pass_page if state is not None and state.in_progress else 0
    if not pages:
        return "Nothing of this run was stored yet; run the command again."
    return (
        f"Stopped after {pages} page{'s' if pages > 1 else ''} of 100 were stored; run the command again "
        f"to continue at page {pages + 1}."
    )


class Command(BaseCommand):
    help = (
        "Copy Teamleader records into the mirror: everything on the first run, then only what changed "
        "since the last one. A run that stopped resumes where it was."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "resources",
            nargs="*",
            metavar="RESOURCE",
            help=f"What to sync: {', '.join(BY_NAME)} (default: all, in that order).",
        )
        parser.add_argument(
            "--full",
            action="store_true",
            help="Read everything again and remove what Teamleader no longer has.",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress bar, only the summary lines."
        )

    def handle(self, *args: Any, resources: list[str], full: bool, no_progress: bool, **options: Any) -> None:
        try:
            chosen = resolve(resources)
        except ValueError as err:
            raise CommandError(str(err)) from err
        show_bar = not no_progress and has_tqdm() and self.stderr.isatty()
        # tqdm redraws with "\r": it needs the raw stream, not OutputWrapper (which adds "\n").
        progress = Bars(self.stderr._out) if show_bar else None  # type: ignore[arg-type]
        for resource in chosen:
            try:
                result = sync_resource(resource, full=full, progress=progress)
            except SyncAlreadyRunning as err:
                raise CommandError(
                    f"{resource.name}: another teamleader_sync is syncing it right now; let it finish "
                    "(a run that was killed releases it at once)."
                ) from err
            except (TeamleaderError, ImproperlyConfigured) as err:
                raise CommandError(f"{resource.name}: {err}\n{where_it_stopped(resource.name)}") from err
            self.stdout.write(result.summary())
