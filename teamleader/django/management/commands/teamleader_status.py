"""``manage.py teamleader_status``: the connection's state, for people and for monitoring."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop, ngettext

from teamleader.connection import CONNECTED, DISCONNECTED, REAUTHORIZATION_NEEDED, ConnectionRecord, status_of

from ... import labels
from ...client import get_client, get_token_backend, settings_problems
from ...conf import TeamleaderImproperlyConfigured, error_message
from ...connect import check_connection
from ...explain import SETUP_COMMAND, explain_problem
from ...rate_limit import get_rate_limiter, rate_limit_settings, shares_budget
from ..base import TranslatedCommand

#: Exit status per state; 3 when it could not tell (Teamleader, the database or the cache unreachable).
EXIT_STATUS = {CONNECTED: 0, REAUTHORIZATION_NEEDED: 1, DISCONNECTED: 2}
UNKNOWN = 3
LABELS = {
    CONNECTED: gettext_lazy("connected"),
    REAUTHORIZATION_NEEDED: gettext_lazy("needs reconnecting"),
    DISCONNECTED: gettext_lazy("not connected"),
}


class Command(TranslatedCommand):
    help = gettext_noop(
        "Show the Teamleader connection: its state, who connected, when the token expires and was last "
        "refreshed, and the rate budget left. Exit status 0 connected, 1 needs reconnecting, 2 not connected, "
        "3 could not tell (database or cache unreachable, or --check could not reach Teamleader)."
    )
    requires_system_checks: list[str] = []  # a monitoring probe must answer even on a half-configured site

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help=gettext("Also call Teamleader (users.me), which updates the state."),
        )
        parser.add_argument(
            "--json", action="store_true", help=gettext("Print one JSON object, for monitoring tools.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        problems = settings_problems()
        if problems:
            raise CommandError(error_message(problems), returncode=UNKNOWN)
        try:
            backend = get_token_backend()
            check = check_connection() if options["check"] and backend.read() is not None else None
            record = backend.read()
            budget = self._budget()
        except TeamleaderImproperlyConfigured as err:
            raise CommandError(str(err), returncode=UNKNOWN) from err
        except Exception as err:  # noqa: BLE001 - a probe says "cannot tell", never "needs reconnecting"
            raise CommandError(
                gettext("Could not read the Teamleader connection (%(error)s).")
                % {"error": f"{type(err).__name__}: {err}"},
                returncode=UNKNOWN,
            ) from err
        state = status_of(record)
        report = _report(record, budget, check)
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2))
        else:
            self._print(record, report)
        code = EXIT_STATUS[state]
        if check is not None and not check[0] and state == CONNECTED:
            code = UNKNOWN  # the stored state says connected, but Teamleader could not confirm it
        if code:
            raise SystemExit(code)

    def _budget(self) -> dict[str, Any] | None:
        config = rate_limit_settings()
        limiter = get_rate_limiter()
        if config is None or limiter is None:
            return None
        return {
            "calls": limiter.calls,
            "period": limiter.period,
            "remaining": limiter.remaining(get_client().budget_key()),
            "cache": config["CACHE"],
            "shared": shares_budget(config["CACHE"]),
        }

    def _print(self, record: ConnectionRecord | None, report: dict[str, Any]) -> None:
        state = report["status"]
        style = {CONNECTED: self.style.SUCCESS, REAUTHORIZATION_NEEDED: self.style.ERROR}.get(
            state, self.style.WARNING
        )
        self.stdout.write(style(gettext("Teamleader: %(state)s") % {"state": LABELS[state]}))
        if record is None:
            self.stdout.write(
                gettext('Connect it with "%(command)s" or the admin\'s "%(button)s".')
                % {"command": SETUP_COMMAND, "button": labels.CONNECT}
            )
        else:
            self.stdout.write(_connected(record))
            if record.needs_reauthorization:
                self.stdout.write(
                    gettext("Needs reconnecting since %(time)s: %(problem)s")
                    % {"time": _local(record.problem_at), "problem": explain_problem(record.problem)}
                )
            minutes = round(record.token.expires_in / 60)
            if minutes >= 0:
                when = ngettext("in %(minutes)s minute", "in %(minutes)s minutes", minutes)
            else:
                when = ngettext("%(minutes)s minute ago", "%(minutes)s minutes ago", -minutes)
            self.stdout.write(
                gettext("Access token expires %(time)s (%(when)s)")
                % {"time": _local(record.token.expires_at), "when": when % {"minutes": abs(minutes)}}
            )
            if record.refreshed_at:
                self.stdout.write(gettext("Last refreshed %(time)s") % {"time": _local(record.refreshed_at)})
            else:
                self.stdout.write(gettext("Last refreshed never since connecting"))
        self._print_budget(report["rate_budget"])
        if report.get("check"):
            ok, message = report["check"]["ok"], report["check"]["message"]
            style = self.style.SUCCESS if ok else self.style.ERROR
            self.stdout.write(style(gettext("Check: %(message)s") % {"message": message}))

    def _print_budget(self, budget: dict[str, Any] | None) -> None:
        if budget is None:
            self.stdout.write(gettext('Rate budget: not kept (TEAMLEADER["RATE_LIMIT"] is None)'))
            return
        if budget["shared"]:
            shared = gettext("shared by every process using it")
        else:
            shared = gettext("this process only")
        self.stdout.write(
            gettext(
                "Rate budget: %(remaining)s of %(calls)s calls left in the last %(period)s s "
                "(cache %(cache)s, %(shared)s)"
            )
            % {
                "remaining": budget["remaining"],
                "calls": budget["calls"],
                "period": f"{budget['period']:g}",
                "cache": repr(budget["cache"]),
                "shared": shared,
            }
        )


def _connected(record: ConnectionRecord) -> str:
    """``Connected as Ada <ada@…> (account …), by ops, 2025-…``."""
    values = {
        "user": record.user_label or gettext("an unknown Teamleader user"),
        "account": record.account_id,
        "by": record.connected_by,
        "time": _local(record.connected_at) or gettext("at an unknown time"),
    }
    if record.account_id and record.connected_by:
        return gettext("Connected as %(user)s (account %(account)s), by %(by)s, %(time)s") % values
    if record.account_id:
        return gettext("Connected as %(user)s (account %(account)s), %(time)s") % values
    if record.connected_by:
        return gettext("Connected as %(user)s, by %(by)s, %(time)s") % values
    return gettext("Connected as %(user)s, %(time)s") % values


def _local(value: Any) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M:%S %Z}" if value else ""


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def _report(record: ConnectionRecord | None, budget: dict[str, Any] | None, check: Any) -> dict[str, Any]:
    """What ``--json`` prints: the state and the details, never a token."""
    report: dict[str, Any] = {"status": status_of(record), "rate_budget": budget}
    if record is not None:
        report.update(
            user={"id": record.user_id, "name": record.user_name, "email": record.user_email},
            account_id=record.account_id,
            connected_by=record.connected_by,
            connected_at=_iso(record.connected_at),
            expires_at=_iso(record.token.expires_at),
            refreshed_at=_iso(record.refreshed_at),
            problem=record.problem or None,
            problem_at=_iso(record.problem_at),
            scopes=list(record.scopes),
        )
    if check is not None:
        report["check"] = {"ok": check[0], "message": check[1]}
    return report
