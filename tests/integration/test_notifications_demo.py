"""The demo gives each sign-in notifications of several kinds, as their role would."""

import pytest

from msknet.communications.models import Kind, Notification
from msknet.demo import demo_logins, load_demo_data

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def kinds(email):
    return set(Notification.objects.filter(user__email=email).values_list("kind", flat=True))


def test_each_demo_role_has_what_its_role_would_be_told():
    assert load_demo_data() is True

    lead = kinds("lead@london.example.nhs.uk")
    steering = kinds("steering@london.example.nhs.uk")
    member = kinds("member@london.example.nhs.uk")

    assert {Kind.JOIN_REQUEST_WAITING, Kind.TOR_FOR_APPROVAL} <= lead
    assert {Kind.SCORING_DUE, Kind.PAPERS_PUBLISHED} <= steering
    assert {Kind.ACTION_ASSIGNED, Kind.ACTION_OVERDUE, Kind.DISCUSSION_MENTION} <= member
    for email in ("lead@nenc.example.nhs.uk", "steering@nenc.example.nhs.uk",
                  "member@nenc.example.nhs.uk"):
        assert len(kinds(email)) >= 3
    # Something is new for each, and nobody synthetic waits for a digest email.
    logins = ["lead@london.example.nhs.uk", "steering@london.example.nhs.uk",
              "member@london.example.nhs.uk"]
    for email in logins:
        assert Notification.objects.filter(user__email=email).unread().exists()
    waiting = set(Notification.objects.not_emailed().values_list("user__email", flat=True))
    assert waiting
    assert waiting <= {email for _, email in demo_logins()}
