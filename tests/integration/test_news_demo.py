"""The demo's London news: two newsletters sent, one announcement scheduled."""

import pytest
from django.core import mail
from django.urls import reverse

from msknet.communications.models import NewsItem, NewsStatus, RecipientStatus
from msknet.demo import load_demo_data

pytestmark = pytest.mark.slow


def test_the_demo_has_sent_and_scheduled_news_and_emails_nobody(db, client):
    assert load_demo_data() is True

    london = NewsItem.objects.filter(network__slug="london")
    sent = london.filter(status=NewsStatus.SENT)
    assert sent.count() == 2
    assert london.filter(status=NewsStatus.SCHEDULED).count() == 1
    newest = sent.order_by("-sent_at").first()
    assert newest.recipients.filter(status=RecipientStatus.BOUNCED).count() == 1
    assert newest.recipients.filter(opened_at__isnull=False).exists()
    assert mail.outbox == []
    page = client.get(reverse("news-list", args=["london"])).content.decode()
    assert "London MSK newsletter: autumn" in page  # public
    assert "London MSK newsletter: winter" not in page  # members only
