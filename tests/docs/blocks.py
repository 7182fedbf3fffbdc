"""The code blocks of the documentation: found with Sybil, run as a reader would run them.

Every ```` ```python ```` block of a page runs, in page order, in one namespace per page,
unless an HTML comment right above it says why not: ``<!-- skip: next "a settings
fragment" -->`` (Sybil's skip syntax; the reason is required here). Hidden set-up code
goes in ``<!-- invisible-code-block: python … -->``. How a block runs:

- A block that defines ``test_…`` functions is a pytest example: it is written to a file
  and run by pytest in a child process (the project's test settings, SQLite), and all of
  its tests must pass.
- Any other block is executed. ``print`` output is captured; each ``# → text`` comment
  says that a line ``text`` is printed, and those lines must appear in that order.
- ``input()`` is a user who reads the last ``…/oauth2/authorize?…`` URL the page printed,
  presses Approve on the sandbox's consent page and pastes the URL they are sent back to.
"""

from __future__ import annotations

import ast
import contextlib
import io
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterator
from urllib.parse import parse_qsl, urlsplit

from sybil import Document, Example, Region
from sybil.parsers.markdown.lexers import DirectiveInHTMLCommentLexer, RawFencedCodeBlockLexer
from sybil.parsers.markdown.skip import SkipParser

ROOT = Path(__file__).resolve().parents[2]
#: Where documentation with code lives: the site's pages and the READMEs.
DOCUMENTS = sorted(
    path
    for path in [
        *ROOT.joinpath("docs").rglob("*.md"),
        ROOT / "README.md",
        ROOT / "example_project" / "README.md",
    ]
    if path.is_file()  # an unpacked sdist has no example_project/
)
EXPECTED = re.compile(r"#\s*→\s?(?P<line>.*?)\s*$")
FENCE = re.compile(
    r"^(?P<indent>[ \t]*(?:[-*+]|\d+[.)])?[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^\n`]*)$", re.M
)
SKIP = re.compile(r'<!--\s*skip:\s*next\s+"[^"\n]+"\s*-->\s*$')
OUTPUT = "__docs_output__"
PYTHON_NAMES = {"python", "py", "python3", "py3", "pycon", "ipython"}


class PythonBlocks:
    """A Sybil parser: fenced ``python`` blocks (an info string may follow, e.g. a title)
    and ``invisible-code-block: python`` comments, evaluated by :func:`run_block`."""

    def __init__(self) -> None:
        self.fenced = RawFencedCodeBlockLexer(
            info_pattern=re.compile(r"(?P<language>python)(?:[ \t]+[^\n]*)?$\n", re.M)
        )
        self.invisible = DirectiveInHTMLCommentLexer(directive=r"invisible-code-block", arguments="python")

    def __call__(self, document: Document) -> Iterator[Region]:
        for lexer in (self.fenced, self.invisible):
            for region in lexer(document):
                region.parsed = region.lexemes["source"]
                region.evaluator = run_block
                yield region


def parse(path: Path) -> Document:
    return Document.parse(str(path), PythonBlocks(), SkipParser())


def python_fences(text: str) -> Iterator[tuple[int, str]]:
    """``(offset, info)`` of every fence that opens a block in a Python-like language."""
    opened: str | None = None
    for match in FENCE.finditer(text):
        if opened is not None:
            if match["fence"].startswith(opened) and not match["info"].strip():
                opened = None
            continue
        opened = match["fence"]
        words = match["info"].strip().split()
        if words and words[0].lower().strip("{.}") in PYTHON_NAMES:
            yield match.start(), match["info"].strip()


def is_marked(text: str, offset: int) -> bool:
    """Is the block at ``offset`` preceded by ``<!-- skip: next "reason" -->``?"""
    before = text[:offset].rstrip().rsplit("\n", 1)[-1]
    return bool(SKIP.search(before.strip()))


# -- running -------------------------------------------------------------------------------
def run_block(example: Example) -> None:
    __tracebackhide__ = True
    source = str(example.parsed)
    where = f"{Path(example.path).relative_to(ROOT)}, line {example.line}"
    if defines_tests(source):
        run_as_pytest(source, where)
        return
    output: io.StringIO = example.namespace.setdefault(OUTPUT, io.StringIO())  # the page's screen
    start = output.tell()
    code = compile("\n" * (example.line + example.parsed.line_offset) + source, example.path, "exec")
    with contextlib.redirect_stdout(output):
        exec(code, example.namespace)  # noqa: S102 - the documentation's own code
    example.namespace.pop("__builtins__", None)
    check_printed(source, output.getvalue()[start:].splitlines(), where)
    for hook in example.namespace.get("__after_block__", ()):
        hook(example.namespace)


def defines_tests(source: str) -> bool:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    return any(isinstance(node, ast.FunctionDef) and node.name.startswith("test_") for node in tree.body)


def check_printed(source: str, printed: list[str], where: str) -> None:
    """Each ``# → line`` of ``source`` was printed, in that order."""
    expected = [m["line"] for m in map(EXPECTED.search, source.splitlines()) if m]
    remaining = iter(line.rstrip() for line in printed)
    for line in expected:
        if not any(line == seen for seen in remaining):
            shown = "\n".join(f"    {seen}" for seen in printed) or "    (nothing)"
            raise AssertionError(f"{where}: the comment says '→ {line}', but the block printed:\n{shown}")


def run_as_pytest(source: str, where: str) -> None:
    """Run a block of pytest tests in a child process, with the project's test settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_", "TEAMLEADER_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.settings",
        DATABASE_URL="sqlite:///:memory:",
        PYTHONPATH=os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]),
    )
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "test_docs_example.py").write_text(source)
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "-W",
                "error",
                "test_docs_example.py",
            ],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    tests = sum(1 for line in source.splitlines() if re.match(r"def test_", line))
    if result.returncode != 0 or f"{tests} passed" not in result.stdout:
        raise AssertionError(f"{where}: the example's tests did not pass:\n{result.stdout}{result.stderr}")


def approving_user(namespace: dict[str, Any]) -> Callable[[str], str]:
    """``input()`` for the quick start: approve the last authorize URL printed, paste the redirect."""
    import requests

    def user(prompt: str = "") -> str:
        printed = namespace[OUTPUT].getvalue() if OUTPUT in namespace else ""
        urls = re.findall(r"https?://\S+/oauth2/authorize\?\S+", printed)
        assert urls, f"input({prompt!r}) was called, but no authorize URL was printed before it"
        parts = urlsplit(urls[-1])
        form = {**dict(parse_qsl(parts.query)), "decision": "approve"}
        answer = requests.post(
            parts._replace(query="").geturl(), data=form, allow_redirects=False, timeout=10
        )
        assert answer.status_code == 302, f"the consent page answered {answer.status_code}"
        return answer.headers["Location"]

    return user
