import pytest
from click.testing import CliRunner
from django.core import mail

from msknet.cli import cli
from msknet.discussions import actions
from tests.factories.memberships import MembershipFactory

pytestmark = pytest.mark.django_db


def run(*args):
    return CliRunner().invoke(cli, ["discussions", *args])


def test_digest_command_sends_and_reports(network, member, sent_on_commit):
    MembershipFactory(network=network, user__full_name="Aisha Rahman")
    actions.start_thread(network=network, by=member, title="T", body="@[Aisha Rahman]")

    with sent_on_commit():
        result = run("digest", "--frequency", "weekly")
    again = run("digest", "--frequency", "weekly")

    assert result.exit_code == 0, result.output
    assert result.output == "Sent 1 weekly digest.\n"
    assert again.output == "Sent 0 weekly digests.\n"
    assert len(mail.outbox) == 1


def test_digest_command_needs_a_frequency():
    result = run("digest", "--frequency", "none")

    assert result.exit_code == 2
    assert "'none' is not one of 'daily', 'weekly'" in result.output
