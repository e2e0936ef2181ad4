"""Sending email from templates: `<name>_subject.txt` and `<name>_body.txt`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def send_templated(name: str, *, to: str, context: dict[str, Any]) -> None:
    context = {"site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"{name}_subject.txt", context).strip()
    body = render_to_string(f"{name}_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
