"""What news holds about a person: in their data download, and gone when they
delete their account (the counts of what was sent stay)."""

import pytest

from msknet.communications.models import (
    EmailSuppression,
    NewsOptOut,
    NewsRecipient,
    NewsWriter,
)
from msknet.communications.news_actions import suppress_email
from msknet.members.actions.accounts import erase_account
from msknet.members.queries_accounts import personal_data
from tests.factories.news import (
    NewsRecipientFactory,
    NewsWriterFactory,
    SentNewsFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(network, member):
    item = SentNewsFactory(network=network, title="Autumn newsletter")
    NewsRecipientFactory(item=item, user=member)
    NewsOptOut.objects.create(network=network, user=member)
    NewsWriterFactory(network=network, user=member)
    suppress_email(email=member.email)
    return member


def test_the_data_download_lists_news_emails_and_choices(reader):
    news = personal_data(reader)["news"]

    assert news["emails_sent_to_you"][0]["title"] == "Autumn newsletter"
    assert news["emails_sent_to_you"][0]["address"] == reader.email
    assert news["unsubscribed_from"] == ["London MSK Health Improvement Network"]
    assert news["writes_news_for"] == ["London MSK Health Improvement Network"]
    assert news["address_suppressed"] == "Hard bounce"


def test_deleting_the_account_removes_the_address_but_keeps_the_count(reader):
    erase_account(user=reader)

    assert NewsRecipient.objects.get().email == ""
    assert not NewsOptOut.objects.exists()
    assert not NewsWriter.objects.exists()
    assert not EmailSuppression.objects.exists()
