"""``manage.py teamleader_sync [contacts companies deals …] [--full]``: bring the mirror up to date."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandError
from django.utils.translation import gettext, gettext_noop, ngettext

from teamleader.exceptions import TeamleaderError

from ....explain import explain
from ....management.base import TranslatedCommand
from ...locks import SyncAlreadyRunning
from ...models import SyncState
from ...progress import Bars, has_tqdm
from ...resources import BY_NAME, resolve
from ...sync import sync_resource


def where_it_stopped(name: str) -> str:
    state = SyncState.objects.filter(resource=name).first()
    pages = state.pass_page if state is not None and state.in_progress else 0
    if not pages:
        return gettext("Nothing of this run was stored yet; run the command again.")
    return ngettext(
        "Stopped after %(pages)s page of 100 were stored; run the command again to continue at page %(next)s.",
        "Stopped after %(pages)s pages of 100 were stored; run the command again to continue at page %(next)s.",
        pages,
    ) % {"pages": pages, "next": pages + 1}


class Command(TranslatedCommand):
    help = gettext_noop(
        "Copy Teamleader records into the mirror: everything on the first run, then only what changed "
        "since the last one. A run that stopped resumes where it was."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "resources",
            nargs="*",
            metavar="RESOURCE",
            help=gettext("What to sync: %(resources)s (default: all, in that order).")
            % {"resources": ", ".join(BY_NAME)},
        )
        parser.add_argument(
            "--full",
            action="store_true",
            help=gettext("Read everything again and remove what Teamleader no longer has."),
        )
        parser.add_argument(
            "--no-progress", action="store_true", help=gettext("No progress bar, only the summary lines.")
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
                    gettext(
                        "%(resource)s: another teamleader_sync is syncing it right now; let it finish "
                        "(a run that was killed releases it at once)."
                    )
                    % {"resource": resource.name}
                ) from err
            except (TeamleaderError, ImproperlyConfigured) as err:
                raise CommandError(
                    f"{resource.name}: {explain(err)}\n{where_it_stopped(resource.name)}"
                ) from err
            self.stdout.write(result.summary())
