"""The demo's innovations: NENC's pipeline, its finished screening, two years of
adoption with two stopped sites, the spinal pathway's spread project, and
London's few, all as a user of the demo would find them."""

import datetime as dt
from statistics import mean

import pytest
from django.urls import reverse
from django.utils import timezone

from msknet.communications.models import Kind as NotificationKind
from msknet.communications.models import Notification
from msknet.demo import load_demo_data
from msknet.governance.models import GroupKind
from msknet.innovations.demo import SPINAL_MEASURE
from msknet.innovations.models import (
    PATH,
    Adoption,
    AdoptionChange,
    AdoptionStatus,
    Innovation,
    Kind,
    Scorecard,
    ScreeningPanel,
    Stage,
)
from msknet.members.models import User

pytestmark = pytest.mark.slow


@pytest.fixture
def demo(db):
    assert load_demo_data() is True


def test_nenc_has_about_fifteen_innovations_of_every_kind_across_the_pipeline(demo):
    nenc = Innovation.objects.filter(network__slug="nenc")
    reviewed = nenc.reviewed()
    stages = [i.stage for i in reviewed]

    assert 14 <= reviewed.count() <= 16
    assert {i.kind for i in reviewed} == set(Kind.values)
    assert all(i.name.startswith("Demo: ") for i in nenc)
    assert stages.count(Stage.RECOMMENDED) > len(stages) / 2
    assert stages.count(Stage.SCREENING) == 2
    assert stages.count(Stage.ON_HOLD) == 1
    assert stages.count(Stage.PROPOSED) >= 1
    (dropped,) = reviewed.filter(stage=Stage.NOT_TAKEN_FORWARD)
    assert dropped.stage_reason
    assert nenc.awaiting_review().count() == 1
    app = nenc.get(name="Demo: MoveWell self-management app")
    assert (app.dtac_status, app.dcb0129_status) == ("met", "met")
    spinal = nenc.get(name="Demo: Regional spinal pathway")
    assert [m.name for m in spinal.measures.all()] == [SPINAL_MEASURE]
    assert {p.title for p in spinal.serves.all()} == {
        "Adopt the spinal pain pathway across the region"}
    links = [e.url for i in nenc for e in i.evidence.all()]
    assert links and all(u.startswith("https://example.org/") for u in links)

    # The screening is finished: a panel of three scored, the lead decided.
    panel = list(ScreeningPanel.objects.get(network__slug="nenc").panel.all())
    screened = Innovation.objects.filter(network__slug="nenc",
                                         stage_changes__stage_to=Stage.SCREENING
                                         ).distinct()
    scored = [i for i in screened if i.scorecards.exists()]
    cards = Scorecard.objects.filter(innovation__in=scored).prefetch_related("scores")
    values = [s.value for card in cards for s in card.scores.all()]
    decided = Innovation.objects.filter(network__slug="nenc",
                                        decision_meeting__isnull=False)

    assert len(panel) == 3
    assert len(scored) >= 10
    for innovation in scored:
        assert {c.panellist for c in innovation.scorecards.all()} == set(panel)
    assert all(card.scores.count() == 6 for card in cards)
    assert len(set(values)) >= 4  # plausible, varied scores
    assert all(s.comment for card in cards for s in card.scores.all())
    assert decided.count() >= 10
    assert {i.decision_meeting.group.kind for i in decided} == {GroupKind.STEERING}
    assert {i.decision_meeting.group.network.slug for i in decided} == {"nenc"}


def test_nencs_adoptions_step_through_two_years_and_a_trust_spreads_one(demo):
    today = timezone.localdate()
    adoptions = Adoption.objects.filter(innovation__network__slug="nenc")
    stopped = adoptions.filter(status=AdoptionStatus.STOPPED)
    reasons = set(AdoptionChange.objects.filter(adoption__in=stopped)
                  .exclude(reason="").values_list("reason", flat=True))

    assert adoptions.count() >= 20
    assert {a.site.type for a in adoptions} == {
        "nhs_trust", "pcn", "gp_practice", "community_provider", "local_authority"}
    assert reasons == {
        "Funding for the pilot ended and the service was not recommissioned",
        "Low uptake: the app did not support patients without smartphones",
    }
    for adoption in adoptions.prefetch_related("changes"):
        changes = list(adoption.changes.all())
        steps = [c.status_to for c in changes if c.status_to != "stopped"]
        assert steps == [s.value for s in PATH[1:len(steps) + 1]]
        assert all(today - dt.timedelta(days=760) <= c.on < today for c in changes)
        assert [c.on for c in changes] == sorted(c.on for c in changes)
        assert adoption.contacts.exists()
    assert len({a.status for a in adoptions}) >= 5  # sites at different points

    # The spinal pathway's spread to one trust is a QI project showing a shift.
    (spread,) = Adoption.objects.filter(
        innovation__name="Demo: Regional spinal pathway", project__isnull=False)
    measure = spread.project.measures.get(name=SPINAL_MEASURE)
    values = [p.value for p in measure.points.filter(quintile__isnull=True)
              .order_by("period")]

    assert spread.site.type == "nhs_trust"
    assert len(values) == 24
    assert mean(values[12:]) - mean(values[:12]) > 15
    assert measure.points.filter(annotation="Spinal pathway went live").exists()


def test_london_innovations_serve_its_projects_priorities_and_followers_heard(
        demo, client):
    london = Innovation.objects.filter(network__slug="london")
    (recommended,) = london.filter(stage=Stage.RECOMMENDED)
    projects_serve = {p.title for i in london for p in i.serves.all()
                      if p.qi_projects.exists()}

    assert london.count() == 3
    assert recommended.adoptions.count() == 2
    assert recommended.adoptions.filter(
        project__title__startswith="First-contact physiotherapy").exists()
    assert len(projects_serve) >= 3

    # NENC's followers heard of the recent move; coverage shows innovations.
    member = User.objects.get(email="member@nenc.example.nhs.uk")
    told = Notification.objects.filter(user=member,
                                       kind=NotificationKind.INNOVATION_STAGE)
    client.force_login(member)

    page = client.get(reverse("strategic-priorities-coverage", args=["nenc"])).text

    assert told.filter(title="Demo: MSK triage advice line: screening").exists()
    assert "Demo: Regional spinal pathway" in page
    assert "Demo: Chair-based exercise videos" not in page  # awaiting review
