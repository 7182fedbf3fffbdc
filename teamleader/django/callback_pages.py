"""The pages ``teamleader_setup``'s callback server shows in the browser, in the site's language.

The server (:class:`teamleader.callback_server.CallbackServer`, in the Django-free core)
answers from its own threads, which do not share the command's active language: what it
calls back into is wrapped by :func:`in_language`.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from django.utils import translation
from django.utils.translation import gettext

from teamleader.callback_server import PageTexts

from .explain import explain

if TYPE_CHECKING:
    from .connect import ConnectionInfo

__all__ = ["connected_sentence", "in_language", "page_texts"]

F = TypeVar("F", bound=Callable[..., Any])


def in_language(fn: F, language: str | None = None) -> F:
    """``fn`` run in ``language`` (by default the one active now), from whichever thread calls it."""
    language = language or translation.get_language()

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        with translation.override(language):
            return fn(*args, **kwargs)

    return run  # type: ignore[return-value]


def page_texts() -> PageTexts:
    """The callback pages' words in the active language; errors told by :func:`~teamleader.django.explain.explain`."""
    return PageTexts(
        lang=translation.get_language() or "en",
        connected=gettext("Connected"),
        close_tab=gettext("You can close this tab."),
        access_denied=gettext("Access denied"),
        connection_failed=gettext("Connection failed"),
        see_terminal=gettext("See the terminal for what to do next."),
        unexpected_error=gettext("An unexpected error occurred; see the terminal."),
        not_accepted=gettext("Not accepted"),
        already_done=gettext("Already done"),
        already_done_message=gettext("This setup has already finished; you can close this tab."),
        not_found=gettext("Not found"),
        not_found_message=gettext("This address only receives Teamleader's redirect."),
        describe_error=in_language(explain),
    )


def connected_sentence(info: ConnectionInfo) -> str:
    """The success page's sentence: who Teamleader connected as, when known."""
    if info.user_label:
        return gettext("Teamleader is connected as %(user)s.") % {"user": info.user_label}
    return gettext("Teamleader is connected.")
