#!/usr/bin/env python
"""Run the example site against the offline Teamleader sandbox: ``python example_project/demo.py``.

Migrates the database, creates a demo admin user, starts the sandbox
(``python -m teamleader.testing``) and the site (``manage.py runserver``) as child
processes, prints where everything is, and stops both on Ctrl+C.

``--setup-only`` stops after the database and the admin user. ``--connect`` approves
the sandbox's consent page without a browser, so the dashboard works at once.
With ``TEAMLEADER_CLIENT_ID`` set (in the environment or ``.env``) the site uses the
real Teamleader and no sandbox is started.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
USERNAME = os.environ.get("DEMO_ADMIN_USERNAME", "admin")
PASSWORD = os.environ.get("DEMO_ADMIN_PASSWORD", "teamleader-demo")
POSIX = os.name == "posix"


class DemoError(Exception):
    """Something the person running the demo has to fix; the message says what."""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1], prog="demo.py")
    parser.add_argument("--host", default="127.0.0.1", help="address the site listens on (default 127.0.0.1)")
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("DEMO_PORT", 8000)),
        help="port of the site (default: $DEMO_PORT or 8000)",
    )
    parser.add_argument(
        "--sandbox-port",
        type=int,
        default=int(os.environ.get("DEMO_SANDBOX_PORT", 8765)),
        help="port of the sandbox (default: $DEMO_SANDBOX_PORT or 8765)",
    )
    parser.add_argument(
        "--setup-only",
        action="store_true",
        help="migrate and create the admin user, then exit without starting servers",
    )
    parser.add_argument(
        "--connect", action="store_true", help="connect the site to the fresh sandbox without a browser"
    )
    return parser.parse_args(argv)


def setup_django(sandbox_url: str) -> None:
    try:
        import django
        import environ  # noqa: F401
        import teamleader  # noqa: F401
    except ImportError as err:
        raise DemoError(
            f"{err.name} is not installed for {sys.executable}. Run `make demo`, or:\n"
            "  python -m venv .venv\n"
            "  .venv/bin/pip install -e '.[django]' -r example_project/requirements.txt\n"
            "  .venv/bin/python example_project/demo.py"
        ) from err
    sys.path.insert(0, str(HERE))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # The children (runserver, teamleader_setup) inherit it, so all agree on the sandbox.
    os.environ["TEAMLEADER_SANDBOX_URL"] = sandbox_url
    django.setup()


def set_up_database() -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    print(f"Database ready: {settings.DATABASES['default']['NAME']}")
    users = get_user_model().objects
    if users.filter(username=USERNAME).exists():
        print(f"Demo admin user exists: username {USERNAME!r}, password {PASSWORD!r} (unless you changed it)")
    else:
        users.create_superuser(USERNAME, email=f"{USERNAME}@example.com", password=PASSWORD)
        print(f"Demo admin user created: username {USERNAME!r}, password {PASSWORD!r}")


def uses_sandbox() -> bool:
    from django.conf import settings

    return bool(settings.TEAMLEADER_SANDBOX_URL)


def forget_stored_token() -> None:
    """A new sandbox knows no tokens (it keeps them in memory): a stored one is dead."""
    from teamleader.django.client import get_token_backend
    from teamleader.django.connect import disconnect

    if get_token_backend().read() is not None:
        disconnect()
        print("Cleared the Teamleader connection of an earlier run: a fresh sandbox does not know its token.")


def connect_to_sandbox() -> str:
    """Press Approve on the sandbox's consent page as a browser would, then store the token."""
    import requests
    from teamleader import TeamleaderError
    from teamleader.django.client import get_oauth_handler
    from teamleader.django.connect import complete_authorization

    handler = get_oauth_handler()
    url = handler.get_authorization_url()
    form = {**dict(parse_qsl(urlsplit(url).query)), "decision": "approve"}
    answer = requests.post(handler.authorize_url, data=form, allow_redirects=False, timeout=10)
    if "Location" not in answer.headers:
        raise DemoError(f"The sandbox did not approve the connection (HTTP {answer.status_code}).")
    try:
        info = complete_authorization(
            handler, answer.headers["Location"], expected_state=url.state, connected_by="demo.py --connect"
        )
    except TeamleaderError as err:
        raise DemoError(f"Could not connect to the sandbox: {err}") from err
    return info.user_label or "the sandbox's account owner"


def fill_mirror(site: str) -> None:
    """Copy the sandbox into the site's mirror and have the sandbox post its changes to the site."""
    from django.core.management import call_command

    call_command("teamleader_sync", "--no-progress")
    call_command("teamleader_webhooks", "register", "--base-url", site, "--mirror")


# -- child processes ------------------------------------------------------------------
def check_port_free(host: str, port: int, option: str) -> None:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as err:
            raise DemoError(
                f"Port {port} on {host} is in use (is a demo already running?). "
                f"Stop that program or pass {option} with a free port."
            ) from err


