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
