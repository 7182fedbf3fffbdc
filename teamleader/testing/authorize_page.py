"""The HTML of the sandbox's consent page (``GET /oauth2/authorize``)."""

from __future__ import annotations

from html import escape

__all__ = ["consent_page", "error_page"]

_STYLE = """
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
 background:#f3f5f8;color:#1f2937;display:flex;min-height:100vh;align-items:center;justify-content:center}
main{background:#fff;border-radius:12px;box-shadow:0 4px 24px rgba(0,0,0,.08);padding:2rem 2.25rem;
 max-width:30rem;width:calc(100% - 2rem)}
h1{font-size:1.35rem;margin:0 0 .25rem}
.badge{display:inline-block;font-size:.75rem;font-weight:600;letter-spacing:.04em;text-transform:uppercase;
 color:#92400e;background:#fef3c7;border-radius:999px;padding:.1rem .6rem;margin-bottom:1rem}
dl{margin:1.25rem 0;display:grid;grid-template-columns:auto 1fr;gap:.4rem 1rem}
dt{color:#6b7280}dd{margin:0;word-break:break-all;font-family:ui-monospace,monospace;font-size:.9rem}
.actions{display:flex;gap:.75rem;margin-top:1.5rem}
button{flex:1;font:inherit;font-weight:600;border-radius:8px;padding:.65rem 1rem;cursor:pointer;
 border:1px solid #d1d5db}
button.approve{background:#00b2b2;border-color:#00b2b2;color:#fff}
button.deny{background:#fff;color:#374151}
button:focus-visible{outline:3px solid #93c5fd;outline-offset:2px}
p.note{color:#6b7280;font-size:.85rem;margin:1rem 0 0}
"""


def _page(title: str, content: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)} · Teamleader Focus sandbox</title>\n<style>{_STYLE}</style>\n"
        f"</head>\n<body>\n<main>\n{content}\n</main>\n</body>\n</html>\n"
    )


def consent_page(*, client_id: str, redirect_uri: str, state: str, user_name: str, account_name: str) -> str:
    """The page asking the signed-in user to approve or deny the integration."""
    hidden = "".join(
        f'<input type="hidden" name="{name}" value="{escape(value)}">'
        for name, value in (
            ("client_id", client_id),
            ("redirect_uri", redirect_uri),
            ("state", state),
            ("response_type", "code"),
        )
    )
    content = f"""<span class="badge">Sandbox</span>
<h1>Connect an integration to Teamleader Focus</h1>
<p>An integration asks for access to the account <strong>{escape(account_name)}</strong>
on behalf of <strong>{escape(user_name)}</strong>.</p>
<dl>
<dt>Client ID</dt><dd id="client-id">{escape(client_id)}</dd>
<dt>Redirect URI</dt><dd id="redirect-uri">{escape(redirect_uri)}</dd>
</dl>
<form method="post" action="/oauth2/authorize">
{hidden}
<div class="actions">
<button type="submit" class="approve" name="decision" value="approve">Approve</button>
<button type="submit" class="deny" name="decision" value="deny">Deny</button>
</div>
</form>
<p class="note">This is an offline emulation of Teamleader Focus for development and tests.</p>"""
    return _page("Authorize integration", content)


def error_page(message: str) -> str:
    """A 400 page for an authorize request that cannot be sent back to the integration."""
    content = f"""<span class="badge">Sandbox</span>
<h1>This authorization request is invalid</h1>
<p id="error">{escape(message)}</p>"""
    return _page("Invalid request", content)
