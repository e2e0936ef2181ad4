from datetime import timedelta

import pytest
from click.testing import CliRunner
from django.core import mail
from django.utils import timezone

from msknet.cli import cli
from msknet.community.actions import events as actions
from tests.factories.community import EventFactory

pytestmark = pytest.mark.django_db


def test_events_remind_emails_each_registrant_once(network, member, sent_on_commit):
    event = EventFactory(network=network, starts_at=timezone.now() + timedelta(hours=3))
    actions.register(event=event, by=member)

    with sent_on_commit():
        first = CliRunner().invoke(cli, ["events", "remind"])
    with sent_on_commit():
        second = CliRunner().invoke(cli, ["events", "remind"])

    assert first.exit_code == 0, first.output
    assert first.output == "Sent 1 reminder.\n"
    assert second.output == "Sent 0 reminders.\n"
    assert [m.to for m in mail.outbox] == [[member.email]]
