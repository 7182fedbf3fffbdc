"""What the app's management commands share: help in the active language."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext

__all__ = ["TranslatedCommand"]


class TranslatedCommand(BaseCommand):
    """A command whose ``help`` (marked with ``gettext_noop``) is shown in the active language.

    argparse cannot take Django's lazy strings, so the help is translated when the parser is built.
    """

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        self.help = gettext(type(self).help) if type(self).help else ""
        return super().create_parser(prog_name, subcommand, **kwargs)
