import pytest

from msknet.demo import load_demo_data
from msknet.members.models import Network, User
from msknet.priorities import queries
from msknet.priorities.demo import selected_nominations
from msknet.priorities.models import Decision, RoundStatus

pytestmark = pytest.mark.slow


@pytest.fixture
def demo(db):
    assert load_demo_data() is True


@pytest.fixture
def london(demo, db):
    return Network.objects.get(slug="london")


def test_london_has_a_finished_round_with_one_project_per_term(london):
    finished = london.priority_rounds.get(title="London MSK priorities 2025/26")

    assert finished.status == RoundStatus.FINISHED
    assert finished.nominations.count() == 8
    selected = finished.nominations.filter(decision=Decision.SELECTED)
    assert sorted(selected.values_list("term", flat=True)) == ["long", "medium",
                                                               "short"]
    assert not finished.nominations.filter(decision="").exists()
    assert all(n.decision_reason for n in finished.nominations.exclude(
        decision=Decision.SELECTED))


def test_londons_ranking_proposes_what_the_lead_selected(london):
    finished = london.priority_rounds.get(title="London MSK priorities 2025/26")
    lead = User.objects.get(email="lead@london.example.nhs.uk")

    rows = queries.results(finished, lead)
    proposal = queries.portfolio(finished, lead)

    assert {row.result.panellists for row in rows} == {5}
    assert all(row.supports > 0 for row in rows)
    assert {row.nomination for _, row in proposal.proposed} == set(proposal.selected)


def test_london_has_an_open_round_with_nominations(london):
    open_round = london.priority_rounds.get(title="London MSK priorities 2026/27")

    assert open_round.status == RoundStatus.OPEN
    assert open_round.nominations.count() == 2


def test_selected_nominations_are_there_for_both_networks(demo, db):
    assert selected_nominations().count() == 6
    nenc = Network.objects.get(slug="nenc")
    assert selected_nominations(nenc).count() == 3
