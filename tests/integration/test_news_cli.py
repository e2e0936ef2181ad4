"""`msknet news bounce`: a provider's bounce or complaint report stops news
emails to the address."""

import pytest
from click.testing import CliRunner

from msknet.cli import cli
from msknet.communications.models import EmailSuppression, SuppressionReason
from msknet.communications.news_audiences import audience_members
from tests.factories.news import NewsItemFactory

pytestmark = pytest.mark.django_db


def test_a_reported_complaint_stops_news_to_the_address(network, member):
    first = CliRunner().invoke(
        cli, ["news", "bounce", member.email.upper(), "--reason", "complaint"]
    )
    second = CliRunner().invoke(cli, ["news", "bounce", member.email])

    assert first.exit_code == 0, first.output
    assert first.output == f"No more news will be emailed to {member.email}.\n"
    assert second.output == f"{member.email} was already suppressed.\n"
    assert EmailSuppression.objects.get().reason == SuppressionReason.COMPLAINT
    assert member not in audience_members(NewsItemFactory(network=network))
