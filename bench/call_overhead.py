"""How much one API call through teamleader-sdk costs over a bare ``requests`` call.

Both sides POST the same JSON with the same headers to the same local HTTP server on
127.0.0.1 (in a separate process) over a kept-alive connection; rounds are interleaved so that machine noise
hits both alike. Prints the median time of each and their ratio.

    python bench/call_overhead.py                 # MemoryTokenBackend
    python bench/call_overhead.py --django        # also get_client() over DatabaseTokenBackend (SQLite file)
    python bench/call_overhead.py --django --postgres postgres://postgres@127.0.0.1:5432/teamleader_bench
    python bench/call_overhead.py --rounds 5000

Not a test: it asserts nothing, it measures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.server
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from teamleader import MemoryTokenBackend, OAuth2Handler, TeamleaderClient, Token, __version__  # noqa: E402

BODY = b'{"data": [{"id": "c3dea2c8-dad9-4834-8a49-e16b5c5f1dde", "first_name": "Ada", "last_name": "Lovelace"}]}'
ACCESS = "bench-access-token-" + "x" * 40


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else headers and body wait for a delayed ACK (~40 ms)
    wbufsize = -1  # one send per answer

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY)))
        self.send_header("X-RateLimit-Limit", "200")
        self.send_header("X-RateLimit-Remaining", "199")
        self.send_header("X-RateLimit-Reset", "2030-01-01T00:00:00+00:00")
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *args):
        pass


def _serve_forever(ports: multiprocessing.Queue) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    ports.put(server.server_port)
    server.serve_forever()


def serve() -> str:
    """The stand-in API in its own process, so it does not compete for this one's GIL."""
    ports: multiprocessing.Queue = multiprocessing.Queue()
    multiprocessing.Process(target=_serve_forever, args=(ports,), daemon=True).start()
    return f"http://127.0.0.1:{ports.get(timeout=30)}"


def bare_call(session: requests.Session, url: str) -> None:
    session.post(
        f"{url}/contacts.list",
        json={"page": {"size": 1, "number": 1}},
        headers={"Authorization": f"Bearer {ACCESS}"},
        timeout=30,
    ).json()


def measure(label: str, ours, bare, rounds: int) -> float:
    for _ in range(200):  # warm up connections and caches
        ours()
        bare()
    ours_times, bare_times = [], []
    clock = time.perf_counter
    for i in range(rounds):
        first, second = (ours, bare) if i % 2 else (bare, ours)  # alternate who goes first
        t0 = clock()
        first()
        t1 = clock()
        second()
        t2 = clock()
        a, b = (t1 - t0, t2 - t1)
        ours_times.append(a if first is ours else b)
        bare_times.append(b if first is ours else a)
    ours_median = statistics.median(ours_times) * 1e6
    bare_median = statistics.median(bare_times) * 1e6
    ratio = ours_median / bare_median
    print(f"{label:<52} {ours_median:8.1f} µs  vs bare requests {bare_median:8.1f} µs   ratio {ratio:.3f}")
    return ratio


def memory_client(url: str) -> TeamleaderClient:
    token = Token(ACCESS, "bench-refresh-token", dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=10))
    oauth = OAuth2Handler("bench", "bench-secret", "http://localhost/cb", MemoryTokenBackend(token))
    # The budget (200 calls a minute) would make this a benchmark of waiting: bench/rate_limit.py
    # measures what it costs.
    return TeamleaderClient(oauth, api_base_url=url, rate_limiter=None)


def django_databases(url: str, postgres_url: str | None) -> list[tuple[str, str]]:
    """Set up Django on a SQLite file (and PostgreSQL), each with a valid token; (label, alias) pairs."""
    import tempfile

    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.django_settings"
    os.environ["BENCH_API_URL"] = url
    os.environ["BENCH_SQLITE_PATH"] = os.path.join(tempfile.mkdtemp(prefix="teamleader-bench-"), "db.sqlite3")
    if postgres_url:
        os.environ["BENCH_POSTGRES_URL"] = postgres_url
    import django
    from django.core.management import call_command
    from django.db import connections

    django.setup()
    from teamleader.django.token_store import DatabaseTokenBackend

    databases = [("SQLite file", "default")]
    call_command("migrate", verbosity=0)
    if postgres_url:
        try:
            connections["postgres"].creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        except Exception as err:  # noqa: BLE001 - a benchmark line is skipped, not the run
            print(f"(PostgreSQL at {postgres_url} skipped: {type(err).__name__}: {err})")
        else:
            databases.append(("PostgreSQL", "postgres"))
    token = Token(ACCESS, "bench-refresh-token", dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=10))
    for _, alias in databases:
        DatabaseTokenBackend(using=alias).save(token)
    return databases


def use_database(alias: str, cache_seconds: float) -> None:
    from django.conf import settings
    from django.test.utils import override_settings

    options = {"using": alias, "cache_seconds": cache_seconds}
    override_settings(TEAMLEADER={**settings.TEAMLEADER, "TOKEN_BACKEND_OPTIONS": options}).enable()


def drop_databases(databases: list[tuple[str, str]]) -> None:
    from django.db import connections

    for _, alias in databases:
        if alias != "default":
            connections[alias].creation.destroy_test_db(connections[alias].settings_dict["NAME"], verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3000)
    parser.add_argument(
        "--django",
        action="store_true",
        help="also measure get_client() over DatabaseTokenBackend (SQLite file)",
    )
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="with --django, also on PostgreSQL (a database test_<name> is created and dropped)",
    )
    args = parser.parse_args()
    url = serve()
    print(
        f"teamleader-sdk {__version__}, Python {sys.version.split()[0]}, requests {requests.__version__}, "
        f"{args.rounds} interleaved rounds, server {url}"
    )
    session = requests.Session()
    session.headers.update({"Accept": "application/json", "User-Agent": f"teamleader-sdk/{__version__}"})

    def bare() -> None:
        bare_call(session, url)

    client = memory_client(url)
    measure(
        "client.call() with MemoryTokenBackend",
        lambda: client.call("contacts.list", {"page": {"size": 1, "number": 1}}),
        bare,
        args.rounds,
    )
    measure(
        "client.contacts.list() (models)",
        lambda: client.contacts.list(page={"size": 1, "number": 1}),
        bare,
        args.rounds,
    )
    if args.django:
        databases = django_databases(url, args.postgres)
        from teamleader.django import get_client

        try:
            for label, alias in databases:
                # The default reuses a read token for a second; with 0 every call reads the row.
                for cache_seconds, note in ((1.0, ""), (0, ", read every call")):
                    use_database(alias, cache_seconds)
                    measure(
                        f"get_client().call(), {label}{note}",
                        lambda: get_client().call("contacts.list", {"page": {"size": 1, "number": 1}}),
                        bare,
                        args.rounds,
                    )
        finally:
            drop_databases(databases)


if __name__ == "__main__":
    main()
