"""The demo tells one consistent story: projects work where their aims say,
each decision is logged once, meetings fall on working days, an overdue
milestone says so, and each network has its own groups."""

from collections import Counter
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from msknet.community.models import Event
from msknet.core.dates import england_bank_holidays, is_working_day
from msknet.demo import load_demo_data
from msknet.governance.models import Decision, GroupKind, Meeting, Milestone
from msknet.improvement.models import QIProject
from msknet.members.models import Network, User
from msknet.priorities.models import Nomination

pytestmark = pytest.mark.slow


@pytest.fixture
def demo(db):
    assert load_demo_data() is True


def test_demo_projects_and_decisions_agree_with_themselves(demo):
    falls = QIProject.objects.get(title__startswith="Falls and fracture prevention")
    assert "North East and North Central London" in falls.aim
    assert {icb.ods_code for icb in falls.icbs.all()} == {"QMF", "QMJ"}

    logged = Counter(Decision.objects.values_list("network__slug", "text"))
    assert [text for text, times in logged.items() if times > 1] == []


def test_demo_meetings_fall_on_working_days(demo):
    days = [timezone.localtime(m.starts_at).date() for m in Meeting.objects.all()]
    days += [timezone.localtime(e.starts_at).date() for e in Event.objects.all()]
    days += list(Nomination.objects.exclude(decision_meeting_on=None)
                 .values_list("decision_meeting_on", flat=True))

    assert len(days) > 20
    assert [day for day in days if not is_working_day(day)] == []


def test_demo_networks_have_their_own_groups(demo):
    london, nenc = Network.objects.get(slug="london"), Network.objects.get(slug="nenc")
    names = {network: set(network.groups.filter(kind=GroupKind.SUBGROUP)
                           .values_list("name", flat=True))
             for network in (london, nenc)}

    assert len(names[nenc]) == 3
    assert names[london].isdisjoint(names[nenc])
    nenc_terms = " ".join(
        version.text for group in nenc.groups.filter(kind=GroupKind.SUBGROUP)
        for version in group.terms_versions.all())
    assert "each ICB" not in nenc_terms  # one ICB, many places


def test_demo_overdue_milestone_shows_as_overdue(demo, client):
    london = Network.objects.get(slug="london")
    overdue = Milestone.objects.filter(network=london, done=False,
                                       due_on__lt=timezone.localdate())
    assert overdue.exists()
    client.force_login(User.objects.get(email="lead@london.example.nhs.uk"))

    response = client.get(reverse("timeline", args=["london"]))

    assert response.text.count("Overdue</strong>") == overdue.count()


def test_bank_holidays_follow_the_published_dates():
    # gov.uk/bank-holidays, England and Wales, 2026.
    assert england_bank_holidays(2026) == {
        date(2026, 1, 1), date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 4),
        date(2026, 5, 25), date(2026, 8, 31), date(2026, 12, 25), date(2026, 12, 28),
    }
    assert not is_working_day(date(2026, 12, 28))
    assert is_working_day(date(2026, 12, 29))
