"""One place holds the version: ``teamleader.__version__``."""

from __future__ import annotations

import re
from pathlib import Path

from teamleader import __version__

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("teamleader", "tests", "tools", "bench", "docs", "example_project")
TEXT = {".py", ".md", ".cfg", ".toml", ".ini", ".yml", ".html", ".txt", ".json", ".css"}


def test_setup_cfg_reads_the_version_from_the_package():
    assert re.search(r"^version = attr: teamleader\.__version__$", (ROOT / "setup.cfg").read_text(), re.M)


def test_no_other_file_repeats_the_version():
    files = [
        ROOT / name
        for name in ("README.md", "setup.cfg", "setup.py", "pyproject.toml", "tox.ini", "mkdocs.yml")
    ]
    for folder in SOURCES:
        files += [
            path for path in (ROOT / folder).rglob("*") if path.suffix in TEXT and ".venv" not in path.parts
        ]
    literal = re.compile(rf"(?<![\w.]){re.escape(__version__)}(?![\w.])")
    repeated = [
        str(path.relative_to(ROOT))
        for path in files
        if path.is_file()
        and path != ROOT / "teamleader" / "__init__.py"
        and literal.search(path.read_text("utf-8"))
    ]
    # CHANGELOG.md names released versions on purpose; everything else reads __version__.
    assert repeated == [], f"{__version__} is written out in {repeated}; use teamleader.__version__"