def spawn(args: list[str], **kwargs) -> subprocess.Popen:
    """Start a child in its own process group, so that stopping it stops its children too."""
    if POSIX:
        kwargs["start_new_session"] = True
    else:
        kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP
    return subprocess.Popen(args, cwd=REPO, **kwargs)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    if POSIX:
        os.killpg(process.pid, signal.SIGTERM)
    else:
        process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        if POSIX:
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
        process.wait()


def start_sandbox(port: int) -> subprocess.Popen:
    process = spawn(
        [sys.executable, "-m", "teamleader.testing", "--port", str(port), "--quiet"],
        stdout=subprocess.PIPE,
        text=True,
    )
    if not process.stdout or not process.stdout.readline().strip():  # it prints its URL once listening
        stop(process)
        raise DemoError("The sandbox did not start; see its messages above.")
    return process


def start_site(host: str, port: int) -> subprocess.Popen:
    process = spawn([sys.executable, str(HERE / "manage.py"), "runserver", f"{host}:{port}"])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise DemoError("The site did not start; see its messages above.")
        try:
            socket.create_connection((host, port), timeout=0.5).close()
            return process
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise DemoError(f"The site did not answer on {host}:{port} within 60 seconds.")


def python_command() -> str:
    try:
        return str(Path(sys.executable).relative_to(Path.cwd()))
    except ValueError:
        return sys.executable


def print_summary(site: str, sandbox_url: str | None, connected_as: str | None) -> None:
    setup = f"{python_command()} {os.path.relpath(HERE / 'manage.py')} teamleader_setup"
    if sandbox_url and not sandbox_url.endswith(":8765"):
        setup = f"TEAMLEADER_SANDBOX_URL={sandbox_url} {setup}"
    print(
        f"\nThe example site is running.\n"
        f"  Site:     {site}/\n"
        f"  Admin:    {site}/admin/   (username {USERNAME!r}, password {PASSWORD!r})"
    )
    if sandbox_url:
        print(f"  Sandbox:  {sandbox_url}/   (an offline Teamleader Focus)")
    if connected_as:
        print(
            f"\nConnected to the sandbox as {connected_as}, and its records copied into the mirror:\n"
            f"the dashboard works right away."
        )
    else:
        print(
            f"\nConnect the site to Teamleader, either:\n"
            f"  - in the admin: Teamleader connection → Connect to Teamleader → Approve, or\n"
            f"  - in another terminal: {setup}  (open the URL it prints, press Approve)\n"
            f"then press \"Copy from Teamleader\" on the dashboard."
        )
    if sandbox_url:
        change = f"{python_command()} {os.path.relpath(HERE / 'manage.py')} simulate_teamleader_change"
        if not sandbox_url.endswith(":8765"):
            change = f"TEAMLEADER_SANDBOX_URL={sandbox_url} {change}"
        print(
            f"\nLive mirror: the sandbox posts webhooks to the site. Change a deal in Teamleader with\n"
            f"  {change}\n"
            f"(or win a deal on its page) and watch the open dashboard follow."
        )
    print("\nPress Ctrl+C to stop.\n", flush=True)


def serve(args: argparse.Namespace, sandbox_url: str) -> int:
    from django.db import connections

    children: dict[str, subprocess.Popen] = {}
    # Before anything changes: a busy port may be a demo that is still running.
    check_port_free(args.host, args.port, "--port")
    if uses_sandbox():
        check_port_free("127.0.0.1", args.sandbox_port, "--sandbox-port")
    try:
        connected_as = None
        if uses_sandbox():
            forget_stored_token()
            children["sandbox"] = start_sandbox(args.sandbox_port)
            if args.connect:
                connected_as = connect_to_sandbox()
                fill_mirror(f"http://{args.host}:{args.port}")
        else:
            print("TEAMLEADER_CLIENT_ID is set: the site talks to the real Teamleader; no sandbox started.")
        connections.close_all()
        children["site"] = start_site(args.host, args.port)
        site = f"http://{args.host}:{args.port}"
        print_summary(site, sandbox_url if uses_sandbox() else None, connected_as)
        while True:
            for name, process in children.items():
                if process.poll() is not None:
                    print(f"The {name} stopped (exit code {process.returncode}); stopping the demo.")
                    return 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("\nStopping the demo...")
        return 0
    finally:
        for process in children.values():
            stop(process)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # keep our lines in order with the children's
    if args.connect and args.setup_only:
        print("--connect needs the sandbox running: it cannot go with --setup-only.", file=sys.stderr)
        return 2
    # Ctrl+C and a plain `kill` both end in the same clean shutdown (also when started in
    # the background, where shells make the process ignore SIGINT).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    sandbox_url = f"http://127.0.0.1:{args.sandbox_port}"
    try:
        setup_django(sandbox_url)
        set_up_database()
        if args.setup_only:
            print(f"Setup done. Start the demo with: {python_command()} {os.path.relpath(__file__)}")
            return 0
        if args.connect and not uses_sandbox():
            raise DemoError("--connect works with the sandbox only; unset TEAMLEADER_CLIENT_ID to use it.")
        return serve(args, sandbox_url)
    except DemoError as err:
        print(f"demo.py: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
