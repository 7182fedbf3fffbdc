"""``python -m teamleader.testing --port 8765``: run the sandbox as a local HTTP server."""

from __future__ import annotations

import argparse
import logging
import sys

from .seed import DEFAULT_SEED
from .server import SandboxServer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m teamleader.testing",
        description="An offline Teamleader Focus (OAuth2 + API) for development and tests. "
        "Point both AUTH_BASE_URL and API_BASE_URL at the URL it prints.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port to listen on; 0 picks a free one")
    parser.add_argument("--access-token-lifetime", type=int, default=3600, metavar="SECONDS")
    parser.add_argument(
        "--rate-limit",
        type=int,
        default=200,
        metavar="CALLS",
        help="API calls per sliding minute; 0 disables the limit (default: 200)",
    )
    parser.add_argument("--client-id", help="accept only this client id (default: any)")
    parser.add_argument("--client-secret", help="accept only this client secret (default: any)")
    parser.add_argument(
        "--redirect-uri",
        action="append",
        dest="redirect_uris",
        metavar="URI",
        help="whitelist a redirect URI (repeatable; default: any)",
    )
    parser.add_argument(
        "--token-delay",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="wait before answering the token endpoint",
    )
    parser.add_argument(
        "--refresh-delay",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="extra wait before answering a refresh grant",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the generated records")
    parser.add_argument("--quiet", action="store_true", help="do not log requests")
    args = parser.parse_args(argv)

    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        format="%(asctime)s %(message)s",
        stream=sys.stderr,
    )
    server = SandboxServer(
        host=args.host,
        port=args.port,
        access_token_lifetime=args.access_token_lifetime,
        rate_limit=args.rate_limit or None,
        client_id=args.client_id,
        client_secret=args.client_secret,
        redirect_uris=args.redirect_uris,
        token_delay=args.token_delay,
        refresh_delay=args.refresh_delay,
        seed=args.seed,
    )
    # The bare URL alone on stdout's first line, so a parent process can read it.
    print(server.url, flush=True)
    print(f"Teamleader sandbox listening on {server.url} (Ctrl+C to stop)", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
