"""Sending email from templates: `<name>_subject.txt` and `<name>_body.txt`.

Every email goes out through one background task, `deliver`: the message is
written when it is asked for (after the action's commit, from the objects it
names), and a worker sends it, trying again with growing waits if the mail
server cannot take it. An email that still cannot be sent fails for good and
is shown, with its error, to the leads of the network it was about.

An email may carry pictures in its HTML part (`inline_images`: pairs of a
content id and PNG bytes, shown with `<img src="cid:the-id">`): the message
is then multipart/related, the pictures beside the text and HTML.
"""

from __future__ import annotations

from datetime import timedelta
from email.mime.image import MIMEImage
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

from msknet.core import tasks

#: How long to wait before each further try at an email the mail server
#: refused or could not be reached for: five tries in about two and a half hours.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
)
ATTEMPTS = len(RETRY_DELAYS) + 1


#: Pictures for an email's HTML part: (content id, PNG bytes) pairs.
InlineImages = list[tuple[str, bytes]]


class EmailNotSent(Exception):
    """The mail server would not take an email after every try."""


def send_templated(
    name: str,
    *,
    to: str,
    context: dict[str, Any],
    headers: dict[str, str] | None = None,
    inline_images: InlineImages | None = None,
) -> None:
    """Write an email from `<name>_subject.txt` and `<name>_body.txt` (plain
    text, autoescape off) and, where it exists, `<name>_body.html` (the HTML
    part, escaped as any page, showing any `inline_images` by `cid:`), and
    queue it."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"{name}_subject.txt", context).strip()
    body = render_to_string(f"{name}_body.txt", context)
    try:
        html: str | None = render_to_string(f"{name}_body.html", context)
    except TemplateDoesNotExist:
        html = None
    network = context.get("network")
    queue(
        subject=subject,
        body=body,
        to=to,
        html=html,
        headers=headers,
        network_pk=getattr(network, "pk", None),
        inline_images=inline_images,
    )


def queue(
    *,
    subject: str,
    body: str,
    to: str,
    html: str | None = None,
    headers: dict[str, str] | None = None,
    network_pk: int | None = None,
    inline_images: InlineImages | None = None,
) -> None:
    """Hand a written email to a worker to send."""
    extra: dict[str, Any] = {"inline_images": inline_images} if inline_images else {}
    # Nothing of a sent email is kept: it may hold a sign-in link.
    tasks.enqueue(
        "msknet.core.emails.deliver",
        name=f"Email: {subject}"[:100],
        network_pk=network_pk,
        keep_result=False,
        subject=subject,
        body=body,
        to=to,
        html=html,
        headers=headers,
        about_network=network_pk,
        **extra,
    )


def message(
    *,
    subject: str,
    body: str,
    to: str,
    html: str | None = None,
    headers: dict[str, str] | None = None,
    inline_images: InlineImages | None = None,
) -> EmailMultiAlternatives:
    """One email: plain text, with an HTML alternative when there is one, and
    the HTML's pictures beside them (multipart/related) when there are any."""
    email = EmailMultiAlternatives(
        subject, body, settings.DEFAULT_FROM_EMAIL, [to], headers=headers or {}
    )
    if html:
        email.attach_alternative(html, "text/html")
    if html and inline_images:
        email.mixed_subtype = "related"
        for content_id, png in inline_images:
            image = MIMEImage(png, "png")
            image.add_header("Content-ID", f"<{content_id}>")
            image.add_header("Content-Disposition", "inline",
                             filename=f"{content_id.partition('@')[0]}.png")
            email.attach(image)
    return email


def deliver(
    *,
    subject: str,
    body: str,
    to: str,
    html: str | None = None,
    headers: dict[str, str] | None = None,
    attempt: int = 1,
    about_network: int | None = None,
    inline_images: InlineImages | None = None,
) -> str:
    """Send one email; if the mail server fails, try again later, up to
    ATTEMPTS times, then fail for good (EmailNotSent)."""
    try:
        message(subject=subject, body=body, to=to, html=html, headers=headers,
                inline_images=inline_images).send()
    except OSError as error:  # smtplib's errors and refused connections
        if attempt >= ATTEMPTS:
            raise EmailNotSent(
                f"The email {subject!r} to {to} could not be sent after "
                f"{attempt} tries: {error}"
            ) from error
        delay = RETRY_DELAYS[attempt - 1]
        # Pictures go in the retry as bytes literals, which the scheduler
        # reads back unchanged (it parses the kwargs with ast.literal_eval).
        extra: dict[str, Any] = (
            {"inline_images": list(inline_images)} if inline_images else {})
        tasks.enqueue_later(
            "msknet.core.emails.deliver",
            delay=delay,
            network_pk=about_network,
            keep_result=False,
            subject=subject,
            body=body,
            to=to,
            html=html,
            headers=headers,
            attempt=attempt + 1,
            about_network=about_network,
            **extra,
        )
        return f"Try {attempt} failed ({error}); trying again in {delay}."
    return f"Sent to {to}."
