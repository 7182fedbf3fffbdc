"""``manage.py teamleader_webhooks``: register, list and remove this site's Teamleader webhooks.

With ``teamleader.django.mirror`` installed, also ``register --mirror`` (every event type the
mirror acts on) and ``process [--failed]`` (work through the stored events).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from teamleader.exceptions import TeamleaderError

from ...client import get_client
from ...webhooks import EVENT_TYPES, MIRROR_APP, check_event_types, mask_secret, webhook_url


def require_mirror(action: str) -> None:
    if not apps.is_installed(MIRROR_APP):
        raise CommandError(f'{action} needs "{MIRROR_APP}" in INSTALLED_APPS (after "teamleader.django").')


class Command(BaseCommand):
    help = (
        "Manage Teamleader webhook registrations: 'register' this site's webhook URL for event types, "
        "'list' the registrations, 'unregister' them, or show the valid event 'types'; with the mirror "
        "installed, 'process' the stored events."
    )

    def add_arguments(self, parser: Any) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{register,list,unregister,types,process}"
        )
        for name, what in (("register", "Register"), ("unregister", "Remove")):
            sub = actions.add_parser(name, help=f"{what} a webhook URL for event types.")
            where = sub.add_mutually_exclusive_group(required=True)
            where.add_argument(
                "--base-url",
                help="This site's address as Teamleader reaches it, e.g. https://crm.example.com; "
                "the webhook path and TEAMLEADER['WEBHOOK_SECRET'] are added to it.",
            )
            where.add_argument("--url", help="The full webhook URL.")
            sub.add_argument(
                "types",
                nargs="*",
                metavar="TYPE",
                help="Event types such as deal.won (see the 'types' action)"
                + (". Without any, every type registered for the URL." if name == "unregister" else "."),
            )
            if name == "register":
                sub.add_argument(
                    "--mirror",
                    action="store_true",
                    help="Add every event type teamleader.django.mirror acts on (contacts, companies, deals).",
                )
        actions.add_parser("list", help="List the registered webhooks.")
        actions.add_parser("types", help="List the event types a webhook can subscribe to.")
        process = actions.add_parser(
            "process", help="Process the stored webhook events that are pending (needs teamleader.django.mirror)."
        )
        process.add_argument("--failed", action="store_true", help="Process the failed events again too.")
        process.add_argument("--limit", type=int, help="Process at most this many events.")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "types":
            self.stdout.write("\n".join(EVENT_TYPES))
            return
        try:
            if action == "process":
                self.process(failed=options["failed"], limit=options["limit"])
            elif action == "list":
                self.list_webhooks()
            else:
                url = options["url"] or webhook_url(options["base_url"])
                parts = urlsplit(url)
                if parts.scheme not in ("http", "https") or not parts.netloc:
                    raise CommandError(f"{mask_secret(url)!r} is not an absolute http(s) URL.")
                if url.startswith("http://"):
                    self.stderr.write(
                        self.style.WARNING("Plain http: the URL and its secret would travel unencrypted.")
                    )
                if action == "register":
                    self.register(url, self.register_types(options["types"], options["mirror"]))
                else:
                    self.unregister(url, options["types"])
        except (ValueError, ImproperlyConfigured, TeamleaderError) as err:
            raise CommandError(str(err)) from err

    def register_types(self, types: list[str], mirror: bool) -> list[str]:
        if mirror:
            require_mirror("register --mirror")
            from ...mirror.resources import MIRROR_EVENT_TYPES

            types = [*types, *MIRROR_EVENT_TYPES]
        if not types:
            raise CommandError("Name the event types to register (see the 'types' action), or pass --mirror.")
        return types

    def process(self, *, failed: bool, limit: int | None) -> None:
        require_mirror("process")
        if limit is not None and limit < 1:
            raise CommandError("--limit must be 1 or more.")
        from ...mirror.events import process_failed, process_pending

        outcome = (process_failed if failed else process_pending)(limit=limit)
        style = self.style.WARNING if outcome.failed else self.style.SUCCESS
        self.stdout.write(
            style(
                f"Processed {outcome.processed} events: {outcome.done} done, {outcome.failed} failed "
                f"({outcome.calls} calls to Teamleader)."
            )
        )
        if outcome.failed:
            raise CommandError(
                f"{outcome.failed} events failed; their error is in the admin's event log. "
                "Run `teamleader_webhooks process --failed` to try them again."
            )

    def register(self, url: str, types: list[str]) -> None:
        types = check_event_types(types)
        get_client().webhooks.register(url=url, types=types)
        self.stdout.write(self.style.SUCCESS(f"Registered {mask_secret(url)} for {', '.join(types)}."))

    def unregister(self, url: str, types: list[str]) -> None:
        if types:
            types = check_event_types(types)
        else:
            hooks = get_client().webhooks.list()
            types = next((list(hook.get("types") or []) for hook in hooks if hook.get("url") == url), [])
            if not types:
                raise CommandError(f"No webhook is registered for {mask_secret(url)}.")
        get_client().webhooks.unregister(url=url, types=types)
        self.stdout.write(self.style.SUCCESS(f"Unregistered {mask_secret(url)} for {', '.join(types)}."))

    def list_webhooks(self) -> None:
        hooks = get_client().webhooks.list()
        if not hooks:
            self.stdout.write("No webhooks are registered.")
        for hook in hooks:
            url = str(hook.get("url"))
            shown = mask_secret(url)
            self.stdout.write(shown + ("  (this site's secret)" if shown != url else ""))
            self.stdout.write(f"    {', '.join(hook.get('types') or []) or '(no event types)'}")
