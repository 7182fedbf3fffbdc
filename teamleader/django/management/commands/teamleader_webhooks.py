"""``manage.py teamleader_webhooks``: register, list and remove this site's Teamleader webhooks.

With ``teamleader.django.mirror`` installed, also ``register --mirror`` (every event type the
mirror acts on) and ``process [--failed]`` (work through the stored events).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandError
from django.utils.translation import gettext, gettext_noop, ngettext

from teamleader.exceptions import TeamleaderError

from ...client import get_client
from ...explain import explain
from ...webhooks import EVENT_TYPES, MIRROR_APP, check_event_types, mask_secret, webhook_url
from ..base import TranslatedCommand


def require_mirror(action: str) -> None:
    if not apps.is_installed(MIRROR_APP):
        raise CommandError(
            gettext('%(action)s needs "%(app)s" in INSTALLED_APPS (after "teamleader.django").')
            % {"action": action, "app": MIRROR_APP}
        )


class Command(TranslatedCommand):
    help = gettext_noop(
        "Manage Teamleader webhook registrations: 'register' this site's webhook URL for event types, "
        "'list' the registrations, 'unregister' them, or show the valid event 'types'; with the mirror "
        "installed, 'process' the stored events."
    )

    def add_arguments(self, parser: Any) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{register,list,unregister,types,process}"
        )
        helps = {
            "register": gettext("Register a webhook URL for event types."),
            "unregister": gettext("Remove a webhook URL for event types."),
        }
        for name in ("register", "unregister"):
            sub = actions.add_parser(name, help=helps[name])
            where = sub.add_mutually_exclusive_group(required=True)
            where.add_argument(
                "--base-url",
                help=gettext(
                    "This site's address as Teamleader reaches it, e.g. https://crm.example.com; "
                    "the webhook path and TEAMLEADER['WEBHOOK_SECRET'] are added to it."
                ),
            )
            where.add_argument("--url", help=gettext("The full webhook URL."))
            sub.add_argument(
                "types",
                nargs="*",
                metavar="TYPE",
                help=gettext(
                    "Event types such as deal.won (see the 'types' action). Without any, every type "
                    "registered for the URL."
                )
                if name == "unregister"
                else gettext("Event types such as deal.won (see the 'types' action)."),
            )
            if name == "register":
                sub.add_argument(
                    "--mirror",
                    action="store_true",
                    help=gettext(
                        "Add every event type teamleader.django.mirror acts on (contacts, companies, deals)."
                    ),
                )
        actions.add_parser("list", help=gettext("List the registered webhooks."))
        actions.add_parser("types", help=gettext("List the event types a webhook can subscribe to."))
        process = actions.add_parser(
            "process",
            help=gettext(
                "Process the stored webhook events that are pending (needs teamleader.django.mirror)."
            ),
        )
        process.add_argument(
            "--failed", action="store_true", help=gettext("Process the failed events again too.")
        )
        process.add_argument("--limit", type=int, help=gettext("Process at most this many events."))

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
                    raise CommandError(
                        gettext("%(url)s is not an absolute http(s) URL.") % {"url": repr(mask_secret(url))}
                    )
                if url.startswith("http://"):
                    self.stderr.write(
                        self.style.WARNING(
                            gettext("Plain http: the URL and its secret would travel unencrypted.")
                        )
                    )
                if action == "register":
                    self.register(url, self.register_types(options["types"], options["mirror"]))
                else:
                    self.unregister(url, options["types"])
        except (ValueError, ImproperlyConfigured, TeamleaderError) as err:
            raise CommandError(explain(err)) from err

    def register_types(self, types: list[str], mirror: bool) -> list[str]:
        if mirror:
            require_mirror("register --mirror")
            from ...mirror.resources import MIRROR_EVENT_TYPES

            types = [*types, *MIRROR_EVENT_TYPES]
        if not types:
            raise CommandError(
                gettext("Name the event types to register (see the 'types' action), or pass --mirror.")
            )
        return types

    def process(self, *, failed: bool, limit: int | None) -> None:
        require_mirror("process")
        if limit is not None and limit < 1:
            raise CommandError(gettext("--limit must be 1 or more."))
        from ...mirror.events import process_failed, process_pending

        outcome = (process_failed if failed else process_pending)(limit=limit)
        style = self.style.WARNING if outcome.failed else self.style.SUCCESS
        self.stdout.write(
            style(
                ngettext(
                    "Processed %(processed)s event: %(done)s done, %(failed)s failed "
                    "(calls to Teamleader: %(calls)s).",
                    "Processed %(processed)s events: %(done)s done, %(failed)s failed "
                    "(calls to Teamleader: %(calls)s).",
                    outcome.processed,
                )
                % {
                    "processed": outcome.processed,
                    "done": outcome.done,
                    "failed": outcome.failed,
                    "calls": outcome.calls,
                }
            )
        )
        if outcome.failed:
            raise CommandError(
                gettext(
                    "%(failed)s events failed; their error is in the admin's event log. "
                    'Run "%(command)s" to try them again.'
                )
                % {"failed": outcome.failed, "command": "manage.py teamleader_webhooks process --failed"}
            )

    def register(self, url: str, types: list[str]) -> None:
        types = check_event_types(types)
        get_client().webhooks.register(url=url, types=types)
        self.stdout.write(
            self.style.SUCCESS(
                gettext("Registered %(url)s for %(types)s.")
                % {"url": mask_secret(url), "types": ", ".join(types)}
            )
        )

    def unregister(self, url: str, types: list[str]) -> None:
        if types:
            types = check_event_types(types)
        else:
            hooks = get_client().webhooks.list()
            types = next((list(hook.get("types") or []) for hook in hooks if hook.get("url") == url), [])
            if not types:
                raise CommandError(
                    gettext("No webhook is registered for %(url)s.") % {"url": mask_secret(url)}
                )
        get_client().webhooks.unregister(url=url, types=types)
        self.stdout.write(
            self.style.SUCCESS(
                gettext("Unregistered %(url)s for %(types)s.")
                % {"url": mask_secret(url), "types": ", ".join(types)}
            )
        )

    def list_webhooks(self) -> None:
        hooks = get_client().webhooks.list()
        if not hooks:
            self.stdout.write(gettext("No webhooks are registered."))
        for hook in hooks:
            url = str(hook.get("url"))
            shown = mask_secret(url)
            self.stdout.write(shown + ("  " + gettext("(this site's secret)") if shown != url else ""))
            types = ", ".join(hook.get("types") or []) or gettext("(no event types)")
            self.stdout.write(f"    {types}")
