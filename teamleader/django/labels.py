"""The admin's button labels and page name: one translatable string each.

The status page shows these labels and every message that tells a person which button
to click names it through the same constant, so the hint and the button read the same
in every language. Lazy: they are translated when shown, in the language of the request
(or of the command).
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, pgettext_lazy

__all__ = ["CONNECT", "CONNECTION_PAGE", "DISCONNECT", "RECONNECT", "TEST", "for_template"]

CONNECT = pgettext_lazy("button", "Connect to Teamleader")
RECONNECT = pgettext_lazy("button", "Reconnect")
TEST = pgettext_lazy("button", "Test connection")
DISCONNECT = pgettext_lazy("button", "Disconnect")
#: The title of the status page, which is also the model's name in the admin's index.
CONNECTION_PAGE = gettext_lazy("Teamleader connection")


def for_template() -> dict[str, Promise]:
    """The labels by name, for a template's context (``{{ labels.reconnect }}``)."""
    return {
        "connect": CONNECT,
        "reconnect": RECONNECT,
        "test": TEST,
        "disconnect": DISCONNECT,
        "connection_page": CONNECTION_PAGE,
    }
