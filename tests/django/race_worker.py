"""One worker process of the refresh races (run by tests/django/test_refresh_race.py).

Usage: python -m tests.django.race_worker [--atomic] [--rollback] [--calls N | --seconds S]
       [--leeway S] [--backend DOTTED.PATH]

``DATABASE_URL`` names the (test) database and ``TEAMLEADER_TEST_OVERRIDES`` points the
app at the stand-in token endpoint (see tests/settings.py); ``TEAMLEADER_TEST_ISOLATION``
sets the transaction isolation level. The worker sets up Django and builds its client,
then, with ``--atomic``, opens a transaction and reads the token row in it (on
REPEATABLE READ that fixes the snapshot). It prints ``ready`` and waits for a line on
stdin, so that the test starts every worker at the same instant; then it makes its calls
through ``get_client()`` (each in its own transaction with ``--seconds``), rolls back with
``--rollback``, and prints one JSON line: calls that succeeded, the errors it met, and the
refresh grants it made itself.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
import time


class GrantCounter(logging.Handler):
    """Counts this process's successful refresh grants from the client's debug log."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.grants = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("POST oauth2/access_token (refresh_token grant) -> 200"):
            self.grants += 1


class Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--atomic", action="store_true")
    parser.add_argument("--rollback", action="store_true")
    parser.add_argument("--calls", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=0.0)
    parser.add_argument("--leeway", type=float)
    parser.add_argument("--backend")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    if args.backend:
        overrides = json.loads(os.environ.get("TEAMLEADER_TEST_OVERRIDES", "{}"))
        os.environ["TEAMLEADER_TEST_OVERRIDES"] = json.dumps({**overrides, "TOKEN_BACKEND": args.backend})
    import django

    django.setup()
    from django.db import connection, transaction

    from teamleader.django import get_client
    from teamleader.django.models import TeamleaderToken
    from teamleader.exceptions import TeamleaderError

    counter = GrantCounter()
    logger = logging.getLogger("teamleader")
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    connection.ensure_connection()  # connect and build the client before the start line
    client = get_client()
    if args.leeway is not None:
        client.oauth.leeway = args.leeway
    ok, errors = 0, []

    def call() -> None:
        nonlocal ok
        try:
            get_client().call("users.me")
            ok += 1
        except TeamleaderError as err:
            errors.append(f"{type(err).__name__}: {err}")

    def in_transaction():
        if not args.atomic:
            return contextlib.nullcontext()
        return transaction.atomic()

    outer = in_transaction() if not args.seconds else contextlib.nullcontext()
    with contextlib.suppress(Rollback), outer:
        if args.atomic and not args.seconds:
            list(TeamleaderToken.objects.values_list("access_token"))  # the transaction has read the row
        print("ready", flush=True)
        sys.stdin.readline()
        if args.seconds:
            deadline = time.monotonic() + args.seconds
            while time.monotonic() < deadline:
                with contextlib.suppress(Rollback), in_transaction():
                    call()
                    if args.rollback:
                        raise Rollback
        else:
            for _ in range(args.calls):
                call()
            if args.rollback:
                raise Rollback
    print(json.dumps({"ok": ok, "errors": errors, "grants": counter.grants, "pid": os.getpid()}))


if __name__ == "__main__":
    main()
