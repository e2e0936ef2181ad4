"""One confirmation page for actions that cannot be undone.

A view whose POST closes, removes or withdraws something answers GET with
`confirm(...)`: the question, what will happen, a button that posts back to
the same address and a way out. It works without JavaScript, and a link to
the view is all a page needs to offer the action.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.http import HttpRequest
from django.template.response import TemplateResponse


def confirm(
    request: HttpRequest,
    *,
    question: str,
    explanation: str | Sequence[str],
    button: str,
    back_url: str,
    back_text: str = "Go back without changing anything",
    crumbs: Iterable[tuple[str, str]] | None = None,
    hidden: dict[str, str] | None = None,
    warning: bool = True,
) -> TemplateResponse:
    paragraphs = [explanation] if isinstance(explanation, str) else list(explanation)
    context = {
        "question": question,
        "explanation": paragraphs,
        "button": button,
        "back_url": back_url,
        "back_text": back_text,
        "crumbs": list(crumbs) if crumbs else None,
        "hidden": list((hidden or {}).items()),
        "warning": warning,
    }
    return TemplateResponse(request, "core/confirm.html", context)
