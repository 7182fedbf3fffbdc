"""What the mirror costs: a full sync, a burst of webhooks, an incremental sync with nothing new.

The sandbox server runs in its own process (so its records and its CPU are not counted
here) with 10,000 contacts; it counts the ``*.list`` calls it answers and the time it
spends answering them. This process is the Django site (SQLite file by default,
``DATABASE_URL`` for another database).

    python bench/mirror.py
    python bench/mirror.py --contacts 20000

Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.mirror_settings")


def _serve(contacts: int, ready: Any, list_calls: Any, busy: Any) -> None:
    from teamleader.testing import Sandbox

    sandbox = Sandbox(rate_limit=None)
    sandbox.populate(contacts=contacts - len(sandbox.state.contacts), days=90)
    answer = sandbox.handle

    def counted(method: str, path: str, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return answer(method, path, *args, **kwargs)
        finally:
            if path.endswith(".list"):
                with list_calls.get_lock():
                    list_calls.value += 1
                    busy.value += time.perf_counter() - started

    sandbox.handle = counted  # type: ignore[method-assign]
    server = sandbox.serve()
    ready.put((server.url, sandbox.issue_token()))
    while True:
        time.sleep(3600)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=500)
    args = parser.parse_args()

    ready: multiprocessing.Queue = multiprocessing.Queue()
    list_calls, busy = multiprocessing.Value("i", 0), multiprocessing.Value("d", 0.0)
    child = multiprocessing.Process(target=_serve, args=(args.contacts, ready, list_calls, busy), daemon=True)
    child.start()
    url, token_answer = ready.get(timeout=120)
    os.environ["BENCH_SANDBOX_URL"] = url

    import django

    django.setup()
    import requests
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from teamleader import Token
    from teamleader.django import get_client
    from teamleader.django.mirror.events import process_pending
    from teamleader.django.mirror.models import Contact
    from teamleader.django.mirror.resources import BY_NAME, RESOURCES
    from teamleader.django.mirror.sync import sync
    from teamleader.django.token_store import DatabaseTokenBackend

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)  # DATABASE_URL may name a database used before
    DatabaseTokenBackend().save(Token.from_response(token_answer))

    def counters() -> tuple[int, float]:
        with list_calls.get_lock():
            return list_calls.value, busy.value

    # -- 1. the first run: every contact, 100 a page --------------------------------------
    client = get_client()
    waiting = {"seconds": 0.0}
    call = client.call

    def timed_call(*args: Any, **kwargs: Any) -> Any:  # a request and its decoded answer
        started = time.perf_counter()
        try:
            return call(*args, **kwargs)
        finally:
            waiting["seconds"] += time.perf_counter() - started

    client.call = timed_call  # type: ignore[method-assign]
    before_calls, before_busy = counters()
    rss = peak_rss_mb()
    started = time.perf_counter()
    sync(["contacts"], client=client)
    elapsed = time.perf_counter() - started
    after_calls, after_busy = counters()
    calls, sandbox_time = after_calls - before_calls, after_busy - before_busy
    growth = peak_rss_mb() - rss
    client.call = call  # type: ignore[method-assign]
    http, own = waiting["seconds"], elapsed - waiting["seconds"]
    print(
        f"mirror: full sync of {Contact.objects.count()} contacts: {calls} list calls, {elapsed:.2f} s: "
        f"{http:.2f} s ({http / elapsed:.0%}) in the HTTP calls, of which the sandbox's own work "
        f"{sandbox_time:.2f} s ({sandbox_time / elapsed:.0%}); {own:.2f} s ({own / elapsed:.0%}, "
        f"{own / calls * 1000:.0f} ms a page) storing into {connection.vendor} (bulk upsert, checkpoint, "
        f"commit); peak memory growth {growth:.1f} MB"
    )
    sync([r.name for r in RESOURCES if r.name != "contacts"])

    # -- 2. nothing changed since: one call per resource -----------------------------------
    before_calls, _ = counters()
    started = time.perf_counter()
    results = sync()
    elapsed = time.perf_counter() - started
    per = ", ".join(f"{r.resource} {r.calls}" for r in results)
    print(
        f"mirror: incremental sync with nothing changed: {counters()[0] - before_calls} list calls for "
        f"{len(BY_NAME)} resources ({per}), {elapsed:.2f} s"
    )
    # -- 3. a burst of webhooks for as many changed records --------------------------------
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token_answer['access_token']}"
    changed = [str(pk) for pk in Contact.objects.order_by("?").values_list("pk", flat=True)[: args.events]]
    first_event = len(session.get(f"{url}/_sandbox/events", timeout=30).json()["data"])
    for contact_id in changed:
        session.post(f"{url}/contacts.update", json={"id": contact_id, "remarks": "bench"}, timeout=30)
    events = session.get(f"{url}/_sandbox/events", timeout=30).json()["data"][first_event:]
    web, path = Client(), reverse("teamleader:webhook", args=["bench-webhook-secret-0123456789abcdef"])
    started = time.perf_counter()
    for payload in events:
        web.post(path, json.dumps(payload), content_type="application/json")
    stored = time.perf_counter() - started
    before_calls, _ = counters()
    started = time.perf_counter()
    outcome = process_pending()
    processed = time.perf_counter() - started
    print(
        f"mirror: {len(events)} webhook deliveries for {len(changed)} changed contacts: stored in {stored:.2f} s "
        f"({stored / len(events) * 1000:.2f} ms each, no call to Teamleader); processed in "
        f"{counters()[0] - before_calls} list calls, {processed:.2f} s ({outcome.done} done, {outcome.failed} failed)"
    )

    child.terminate()


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as directory:
        os.environ.setdefault("BENCH_DB_DIR", directory)
        main()
