"""tools/generate_endpoints.py: the naming rule, ``--check``, and the extract it keeps."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .spec_values import SPEC_MISSING, SPEC_PATH, load_spec

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = ROOT / "tools" / "generate_endpoints.py"
GENERATED = [
    ROOT / "teamleader" / "namespaces.py",
    *sorted((ROOT / "teamleader" / "endpoints").rglob("*.py")),
]
RULES = sorted((ROOT / "teamleader" / "rules").rglob("*.py"))
ANSWERS = ROOT / "teamleader" / "testing" / "answers.json"


def load_tool(name: str):
    """A module of ``tools/`` (they import each other by name)."""
    if str(ROOT / "tools") not in sys.path:
        sys.path.insert(0, str(ROOT / "tools"))
    return importlib.import_module(name)


def load_generator():
    return load_tool("render_endpoints")


def run(script: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, timeout=120)


def copy_of_repo(tmp_path: Path) -> Path:
    """The generator, its table and the package, copied: tests never touch the checkout."""
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "tools", tmp_path / "tools", ignore=ignore)
    shutil.copytree(ROOT / "teamleader", tmp_path / "teamleader", ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")  # ruff format's settings
    return tmp_path


@pytest.mark.parametrize(
    ("path", "namespace", "method"),
    [
        ("/contacts.linkToCompany", ["contacts"], "link_to_company"),
        ("/projects-v2/projectGroups.create", ["projects_v2", "project_groups"], "create"),
        ("/daysOff.import", ["days_off"], "import_"),
        ("/accounts.projects-v2-status", ["accounts"], "projects_v2_status"),
        ("/users.listDaysOff", ["users"], "list_days_off"),
    ],
)
def test_naming_rule(path, namespace, method):
    assert load_generator().python_names(path) == (namespace, method)


def test_iterate_names():
    generator = load_generator()
    assert generator.iterate_name("list") == "iterate"
    assert generator.iterate_name("listDaysOff") == "iterate_days_off"
    assert generator.iterate_name("linkToCompany") is None


def test_check_passes_on_the_committed_output():
    result = run(GENERATOR, "--check")
    assert result.returncode == 0, result.stderr


def test_check_names_altered_missing_and_leftover_files_and_writes_nothing(tmp_path):
    repo = copy_of_repo(tmp_path)
    contacts = repo / "teamleader" / "endpoints" / "contacts.py"
    contacts.write_text(contacts.read_text().replace('"contacts.add"', '"contacts.create"'))
    (repo / "teamleader" / "endpoints" / "webhooks.py").unlink()
    (repo / "teamleader" / "endpoints" / "old_group.py").write_text("# left over\n")
    rules = repo / "teamleader" / "rules" / "deals.py"
    rules.write_text(rules.read_text().replace("'won'", "'wonn'"))
    result = run(repo / "tools" / "generate_endpoints.py", "--check")
    assert result.returncode == 1
    for name in (
        "endpoints/contacts.py",
        "endpoints/webhooks.py",
        "endpoints/old_group.py",
        "rules/deals.py",
    ):
        assert f"teamleader/{name}" in result.stderr
    assert contacts.read_text().count('"contacts.create"') == 1  # --check writes nothing


def test_regenerating_from_the_extract_repairs_the_copy(tmp_path):
    repo = copy_of_repo(tmp_path)
    (repo / "teamleader" / "endpoints" / "webhooks.py").write_text("broken\n")
    (repo / "teamleader" / "testing" / "answers.json").write_text("{}\n")
    assert run(repo / "tools" / "generate_endpoints.py").returncode == 0
    for path in ("endpoints/webhooks.py", "testing/answers.json"):
        assert (repo / "teamleader" / path).read_text() == (ROOT / "teamleader" / path).read_text()


@pytest.mark.skipif(load_spec() is None, reason=SPEC_MISSING)
def test_the_committed_table_is_what_the_spec_gives():
    extract = load_tool("spec_extract")
    assert (
        extract.dump_extract(extract.build_extract(load_spec()))
        == (ROOT / "tools" / "operations.json").read_text()
    )


@pytest.mark.skipif(load_spec() is None, reason=SPEC_MISSING)
def test_regenerating_from_the_spec_is_one_command_and_changes_nothing(tmp_path):
    repo = copy_of_repo(tmp_path)
    result = run(repo / "tools" / "generate_endpoints.py", str(SPEC_PATH))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""  # nothing written: the committed output is current


@pytest.mark.skipif(load_spec() is None, reason=SPEC_MISSING)
def test_no_spec_prose_in_the_package_or_the_table():
    prose: set[str] = set()

    def collect(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if (
                    key in ("description", "summary")
                    and isinstance(value, str)
                    and len(value) >= 30
                    and " " in value
                ):
                    prose.add(value.strip())
                if key != "example":  # examples are data the extract keeps, even a field named description
                    collect(value)
        elif isinstance(node, list):
            for item in node:
                collect(item)

    collect(load_spec())
    assert len(prose) > 100
    for path in [*GENERATED, *RULES, ANSWERS, ROOT / "tools" / "operations.json"]:
        text = path.read_text()
        leaked = [p for p in prose if p in text or json.dumps(p)[1:-1] in text]
        assert leaked == [], f"{path.relative_to(ROOT)} holds spec prose: {leaked[:3]}"


def test_generated_files_are_headed_and_of_readable_size():
    for path in GENERATED:
        text = path.read_text()
        assert text.startswith("# Generated by tools/generate_endpoints.py from Teamleader's OpenAPI ")
        assert text.count("\n") < 600, path


def test_generated_code_is_ruff_formatted():
    ruff = shutil.which("ruff") or shutil.which("ruff", path=str(Path(sys.executable).parent))
    if ruff is None:
        pytest.skip("ruff is not installed")
    result = subprocess.run(
        [ruff, "format", "--check", *map(str, GENERATED)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
