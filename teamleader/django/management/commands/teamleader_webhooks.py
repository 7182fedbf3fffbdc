"""``manage.py teamleader_webhooks``: register, list and remove this site's Teamleader webhooks."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from teamleader.exceptions import TeamleaderError

from ...client import get_client
from ...webhooks import EVENT_TYPES, check_event_types, mask_secret, webhook_url


class Command(BaseCommand):
    help = (
        "Manage Teamleader webhook registrations: 'register' this site's webhook URL for event types, "
        "'list' the registrations, 'unregister' them, or show the valid event 'types'."
    )

    def add_arguments(self, parser: Any) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{register,list,unregister,types}"
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
                nargs="+" if name == "register" else "*",
                metavar="TYPE",
                help="Event types such as deal.won (see the 'types' action)"
                + (". Without any, every type registered for the URL." if name == "unregister" else "."),
            )
        actions.add_parser("list", help="List the registered webhooks.")
        actions.add_parser("types", help="List the event types a webhook can subscribe to.")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "types":
            self.stdout.write("\n".join(EVENT_TYPES))
            return
        try:
            if action == "list":
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
                {"register": self.register, "unregister": self.unregister}[action](url, options["types"])
        except (ValueError, ImproperlyConfigured, TeamleaderError) as err:
            raise CommandError(str(err)) from err

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
