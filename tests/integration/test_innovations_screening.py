"""Innovation screening through the pages: set-up, the hidden-score rule, the
ranking with its spread, and the lead's decision at a meeting."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from msknet.communications.models import Kind as NotificationKind
from msknet.communications.models import Notification
from msknet.innovations.actions import screening as actions
from msknet.innovations.models import (
    Criterion,
    Follow,
    Innovation,
    Score,
    Scorecard,
    ScreeningPanel,
    Stage,
    StageChange,
)
from msknet.members.models import Role
from tests.factories.governance import make_group, make_meeting
from tests.factories.innovations import innovation as make_innovation
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import NetworkFactory
from tests.queries import queries_of

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def weighted(network):
    """Two criteria, weights 1 and 3, so weighted means are easy to work out."""
    evidence = Criterion.objects.create(network=network, name="Evidence", position=0)
    benefit = Criterion.objects.create(network=network, name="Benefit", position=1,
                                       weight=Decimal(3))
    actions.set_up(network=network)
    return evidence, benefit


@pytest.fixture
def other_steering(network):
    return MembershipFactory(network=network, role=Role.STEERING).user


@pytest.fixture
def in_screening(network, member):
    return make_innovation(network, name="Virtual fracture clinic",
                           stage=Stage.SCREENING, by=member)


def url(name, network, innovation=None, **extra):
    kwargs = {"network_slug": network.slug, **extra}
    if innovation is not None:
        kwargs["innovation_id"] = innovation.pk
    return reverse(name, kwargs=kwargs)


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def score(innovation, user, values):
    """Score every criterion, in position order, with `values`."""
    criteria = list(innovation.network.innovation_criteria.all())
    return actions.submit_scores(
        innovation=innovation, by=user,
        scores={c.pk: (v, "") for c, v in zip(criteria, values, strict=True)})


# Set-up -----------------------------------------------------------------------


def test_criteria_page_sets_up_the_default_criteria_and_scale(client, lead, network):
    client.force_login(lead)

    response = client.get(url("innovation-criteria", network))

    assert response.status_code == 200
    assert network.innovation_criteria.count() == 6
    assert "Strength of evidence" in response.text
    assert "from 1 (does not meet the criterion) to 5" in response.text
    assert ScreeningPanel.objects.get(network=network).scale == range(1, 6)


def test_lead_adds_a_weighted_criterion(client, lead, network, weighted):
    client.force_login(lead)

    response = client.post(url("innovation-criteria", network),
                           {"name": "Carbon impact", "weight": "1.5"})

    assert response.status_code == 302
    added = network.innovation_criteria.get(name="Carbon impact")
    assert added.weight == Decimal("1.5") and added.position == 2


def test_criterion_without_a_name_or_with_a_weight_off_range_writes_nothing(
        client, lead, network, weighted):
    client.force_login(lead)

    response = client.post(url("innovation-criteria", network),
                           {"name": "", "weight": "11"})

    assert response.status_code == 200
    assert "<title>Error:" in response.text
    assert response.context["form"].errors == {
        "name": ["Enter the question"], "weight": ["Enter a weight of at most 10"]}
    assert network.innovation_criteria.count() == 2


def test_criterion_with_a_name_already_used_is_refused_beside_the_name(
        client, lead, network, weighted):
    client.force_login(lead)

    response = client.post(url("innovation-criteria", network),
                           {"name": "evidence", "weight": "1"})

    assert response.context["form"].errors == {
        "name": ["There is already a criterion with that name"]}
    assert network.innovation_criteria.count() == 2


def test_scale_running_downwards_names_the_highest_score_and_writes_nothing(
        client, lead, network, weighted):
    client.force_login(lead)
    data = {"scale-score_min": "5", "scale-score_max": "1",
            "scale-score_min_label": "Poor", "scale-score_max_label": "Good"}

    response = client.post(url("innovation-criteria", network), data)

    assert response.status_code == 200
    assert response.context["scale_form"].errors == {
        "score_max": ["The highest score must be above the lowest"]}
    panel = ScreeningPanel.objects.get(network=network)
    assert (panel.score_min, panel.score_max) == (1, 5)


def test_lead_changes_the_scale_and_its_labels_while_nothing_is_scored(
        client, lead, network, weighted):
    client.force_login(lead)
    data = {"scale-score_min": "0", "scale-score_max": "10",
            "scale-score_min_label": "No fit", "scale-score_max_label": "Ideal"}

    response = client.post(url("innovation-criteria", network), data)

    assert response.status_code == 302
    panel = ScreeningPanel.objects.get(network=network)
    assert (panel.score_min, panel.score_max, panel.score_max_label) == (
        0, 10, "Ideal")


def test_scale_cannot_change_once_anything_is_scored(
        client, lead, steering, network, weighted, in_screening):
    score(in_screening, steering, [3, 3])
    client.force_login(lead)
    data = {"scale-score_min": "0", "scale-score_max": "10",
            "scale-score_min_label": "No fit", "scale-score_max_label": "Ideal"}

    shown = client.get(url("innovation-criteria", network))
    response = client.post(url("innovation-criteria", network), data)

    assert "the scale can no longer change" in shown.text
    assert "Save the scale" not in shown.text
    assert response.status_code == 200
    assert "the scale cannot change" in response.text
    assert ScreeningPanel.objects.get(network=network).score_max == 5


def test_criterion_with_scores_cannot_be_removed(
        client, lead, steering, network, weighted, in_screening):
    evidence, _ = weighted
    score(in_screening, steering, [4, 2])
    client.force_login(lead)

    response = client.post(url("innovation-criterion-delete", network,
                               criterion_id=evidence.pk), follow=True)

    assert ("Innovations have been scored on 'Evidence', so it cannot be removed: "
            "their scores would be lost") in messages_of(response)
    assert Criterion.objects.filter(pk=evidence.pk).exists()
    assert Score.objects.filter(criterion=evidence).count() == 1


def test_criterion_nobody_scored_is_removed_after_confirming(
        client, lead, network, weighted):
    evidence, _ = weighted
    client.force_login(lead)
    address = url("innovation-criterion-delete", network, criterion_id=evidence.pk)

    asked = client.get(address)
    response = client.post(address)

    assert "Remove the criterion &#x27;Evidence&#x27;?" in asked.text
    assert response.status_code == 302
    assert list(network.innovation_criteria.values_list("name", flat=True)) == [
        "Benefit"]


def test_lead_reweights_and_moves_a_criterion_first(client, lead, network, weighted):
    _, benefit = weighted
    client.force_login(lead)

    response = client.post(
        url("innovation-criterion-edit", network, criterion_id=benefit.pk),
        {"name": "Benefit", "description": "For patients", "weight": "2",
         "position": "1"})

    assert response.status_code == 302
    assert [(c.name, c.weight) for c in network.innovation_criteria.all()] == [
        ("Benefit", Decimal(2)), ("Evidence", Decimal(1))]


def test_another_networks_criterion_is_not_found(client, lead, network):
    elsewhere = NetworkFactory(slug="elsewhere")
    theirs = Criterion.objects.create(network=elsewhere, name="Theirs")
    client.force_login(lead)

    response = client.get(url("innovation-criterion-edit", network,
                              criterion_id=theirs.pk))

    assert response.status_code == 404


def test_named_panellists_are_told_and_only_they_score(
        client, lead, member, steering, network, weighted, in_screening,
        sent_on_commit):
    client.force_login(lead)

    with sent_on_commit():
        response = client.post(url("innovation-panel", network),
                               {"panellists": [member.pk]})

    assert response.status_code == 302
    told = Notification.objects.filter(kind=NotificationKind.PANEL_NAMED)
    assert [n.user for n in told] == [member]
    assert told.get().url == url("innovation-screening", network)
    client.force_login(member)
    assert client.get(url("innovation-screening", network)).status_code == 200
    assert client.get(url("innovation-score", network, in_screening)
                      ).status_code == 200
    # Steering members still see the list and ranking, but no longer score.
    client.force_login(steering)
    listed = client.get(url("innovation-screening", network))
    assert listed.status_code == 200 and "Score<span" not in listed.text
    assert client.get(url("innovation-score", network, in_screening)
                      ).status_code == 403


def test_a_plain_member_cannot_see_the_screening_list(client, member, network):
    client.force_login(member)

    response = client.get(url("innovation-screening", network))

    assert response.status_code == 403


# Scoring and the hidden-score rule --------------------------------------------------


def test_score_form_without_every_criterion_names_it_and_writes_nothing(
        client, steering, network, weighted, in_screening):
    evidence, benefit = weighted
    client.force_login(steering)

    response = client.post(url("innovation-score", network, in_screening),
                           {f"score_{evidence.pk}": "4"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        f"score_{benefit.pk}": ["Choose a score for 'Benefit'"]}
    assert not Scorecard.objects.exists()


def test_score_off_the_scale_is_refused_beside_the_criterion(
        client, steering, network, weighted, in_screening):
    evidence, benefit = weighted
    client.force_login(steering)

    response = client.post(url("innovation-score", network, in_screening),
                           {f"score_{evidence.pk}": "9", f"score_{benefit.pk}": "3"})

    assert f"score_{evidence.pk}" in response.context["form"].errors
    assert not Scorecard.objects.exists()


def test_each_panellist_sees_the_others_scores_only_after_scoring(
        client, steering, other_steering, network, weighted, in_screening):
    evidence, benefit = weighted
    scores_url = url("innovation-scorecards", network, in_screening)
    client.force_login(steering)

    response = client.post(url("innovation-score", network, in_screening),
                           {f"score_{evidence.pk}": "5", f"comment_{evidence.pk}":
                            "Two trials", f"score_{benefit.pk}": "1"})

    assert response.status_code == 302 and response["Location"] == scores_url
    mine = client.get(scores_url)
    assert "Two trials" in mine.text and mine.context["scores"].summary.panellists == 1
    client.force_login(other_steering)
    assert client.get(scores_url).status_code == 403
    listed = client.get(url("innovation-screening", network))
    assert "Hidden" in listed.text and "Two trials" not in listed.text
    client.post(url("innovation-score", network, in_screening),
                {f"score_{evidence.pk}": "1", f"score_{benefit.pk}": "5"})
    theirs = client.get(scores_url)
    assert "Two trials" in theirs.text
    assert theirs.context["scores"].summary.panellists == 2


def test_scoring_again_replaces_ones_own_scores(
        client, steering, network, weighted, in_screening):
    evidence, benefit = weighted
    score(in_screening, steering, [1, 1])
    client.force_login(steering)

    shown = client.get(url("innovation-score", network, in_screening))
    client.post(url("innovation-score", network, in_screening),
                {f"score_{evidence.pk}": "5", f"score_{benefit.pk}": "4"})

    assert "Saving replaces your earlier scores" in shown.text
    card = Scorecard.objects.get()
    assert sorted(card.scores.values_list("value", flat=True)) == [4, 5]


def test_an_innovation_out_of_screening_cannot_be_scored(
        client, steering, network, weighted, member):
    proposed = make_innovation(network, name="Not yet", by=member)
    client.force_login(steering)

    response = client.get(url("innovation-score", network, proposed))

    assert response.status_code == 403


# The ranking ----------------------------------------------------------------------


def test_ranking_with_spread_worked_out_by_hand(
        client, steering, other_steering, lead, network, weighted, member):
    # Weights 1 (evidence) and 3 (benefit): a panellist's weighted score is
    # (evidence + 3 * benefit) / 4.
    x = make_innovation(network, name="X clinic", stage=Stage.SCREENING, by=member)
    y = make_innovation(network, name="Y app", stage=Stage.SCREENING, by=member)
    z = make_innovation(network, name="Z service", stage=Stage.SCREENING, by=member)
    score(x, steering, [5, 1])  # (5 + 3) / 4 = 2
    score(x, other_steering, [1, 5])  # (1 + 15) / 4 = 4
    score(y, steering, [4, 4])  # 4
    score(y, other_steering, [3, 3])  # 3
    score(z, other_steering, [5, 5])  # the reader has not scored Z
    client.force_login(steering)

    response = client.get(url("innovation-screening", network))
    rows = [(r.innovation.name, r.result.rank, r.result.score, r.result.low,
             r.result.high, r.sd and round(r.sd, 4), r.visible)
            for r in response.context["rows"]]

    # Y: mean 3.5 from 3 to 4, SD sqrt(0.5); X: mean 3 from 2 to 4, SD sqrt(2).
    assert rows == [
        ("Y app", 1, 3.5, 3.0, 4.0, 0.7071, True),
        ("X clinic", 2, 3.0, 2.0, 4.0, 1.4142, True),
        ("Z service", None, None, None, None, None, False),
    ]
    assert "1 innovation is not ranked here" in response.text
    # The CSV twin says the same, and nothing of Z's scores.
    download = client.get(url("innovation-screening-csv", network))
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    table = list(csv.reader(io.StringIO(download.content.decode())))
    assert table[1:] == [
        ["1", "Y app", "3.50", "3.00", "4.00", "0.71", "2", "Scored"],
        ["2", "X clinic", "3.00", "2.00", "4.00", "1.41", "2", "Scored"],
        ["", "Z service", "", "", "", "", "1", "Hidden until you score it"],
    ]
    # A lead who scored nothing sees nothing ranked.
    client.force_login(lead)
    assert all(r.result.rank is None for r in client.get(
        url("innovation-screening", network)).context["rows"])


@pytest.mark.parametrize("rows", [2, 6])
def test_screening_list_costs_the_same_at_any_size(
        client, steering, network, weighted, member, rows):
    for n in range(rows):
        innovation = make_innovation(network, name=f"Innovation {n}",
                                     stage=Stage.SCREENING, by=member)
        score(innovation, steering, [3, 4])
    client.force_login(steering)

    response, sql = queries_of(lambda: client.get(url("innovation-screening",
                                                      network)))

    assert len(response.context["rows"]) == rows
    assert len(sql) == 14


# The decision ---------------------------------------------------------------------


@pytest.fixture
def meeting(network):
    return make_meeting(make_group(network), title="Steering group, March")


def test_decision_not_taken_forward_needs_a_reason(
        client, lead, network, in_screening, meeting):
    client.force_login(lead)

    response = client.post(url("innovation-decide", network, in_screening),
                           {"decision": Stage.NOT_TAKEN_FORWARD, "reason": " ",
                            "meeting": meeting.pk})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "reason": ["Say why it is not taken forward"]}
    in_screening.refresh_from_db()
    assert in_screening.stage == Stage.SCREENING
    assert not StageChange.objects.exists()


def test_decision_at_another_networks_meeting_is_refused(
        client, lead, network, in_screening):
    theirs = make_meeting(make_group(NetworkFactory(slug="elsewhere")))
    client.force_login(lead)

    response = client.post(url("innovation-decide", network, in_screening),
                           {"decision": Stage.RECOMMENDED, "meeting": theirs.pk})

    assert response.status_code == 200
    assert "meeting" in response.context["form"].errors
    in_screening.refresh_from_db()
    assert in_screening.stage == Stage.SCREENING


def test_decision_page_warns_when_nobody_has_scored(
        client, lead, network, in_screening, weighted):
    client.force_login(lead)

    response = client.get(url("innovation-decide", network, in_screening))

    assert "No panellist has scored this innovation yet" in response.text


def test_decision_at_a_meeting_moves_it_and_tells_its_followers(
        client, lead, steering, member, network, in_screening, meeting, weighted,
        sent_on_commit):
    follower = MembershipFactory(network=network, role=Role.MEMBER).user
    Follow.objects.create(innovation=in_screening, user=follower)
    score(in_screening, steering, [4, 4])
    client.force_login(lead)

    shown = client.get(url("innovation-decide", network, in_screening))
    with sent_on_commit():
        response = client.post(url("innovation-decide", network, in_screening),
                               {"decision": Stage.ON_HOLD, "meeting": meeting.pk,
                                "reason": "Waiting for the trial to report"})

    assert "1 panellist scored it" in shown.text
    assert response.status_code == 302
    decided = Innovation.objects.get(pk=in_screening.pk)
    assert (decided.stage, decided.decision_meeting, decided.decided_by) == (
        Stage.ON_HOLD, meeting, lead)
    told = Notification.objects.filter(kind=NotificationKind.INNOVATION_STAGE)
    assert sorted(n.user.pk for n in told) == sorted([follower.pk, member.pk])
    # Once decided, the steering group sees the scores without having scored.
    client.force_login(MembershipFactory(network=network, role=Role.STEERING).user)
    assert client.get(url("innovation-scorecards", network, in_screening)
                      ).status_code == 200
    # The innovation's page shows the decision with its meeting and reason.
    page = client.get(decided.get_absolute_url())
    assert "Steering group, March" in page.text
    assert "Waiting for the trial to report" in page.text


def test_a_decided_innovation_cannot_be_decided_again(
        client, lead, network, member):
    decided = make_innovation(network, name="Done", stage=Stage.RECOMMENDED,
                              by=member)
    client.force_login(lead)

    response = client.post(url("innovation-decide", network, decided),
                           {"decision": Stage.ON_HOLD})

    assert response.status_code == 200
    assert "not in screening" in response.text
    decided.refresh_from_db()
    assert decided.stage == Stage.RECOMMENDED


def test_innovation_page_shows_who_has_scored(
        client, steering, other_steering, network, weighted, in_screening):
    score(in_screening, other_steering, [3, 3])
    client.force_login(steering)

    response = client.get(in_screening.get_absolute_url())

    assert "1 of 2 panellists; you have not scored it yet" in response.text
    assert url("innovation-score", network, in_screening) in response.text
    assert url("innovation-scorecards", network, in_screening) not in response.text


@pytest.mark.parametrize("panellists", [2, 6])
def test_scorecards_page_costs_the_same_for_any_size_of_panel(
        client, steering, network, weighted, in_screening, panellists):
    score(in_screening, steering, [3, 4])
    for _ in range(panellists - 1):
        other = MembershipFactory(network=network, role=Role.STEERING).user
        score(in_screening, other, [2, 5])
    client.force_login(steering)

    response, sql = queries_of(lambda: client.get(
        url("innovation-scorecards", network, in_screening)))

    assert len(response.context["scores"].cards) == panellists
    assert len(sql) == 20
