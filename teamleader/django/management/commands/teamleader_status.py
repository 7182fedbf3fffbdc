"""``manage.py teamleader_status``: the connection's state, for people and for monitoring."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from teamleader.connection import CONNECTED, DISCONNECTED, REAUTHORIZATION_NEEDED, ConnectionRecord, status_of

from ...client import get_client, get_token_backend, settings_problems
from ...conf import TeamleaderImproperlyConfigured, error_message
from ...connect import check_connection
from ...rate_limit import get_rate_limiter, rate_limit_settings, shares_budget

#: Exit status per state; 3 when it could not tell (Teamleader, the database or the cache unreachable).
EXIT_STATUS = {CONNECTED: 0, REAUTHORIZATION_NEEDED: 1, DISCONNECTED: 2}
UNKNOWN = 3
LABELS = {CONNECTED: "connected", REAUTHORIZATION_NEEDED: "needs reconnecting", DISCONNECTED: "not connected"}


class Command(BaseCommand):
    help = (
        "Show the Teamleader connection: its state, who connected, when the token expires and was last "
        "refreshed, and the rate budget left. Exit status 0 connected, 1 needs reconnecting, 2 not connected, "
        "3 could not tell (settings, database or cache broken, or --check could not reach Teamleader)."
    )
    requires_system_checks: list[str] = []  # a monitoring probe must answer even on a half-configured site

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Also call Teamleader (users.me), which updates the state."
        )
        parser.add_argument(
            "--json", action="store_true", help="Print one JSON object, for monitoring tools."
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
                f"Could not read the Teamleader connection ({type(err).__name__}: {err}).", returncode=UNKNOWN
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
        self.stdout.write(style(f"Teamleader: {LABELS[state]}"))
        if record is None:
            self.stdout.write(
                'Connect it with "python manage.py teamleader_setup" or the admin\'s "Connect to Teamleader".'
            )
        else:
            who = record.user_label or "an unknown Teamleader user"
            account = f" (account {record.account_id})" if record.account_id else ""
            by = f", by {record.connected_by}" if record.connected_by else ""
            self.stdout.write(
                f"Connected as {who}{account}{by}, {_local(record.connected_at) or 'at an unknown time'}"
            )
            if record.needs_reauthorization:
                self.stdout.write(f"Needs reconnecting since {_local(record.problem_at)}: {record.problem}")
            minutes = round(record.token.expires_in / 60)
            when = f"in {minutes} minutes" if minutes >= 0 else f"{-minutes} minutes ago"
            self.stdout.write(f"Access token expires {_local(record.token.expires_at)} ({when})")
            self.stdout.write(f"Last refreshed {_local(record.refreshed_at) or 'never since connecting'}")
        budget = report["rate_budget"]
        if budget is None:
            self.stdout.write('Rate budget: not kept (TEAMLEADER["RATE_LIMIT"] is None)')
        else:
            shared = "shared by every process using it" if budget["shared"] else "this process only"
            self.stdout.write(
                f"Rate budget: {budget['remaining']} of {budget['calls']} calls left in the last "
                f"{budget['period']:g} s (cache {budget['cache']!r}, {shared})"
            )
        if report.get("check"):
            ok, message = report["check"]["ok"], report["check"]["message"]
            self.stdout.write((self.style.SUCCESS if ok else self.style.ERROR)(f"Check: {message}"))


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
