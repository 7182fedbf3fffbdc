#!/usr/bin/env python
"""The Django app's translations (nl, fr, de): extract and compile them, or check them.

    python tools/translations.py            # make messages: makemessages, then compilemessages
    python tools/translations.py --check    # exit 1, naming every problem (make lint, CI)

Each app has one catalogue per language, domain ``django``:
``teamleader/django/locale/<lang>/LC_MESSAGES/django.po`` and the same under
``teamleader/django/mirror/``. The compiled ``.mo`` files are committed and shipped, so
nothing compiles at install time.

The check extracts the strings afresh with ``makemessages`` in a temporary copy of the apps
(the work tree is left alone) and fails when a string has no translation (empty or fuzzy)
in a language, when the committed ``.po`` misses strings of the code or keeps strings the
code no longer has, when a ``gettext`` call of the code escaped extraction (xgettext does not
look inside f-strings), when a translation drops or adds a ``%(name)s`` placeholder or holds a
backtick, when ``msgfmt --check`` refuses a catalogue, or when a committed ``.mo`` does not
hold exactly the translations of its ``.po``. The ``.mo`` is compared entry by entry, not by
bytes or file dates: msgfmt versions lay files out differently, and git keeps no dates.
Needs GNU gettext (Debian: ``apt-get install gettext``) and polib.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ("nl", "fr", "de")
#: Each app (relative to ``teamleader/django``) and the folders its extraction leaves to another app.
APPS = {".": ("mirror",), "mirror": ()}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]")
#: The translation functions and where their message is: (context argument, message argument).
FUNCTIONS = {
    "gettext": (None, 0),
    "gettext_lazy": (None, 0),
    "gettext_noop": (None, 0),
    "_": (None, 0),
    "ngettext": (None, 0),
    "ngettext_lazy": (None, 0),
    "pgettext": (0, 1),
    "pgettext_lazy": (0, 1),
}

Key = tuple[str, str, str]


def django(args: list[str], cwd: Path) -> None:
    """``django-admin`` in ``cwd``, without the caller's settings (makemessages needs none)."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    command = [sys.executable, "-m", "django", *args]
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)  # noqa: S603 (our own interpreter)


def make_messages(base: Path) -> None:
    """makemessages for every app and language under ``base`` (``teamleader/django``)."""
    for app, ignore in APPS.items():
        flags = [f"--locale={lang}" for lang in LANGUAGES] + [f"--ignore={i}" for i in ignore]
        django(["makemessages", "--add-location=file", *flags], base / app)


def catalogue(base: Path, app: str, lang: str, suffix: str = "po") -> Path:
    return base / app / "locale" / lang / "LC_MESSAGES" / f"django.{suffix}"


def key(entry: Any) -> Key:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def label(entry: Any) -> str:
    context = f"[{entry.msgctxt}] " if entry.msgctxt else ""
    text = entry.msgid if len(entry.msgid) <= 70 else entry.msgid[:67] + "..."
    return f"{context}{text!r}"


def translations(entries: Any) -> dict[Key, Any]:
    """What msgfmt compiles: each translated, non-fuzzy entry's text (plural forms as a tuple)."""
    found: dict[Key, Any] = {}
    for entry in entries:
        if not entry.msgid or entry.obsolete or "fuzzy" in entry.flags:
            continue
        if entry.msgid_plural:
            forms = tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
            if all(forms):
                found[key(entry)] = forms
        elif entry.msgstr:
            found[key(entry)] = entry.msgstr
    return found


