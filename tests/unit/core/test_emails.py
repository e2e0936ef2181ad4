"""Every email goes through one background task, which tries again with
growing waits when the mail server cannot take it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_q.models import Schedule

from msknet.core import emails


def test_a_templated_email_is_sent_by_the_email_task(network):
    emails.send_templated(
        "members/email/join_declined",
        to="someone@example.org",
        context={"network": network, "join_request": None},
    )

    [message] = mail.outbox
    assert message.to == ["someone@example.org"]
    assert network.name in message.subject + message.body


@pytest.mark.django_db
def test_an_email_the_server_cannot_take_is_tried_again_a_minute_later(
    unreachable_mail_server,
):
    before = timezone.now()

    outcome = emails.deliver(subject="Hello", body="Text", to="a@example.org")

    retry = Schedule.objects.get(func="msknet.core.emails.deliver")
    assert "trying again" in outcome
    assert retry.schedule_type == Schedule.ONCE
    assert before + timedelta(minutes=1) <= retry.next_run
    assert retry.next_run <= timezone.now() + timedelta(minutes=1)
    assert "'attempt': 2" in retry.kwargs and "'to': 'a@example.org'" in retry.kwargs


@pytest.mark.django_db
def test_each_further_try_waits_longer(unreachable_mail_server):
    for attempt in range(1, emails.ATTEMPTS):
        emails.deliver(subject="Hello", body="Text", to="a@example.org", attempt=attempt)
    now = timezone.now()

    retries = Schedule.objects.filter(func="msknet.core.emails.deliver").order_by("pk")
    waits = [round((s.next_run - now).total_seconds() / 60) for s in retries]
    assert waits == [1, 5, 30, 120]


@pytest.mark.django_db
def test_an_email_that_fails_every_try_fails_for_good_with_the_error(
    unreachable_mail_server,
):
    with pytest.raises(emails.EmailNotSent, match="could not be sent after 5 tries"):
        emails.deliver(
            subject="Hello", body="Text", to="a@example.org", attempt=emails.ATTEMPTS
        )

    assert not Schedule.objects.filter(func="msknet.core.emails.deliver").exists()


# Pictures in the HTML part -------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) + b"\x00'\"\\"
HTML = '<p>The chart:</p><img src="cid:chart-1@msknet" alt="A line chart">'


def pictures(message):
    return {part["Content-ID"]: part.get_payload(decode=True)
            for part in message.message().walk() if part["Content-ID"]}


def test_pictures_go_beside_the_html_part_under_their_content_ids():
    email = emails.message(subject="Hello", body="Text", to="a@example.org", html=HTML,
                           inline_images=[("chart-1@msknet", PNG)])

    mime = email.message()
    assert mime.get_content_type() == "multipart/related"
    assert [p.get_content_type() for p in mime.walk()] == [
        "multipart/related", "multipart/alternative", "text/plain", "text/html",
        "image/png"]
    assert pictures(email) == {"<chart-1@msknet>": PNG}
    [image] = [p for p in mime.walk() if p["Content-ID"]]
    assert image.get_content_disposition() == "inline"


def test_an_email_without_pictures_is_as_it_was():
    plain = emails.message(subject="Hello", body="Text", to="a@example.org")
    html = emails.message(subject="Hello", body="Text", to="a@example.org", html=HTML)

    assert plain.message().get_content_type() == "text/plain"
    assert html.message().get_content_type() == "multipart/alternative"
    assert pictures(html) == {}


def test_the_email_task_sends_the_pictures(network):
    emails.queue(subject="Hello", body="Text", to="a@example.org", html=HTML,
                 network_pk=network.pk, inline_images=[("chart-1@msknet", PNG)])

    [message] = mail.outbox
    assert pictures(message) == {"<chart-1@msknet>": PNG}


@pytest.mark.django_db
def test_a_retried_email_keeps_its_pictures(unreachable_mail_server, settings):
    import ast

    emails.deliver(subject="Hello", body="Text", to="a@example.org", html=HTML,
                   inline_images=[("chart-1@msknet", PNG)])
    retry = Schedule.objects.get(func="msknet.core.emails.deliver")
    # As the scheduler reads a schedule's kwargs back.
    kwargs = ast.literal_eval(retry.kwargs)
    kwargs.pop("q_options")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    outcome = emails.deliver(**kwargs)

    assert outcome == "Sent to a@example.org."
    [message] = mail.outbox
    assert pictures(message) == {"<chart-1@msknet>": PNG}
