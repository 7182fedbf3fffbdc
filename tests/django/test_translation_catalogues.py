"""The translation check (``tools/translations.py --check``, run by ``make lint``) and the catalogues it guards."""

from __future__ import annotations

import gettext
import importlib
import shutil
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="GNU gettext is not installed (Debian: apt-get install gettext)"
)


def tool():
    if str(ROOT / "tools") not in sys.path:
        sys.path.insert(0, str(ROOT / "tools"))
    return importlib.import_module("translations")


@pytest.fixture
def checkout(tmp_path):
    """A copy of the Django app with its catalogues, where the check is run."""
    shutil.copytree(
        ROOT / "teamleader" / "django",
        tmp_path / "teamleader" / "django",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    return tmp_path


def po(root: Path, lang: str, app: str = "") -> Path:
    return root / "teamleader" / "django" / app / "locale" / lang / "LC_MESSAGES" / "django.po"


def edit_po(path: Path, msgid: str, change) -> None:
    catalogue = polib.pofile(str(path))
    change(next(e for e in catalogue if e.msgid == msgid))
    catalogue.save(str(path))


def test_the_shipped_catalogues_are_complete_and_compiled():
    assert tool().check(ROOT) == []


def test_a_new_string_fails_until_it_is_translated_in_every_language(checkout):
    labels = checkout / "teamleader" / "django" / "labels.py"
    labels.write_text(labels.read_text() + '\nSYNC = gettext_lazy("Sync now")\n')
    problems = tool().check(checkout)
    for lang in ("nl", "fr", "de"):
        assert (
            f"teamleader/django/locale/{lang}/LC_MESSAGES/django.po: not translated: 'Sync now'" in problems
        )
        assert (
            f"teamleader/django/locale/{lang}/LC_MESSAGES/django.po: not in the catalogue yet (run make messages): "
            "'Sync now'"
        ) in problems


def test_an_empty_or_fuzzy_translation_fails(checkout):
    edit_po(po(checkout, "fr"), "Reconnect", lambda e: setattr(e, "msgstr", ""))
    edit_po(po(checkout, "de", "mirror"), "contacts", lambda e: e.flags.append("fuzzy"))
    problems = tool().check(checkout)
    assert (
        "teamleader/django/locale/fr/LC_MESSAGES/django.po: not translated: [button] 'Reconnect'" in problems
    )
    assert (
        "teamleader/django/mirror/locale/de/LC_MESSAGES/django.po: fuzzy, not translated: 'contacts'"
        in problems
    )


def test_a_lost_placeholder_fails(checkout):
    edit_po(po(checkout, "nl"), "Connected as %(user)s.", lambda e: setattr(e, "msgstr", "Gekoppeld."))
    problems = tool().check(checkout)
    assert (
        "teamleader/django/locale/nl/LC_MESSAGES/django.po: placeholders differ from ['%(user)s']: "
        "'Connected as %(user)s.'"
    ) in problems
    assert any(
        p.startswith("teamleader/django/locale/nl/LC_MESSAGES/django.po: msgfmt --check") for p in problems
    )


def test_a_po_edited_without_compiling_fails(checkout):
    edit_po(po(checkout, "nl"), "Reconnect", lambda e: setattr(e, "msgstr", "Opnieuw verbinden"))
    assert tool().check(checkout) == [
        "teamleader/django/locale/nl/LC_MESSAGES/django.po: the .mo does not match the .po; run make messages"
    ]


def test_a_call_xgettext_cannot_see_fails(checkout):
    module = checkout / "teamleader" / "django" / "labels.py"
    module.write_text(module.read_text() + "\nHIDDEN = f\"{gettext_lazy('Hidden in an f-string')}\"\n")
    problems = tool().check(checkout)
    assert "teamleader/django/labels.py:" in problems[0] and problems[0].endswith(
        "makemessages does not see this call (inside an f-string?): 'Hidden in an f-string'"
    )


def test_make_messages_keeps_the_translations_and_compiles(checkout):
    edit_po(po(checkout, "nl"), "Reconnect", lambda e: setattr(e, "msgstr", "Opnieuw verbinden"))
    tool().update(checkout)
    assert tool().check(checkout) == []
    with open(po(checkout, "nl").with_suffix(".mo"), "rb") as compiled:
        assert gettext.GNUTranslations(compiled).pgettext("button", "Reconnect") == "Opnieuw verbinden"