def check_catalogue(fresh_path: Path, po_path: Path, mo_path: Path, where: str) -> list[str]:
    """The problems of one committed catalogue, given what makemessages extracts now."""
    import polib

    if not po_path.exists():
        return [f"{where}: no catalogue; run make messages"]
    fresh = [e for e in polib.pofile(str(fresh_path)) if not e.obsolete]
    committed = [e for e in polib.pofile(str(po_path)) if not e.obsolete]
    problems = []
    for entry in fresh:
        forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if "fuzzy" in entry.flags:
            problems.append(f"{where}: fuzzy, not translated: {label(entry)}")
        elif not all(forms):
            problems.append(f"{where}: not translated: {label(entry)}")
    in_code, in_po = {key(e) for e in fresh}, {key(e) for e in committed}
    problems += [f"{where}: not in the catalogue yet (run make messages): {k[1]!r}" for k in in_code - in_po]
    problems += [f"{where}: no longer in the code (run make messages): {k[1]!r}" for k in in_po - in_code]
    for entry in committed:
        wanted = sorted(PLACEHOLDER.findall(entry.msgid))
        forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in filter(None, forms):
            if sorted(PLACEHOLDER.findall(text)) != wanted:
                problems.append(f"{where}: placeholders differ from {wanted}: {label(entry)}")
            if "`" in text:
                problems.append(f"{where}: a backtick in the translation of {label(entry)}")
    msgfmt = ["msgfmt", "--check", "--output-file", os.devnull, str(po_path)]
    checked = subprocess.run(msgfmt, capture_output=True, text=True)  # noqa: S603, S607 (GNU gettext on PATH)
    if checked.returncode:
        problems.append(f"{where}: msgfmt --check refuses it:\n{checked.stderr.strip()}")
    if not mo_path.exists():
        problems.append(f"{where}: no compiled .mo; run make messages")
    elif translations(polib.mofile(str(mo_path))) != translations(committed):
        problems.append(f"{where}: the .mo does not match the .po; run make messages")
    return problems


def calls_in_code(app: Path, ignore: tuple[str, ...]) -> dict[tuple[str, str], str]:
    """``{(context, message): "file:line"}`` of every translation call with literal text in ``app``."""
    found = {}
    for path in sorted(app.rglob("*.py")):
        relative = path.relative_to(app)
        if relative.parts[0] in ignore or "migrations" in relative.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in FUNCTIONS:
                continue
            context_at, message_at = FUNCTIONS[name]
            texts = [
                arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None
                for arg in node.args
            ]
            if len(texts) > message_at and texts[message_at] is not None:
                context = texts[context_at] if context_at is not None else ""
                found[(context or "", texts[message_at])] = f"{relative}:{node.lineno}"
    return found


def check(root: Path = ROOT) -> list[str]:
    """Every problem of the catalogues under ``root`` (a checkout); ``[]`` when all is well."""
    base = root / "teamleader" / "django"
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "django"
        shutil.copytree(base, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        make_messages(copy)
        problems = []
        for app, ignore in APPS.items():
            import polib

            extracted = {
                (e.msgctxt or "", e.msgid) for e in polib.pofile(str(catalogue(copy, app, LANGUAGES[0])))
            }
            for call, where in calls_in_code(base / app, ignore).items():
                if call not in extracted:
                    problems.append(
                        f"{base.relative_to(root) / app / where}: makemessages does not see this call "
                        f"(inside an f-string?): {call[1]!r}"
                    )
            for lang in LANGUAGES:
                where = str(catalogue(base, app, lang).relative_to(root))
                problems += check_catalogue(
                    catalogue(copy, app, lang),
                    catalogue(base, app, lang),
                    catalogue(base, app, lang, "mo"),
                    where,
                )
        return problems


def update(root: Path = ROOT) -> None:
    """Extract every string into the catalogues (keeping the translations), then compile them."""
    base = root / "teamleader" / "django"
    make_messages(base)
    django(["compilemessages"], base)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when a catalogue is incomplete or stale")
    options = parser.parse_args()
    missing = [tool for tool in ("xgettext", "msgmerge", "msgfmt") if shutil.which(tool) is None]
    if missing:
        print(f"{', '.join(missing)} not found: install GNU gettext (Debian: apt-get install gettext).")
        return 2
    if not options.check:
        update()
        return 0
    problems = check()
    for problem in problems:
        print(problem)
    if problems:
        print(
            f"{len(problems)} translation problems; translate them in the .po files, then run make messages."
        )
        return 1
    print(f"Translations complete in {', '.join(LANGUAGES)}; the .mo files match their .po files.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
