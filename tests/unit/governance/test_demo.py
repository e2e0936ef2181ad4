import pytest
from django.utils import timezone

from msknet.demo import load_demo_data
from msknet.governance.models import (
    Action,
    ActionStatus,
    Decision,
    GroupKind,
    Phase,
    TermsStatus,
)
from msknet.members.models import Network

pytestmark = pytest.mark.slow


def test_demo_gives_each_network_governance(db):
    assert load_demo_data() is True

    london = Network.objects.get(slug="london")
    steering = london.groups.get(kind=GroupKind.STEERING)
    assert london.groups.filter(kind=GroupKind.SUBGROUP).count() == 3
    assert [v.status for v in steering.terms_versions.order_by("number")] == [
        TermsStatus.APPROVED, TermsStatus.DRAFT]
    assert "Quorum" in steering.terms_versions.get(number=1).text
    assert steering.meetings.count() == 5
    assert Decision.objects.filter(network=london).exists()
    phases = list(Phase.objects.filter(network=london).values_list(
        "title", "starts_on", "ends_on"))
    assert phases[0][0] == "Scoping" and str(phases[0][1]) == "2022-07-01"
    assert phases[2][2] is None  # go live, with no end
    mine = Action.objects.filter(network=london,
                                 owner__email="member@london.example.nhs.uk")
    assert mine.filter(status=ActionStatus.DONE).exists()
    assert mine.overdue(timezone.localdate()).exists()
