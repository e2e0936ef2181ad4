"""Every improvement page through the test client: each exit path."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from msknet.analytics import spc
from msknet.core.models import AuditEvent
from msknet.improvement.models import (
    Cycle,
    DataPoint,
    DriverNode,
    ImprovementEvent,
    Measure,
    NodeKind,
    QIProject,
    Rebase,
    Stage,
)
from msknet.members.models import Role
from tests.factories.improvement import (
    SHIFT,
    CycleFactory,
    MeasureFactory,
    QIProjectFactory,
    TeamMemberFactory,
    add_points,
    change_idea,
    monthly,
)
from tests.factories.memberships import MembershipFactory
from tests.queries import queries_of

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def project(network, lead):
    return QIProjectFactory(network=network, title="First contact physio access")


@pytest.fixture
def teammate(network, project):
    user = MembershipFactory(network=network, role=Role.MEMBER).user
    TeamMemberFactory(project=project, user=user)
    return user


@pytest.fixture
def measure(project):
    measure = MeasureFactory(project=project, name="Seen within 2 weeks", target=55)
    add_points(measure, SHIFT)
    return measure


def url(name, project, **kwargs):
    return reverse(name, kwargs={"network_slug": project.network.slug,
                                 "pk": project.pk, **kwargs})


def csv_file(text, name="data.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


# The board ---------------------------------------------------------------------

def test_board_lists_projects_with_their_measures_icons(client, member, project,
                                                        measure):
    client.force_login(member)

    response = client.get(reverse("projects", args=[project.network.slug]))

    assert "First contact physio access" in response.text
    assert "Variation: Special cause variation: improvement (higher)" in response.text
    assert "Assurance: The target is met some of the time" in response.text


def test_board_filters_by_icb_topic_term_and_text(client, member, network, project):
    topic = network.topics.first()
    icb = network.icbs.first()
    other = QIProjectFactory(network=network, title="Falls prevention", term="long",
                             topic=topic)
    other.icbs.set([icb])
    client.force_login(member)
    board = reverse("projects", args=[network.slug])

    by_icb = client.get(board, {"icb": icb.ods_code}).text
    by_topic = client.get(board, {"topic": topic.slug}).text
    by_term = client.get(board, {"term": "short"}).text
    by_text = client.get(board, {"q": "falls"}).text

    assert "Falls prevention" in by_icb and project.title not in by_icb
    assert "Falls prevention" in by_topic and project.title not in by_topic
    assert "No projects match" in by_term
    assert "Falls prevention" in by_text and project.title not in by_text


def test_closed_projects_are_found_by_what_they_learned(client, member, network):
    QIProjectFactory(network=network, title="Back pain leaflet", stage=Stage.CLOSED,
                     closed_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
                     learning="Leaflets alone did not change referrals.")
    client.force_login(member)

    response = client.get(reverse("projects", args=[network.slug]),
                          {"q": "leaflets referrals"})

    assert "Back pain leaflet" in response.text
    assert "Leaflets alone did not change referrals." in response.text


@pytest.mark.parametrize("projects", [2, 6])
def test_board_queries_do_not_grow_with_projects(client, member, network, projects):
    for _ in range(projects):
        add_points(MeasureFactory(project=QIProjectFactory(network=network)), SHIFT)
    client.force_login(member)
    client.get(reverse("projects", args=[network.slug]))  # warm the session

    response, queries = queries_of(
        lambda: client.get(reverse("projects", args=[network.slug])))

    assert len(queries) == 14  # with the two-factor check
    assert len(response.context["rows"]) == projects


# Starting and changing a project -------------------------------------------------

def test_lead_starts_a_project_and_joins_its_team(client, lead, network):
    client.force_login(lead)
    icb = network.icbs.first()

    response = client.post(reverse("project-start", args=[network.slug]), {
        "title": "Opioid tapering", "aim": "By 2027, halve high-dose opioid use.",
        "problem": "", "icbs": [icb.pk], "term": "medium"})

    project = QIProject.objects.get(title="Opioid tapering")
    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url()
    assert list(project.team.values_list("user", flat=True)) == [lead.pk]
    assert AuditEvent.objects.filter(type=ImprovementEvent.PROJECT_STARTED).exists()


def test_start_needs_a_title_and_aim(client, lead, network):
    client.force_login(lead)

    response = client.post(reverse("project-start", args=[network.slug]),
                           {"title": ""})

    assert response.text.count("Error:") >= 1
    assert '<a href="#id_aim">Enter the project&#x27;s SMART aim</a>' in response.text


def test_team_member_edits_the_project(client, teammate, project):
    client.force_login(teammate)

    response = client.post(url("project-edit", project), {
        "title": "FCP access", "aim": "New aim", "problem": "", "term": "short"})

    project.refresh_from_db()
    assert response.status_code == 302
    assert (project.title, project.aim, project.term) == ("FCP access", "New aim",
                                                          "short")


def test_member_not_on_the_team_cannot_edit(client, member, project):
    client.force_login(member)

    assert client.get(url("project-edit", project)).status_code == 403
    assert client.get(url("project-detail", project)).status_code == 200


def test_team_adds_and_removes_a_lived_experience_partner(client, lead, network,
                                                         project):
    partner = MembershipFactory(network=network).user
    client.force_login(lead)

    client.post(url("project-team", project), {"user": partner.pk, "role": "Partner",
                                               "lived_experience": "on"})
    page = client.get(url("project-detail", project)).text
    member = project.team.get(user=partner)
    client.post(url("project-team-remove", project, member_pk=member.pk))

    assert "Lived-experience partner" in page
    assert not project.team.filter(user=partner).exists()


def test_outsiders_cannot_join_a_team(client, lead, project, outsider):
    client.force_login(lead)

    response = client.post(url("project-team", project), {"user": outsider.pk})

    assert "Choose the network member from the list" in response.text


def test_progress_records_stage_score_and_history(client, teammate, project):
    client.force_login(teammate)

    client.post(url("project-progress", project), {
        "stage": "testing", "score": "2.5", "note": "First cycles done"})
    page = client.get(url("project-progress", project)).text

    project.refresh_from_db()
    assert project.stage == "testing"
    assert str(project.progress_score) == "2.5"
    assert "2.5 Changes tested, but no improvement" in page
    assert "First cycles done" in page


def test_progress_refuses_a_score_off_the_scale(client, teammate, project):
    client.force_login(teammate)

    response = client.post(url("project-progress", project),
                           {"stage": "testing", "score": "2.7"})

    assert "Choose the IHI progress score from the list" in response.text


def test_team_closes_the_project_with_learning(client, teammate, project):
    client.force_login(teammate)

    refused = client.post(url("project-close", project), {"learning": ""})
    client.post(url("project-close", project), {"learning": "Triage works."})

    project.refresh_from_db()
    assert "Record what the project learned" in refused.text
    assert project.is_closed and project.learning == "Triage works."
    # A closed project no longer changes.
    response = client.get(url("project-edit", project))
    assert response.status_code == 302


def test_timeline_shows_progress_cycles_and_signals(client, member, project, measure):
    CycleFactory(project=project, title="Monday triage")
    client.force_login(member)

    page = client.get(url("project-timeline", project)).text

    assert "Cycle planned: Monday triage" in page
    assert "Seen within 2 weeks: special cause: improvement" in page
    assert "a shift: a run of 7 or more above the mean" in page


# The driver diagram ----------------------------------------------------------------

def test_driver_diagram_grows_renames_and_prunes(client, teammate, project):
    client.force_login(teammate)
    add = url("driver-add", project)

    client.post(add, {"parent": "aim", "text": "Timely access"})
    primary = DriverNode.objects.get(text="Timely access")
    client.post(add, {"parent": primary.pk, "text": "Triage capacity"})
    secondary = DriverNode.objects.get(text="Triage capacity")
    client.post(add, {"parent": secondary.pk, "text": "Same-day triage"})
    idea = DriverNode.objects.get(text="Same-day triage")
    client.post(url("driver-edit", project, node_pk=idea.pk), {"text": "Same day"})
    page = client.get(url("project-drivers", project)).text
    client.post(url("driver-remove", project, node_pk=primary.pk))

    assert (secondary.kind, idea.kind) == (NodeKind.SECONDARY, NodeKind.CHANGE_IDEA)
    assert "Change idea</span>Same day" in page
    assert "Change idea: Same day" in page  # the list alternative
    assert not project.driver_nodes.exists()


def test_a_change_idea_with_cycles_is_not_removed(client, teammate, project):
    cycle = CycleFactory(project=project)
    client.force_login(teammate)

    response = client.post(url("driver-remove", project,
                               node_pk=cycle.change_idea.pk))

    assert "has PDSA cycles" in response.text
    assert DriverNode.objects.filter(pk=cycle.change_idea.pk).exists()


# Measures ---------------------------------------------------------------------------

def test_measure_page_matches_the_spc_library(client, member, project, measure):
    measure.points.filter(period=dt.date(2025, 1, 1)).update(annotation="Triage")
    client.force_login(member)
    expected = spc.xmr(SHIFT, monthly(dt.date(2024, 1, 1), 24),
                       improvement="increase", target=55)

    page = client.get(url("measure-detail", project, measure_pk=measure.pk)).text
    data = client.get(url("measure-chart", project, measure_pk=measure.pk,
                          chart_id="spc", fmt="json")).json()

    assert "Special cause variation: improvement (higher)" in page
    assert "The target is met some of the time (hit and miss)" in page
    for row, point in zip(data["rows"], expected.points, strict=True):
        assert row["mean"] == pytest.approx(point.mean)
        assert row["lpl"] == pytest.approx(point.lpl)
        assert row["upl"] == pytest.approx(point.upl)
    assert [r["period"] for r in data["rows"]][:2] == ["2024-01", "2024-02"]
    assert data["rows"][-1]["point_type"] == "Special cause: improvement"
    assert data["rows"][12]["annotation"] == "Triage"


def test_measure_page_says_how_many_points_a_chart_needs(client, member, project):
    measure = MeasureFactory(project=project)
    add_points(measure, [1, 2, 3])
    client.force_login(member)

    page = client.get(url("measure-detail", project, measure_pk=measure.pk)).text

    assert "3 data points. An SPC chart needs at least 12." in page


def test_measure_split_by_quintile_is_charted_per_quintile(client, member, project,
                                                           measure):
    add_points(measure, SHIFT, quintile=1)
    add_points(measure, [50] * 12 + [51] * 12, quintile=5)
    client.force_login(member)

    page = client.get(url("measure-detail", project, measure_pk=measure.pk)).text

    assert "Quintile 1 (most deprived)" in page
    assert "Quintile 5 (least deprived)" in page
    assert 'id="chart-spc-quintile-1"' in page
    assert 'id="chart-spc-quintile-5"' in page


def test_team_adds_a_measure(client, teammate, project):
    client.force_login(teammate)

    response = client.post(url("measure-create", project), {
        "kind": "process", "name": "Triage same day", "definition": "Share triaged",
        "unit": "%", "improvement": "increase", "target": "",
        "frequency": "weekly"})

    measure = Measure.objects.get(name="Triage same day")
    assert measure.frequency == "weekly"
    assert response["Location"] == url("measure-detail", project,
                                       measure_pk=measure.pk)


def test_measure_names_are_unique_in_a_project(client, teammate, project, measure):
    client.force_login(teammate)

    response = client.post(url("measure-create", project), {
        "kind": "process", "name": "seen within 2 weeks", "definition": "x",
        "improvement": "increase"})

    assert "already has a measure with that name" in response.text


def test_team_edits_a_measure(client, teammate, project, measure):
    client.force_login(teammate)

    client.post(url("measure-edit", project, measure_pk=measure.pk), {
        "kind": "outcome", "name": measure.name, "definition": "New definition",
        "unit": "%", "improvement": "decrease", "target": "40",
        "frequency": "monthly"})

    measure.refresh_from_db()
    assert (measure.improvement, measure.target) == ("decrease", 40)


def test_team_enters_and_removes_a_value_by_hand(client, teammate, project, measure):
    client.force_login(teammate)
    data = url("measure-data", project, measure_pk=measure.pk)

    client.post(data, {"period": "2026-01", "value": "64", "annotation": "Go live"})
    duplicate = client.post(data, {"period": "2026-01-01", "value": "1"})
    point = measure.points.get(period=dt.date(2026, 1, 1))
    client.post(url("measure-point-remove", project, measure_pk=measure.pk,
                    point_pk=point.pk))

    assert point.annotation == "Go live"
    assert "already has a value for January 2026" in duplicate.text
    assert not measure.points.filter(period=dt.date(2026, 1, 1)).exists()


def test_values_by_hand_take_ascii_digits_and_years_1900_to_2100(client, teammate,
                                                                  project, measure):
    client.force_login(teammate)
    data = url("measure-data", project, measure_pk=measure.pk)
    before = measure.points.count()

    underscore = client.post(data, {"period": "2026-01", "value": "1_000"})
    arabic = client.post(data, {"period": "2026-01", "value": "١٢"})
    far_future = client.post(data, {"period": "2101-01", "value": "12"})
    client.post(data, {"period": "2026-01", "value": "1,250"})

    assert "Enter the value as a number in the digits 0 to 9" in underscore.text
    assert "Enter the value as a number in the digits 0 to 9" in arabic.text
    assert "between 1900 and 2100" in far_future.text
    assert measure.points.count() == before + 1
    assert measure.points.get(period=dt.date(2026, 1, 1)).value == 1250


def test_upload_adds_points_and_shows_the_signal(client, teammate, project):
    measure = MeasureFactory(project=project)
    rows = "\n".join(f"{p:%Y-%m},{v}" for p, v in
                     zip(monthly(dt.date(2024, 1, 1), 24), SHIFT, strict=True))
    client.force_login(teammate)

    response = client.post(url("measure-upload", project, measure_pk=measure.pk),
                           {"file": csv_file("period,value\n" + rows)}, follow=True)

    assert "24 data points added and 0 updated." in response.text
    assert "Special cause variation: improvement (higher)" in response.text


def test_upload_with_a_bad_row_saves_nothing_and_names_it(client, teammate, project,
                                                          measure):
    client.force_login(teammate)
    before = measure.points.count()

    response = client.post(url("measure-upload", project, measure_pk=measure.pk), {
        "file": csv_file("period,value,quintile\n2026-01,70,\n2026-02,lots,\n"
                         "2026-03,71,9\n")})

    assert measure.points.count() == before
    assert "The file has 2 problems, so nothing was saved" in response.text
    assert "Enter a number, not &#x27;lots&#x27;" in response.text
    assert "quintile" in response.text and ">3<" in response.text


def test_upload_refuses_files_that_are_not_csv(client, teammate, project, measure):
    client.force_login(teammate)

    response = client.post(url("measure-upload", project, measure_pk=measure.pk),
                           {"file": csv_file("x", name="data.xlsx")})

    assert "The selected file must be a CSV (.csv)" in response.text


def test_rebase_needs_a_reason_and_shows_on_the_chart(client, teammate, project,
                                                      measure):
    client.force_login(teammate)
    rebase = url("measure-rebase", project, measure_pk=measure.pk)

    refused = client.post(rebase, {"period": "2025-01-01", "reason": "  "})
    client.post(rebase, {"period": "2025-01-01", "reason": "Triage adopted"})
    page = client.get(url("measure-detail", project, measure_pk=measure.pk)).text

    assert "Give the reason for recalculating the limits" in refused.text
    assert Rebase.objects.get().by == teammate
    assert "From January 2025: Triage adopted" in page
    assert "Limits recalculated: Triage adopted" in page  # on the chart
    assert AuditEvent.objects.filter(type=ImprovementEvent.MEASURE_REBASED).exists()


def test_members_cannot_rebase(client, member, project, measure):
    client.force_login(member)

    response = client.post(url("measure-rebase", project, measure_pk=measure.pk),
                           {"period": "2025-01-01", "reason": "Because"})

    assert response.status_code == 403
    assert not Rebase.objects.exists()


# PDSA cycles --------------------------------------------------------------------------

def test_team_plans_a_cycle_and_a_follow_on(client, teammate, project, measure):
    idea = change_idea(project)
    client.force_login(teammate)
    plan = {"change_idea": idea.pk, "title": "Monday triage", "plan_what": "Triage",
            "plan_who": "FCPs", "plan_when": "2025-01-06", "prediction": "Faster",
            "measure": measure.pk}

    client.post(url("cycle-create", project), plan)
    first = Cycle.objects.get(title="Monday triage")
    client.post(url("cycle-create", project) + f"?after={first.pk}",
                {**plan, "title": "All-week triage"})
    second = Cycle.objects.get(title="All-week triage")
    page = client.get(url("cycle-detail", project, cycle_pk=second.pk)).text

    assert second.previous == first
    assert "Chain of cycles" in page and "Monday triage" in page
    assert "The prediction was:" in page and "<p>Faster</p>" in page
    assert "Special cause variation: improvement (higher)" in page


def test_cycle_study_shows_the_values_around_the_test(client, member, project):
    # Three years of monthly values; the test began in the middle of the first
    # two, long before the latest values.
    measure = MeasureFactory(project=project, name="Seen within 2 weeks")
    add_points(measure, [float(v) for v in range(36)], start=dt.date(2024, 1, 1))
    cycle = CycleFactory(project=project, measure=measure,
                         plan_when=dt.date(2025, 5, 1),
                         prediction="Half of Monday referrals seen the same week.")
    client.force_login(member)

    page = client.get(url("cycle-detail", project, cycle_pk=cycle.pk)).text

    rows = re.findall(r'<td class="nhsuk-table__cell">(\w+ \d{4})</td>'
                      r'<td class="nhsuk-table__cell">(Before|After)</td>', page)
    assert rows[0] == ("November 2024", "Before")
    assert rows[5] == ("April 2025", "Before")
    assert rows[6] == ("May 2025", "After")
    assert rows[-1] == ("October 2025", "After") and len(rows) == 12
    assert all(not month.endswith("2026") for month, _ in rows)
    assert "which began on 1 May 2025" in page
    assert "week.”." not in page and "week.</p>" in page


def test_quoted_ideas_ending_in_a_full_stop_get_no_second_one(client, teammate,
                                                              project):
    cycle = CycleFactory(project=project)
    cycle.change_idea.text = "Triage on Mondays."
    cycle.change_idea.save()
    client.force_login(teammate)

    pages = [client.get(url(name, project, **kwargs)).text for name, kwargs in (
        ("cycle-detail", {"cycle_pk": cycle.pk}), ("cycle-edit", {"cycle_pk": cycle.pk}),
        ("project-detail", {}))]

    for page in pages:
        assert "Mondays.”" in page and "Mondays.”." not in page


def test_cycle_study_of_a_test_before_any_values_shows_the_first(client, member,
                                                               project):
    measure = MeasureFactory(project=project)
    add_points(measure, [1.0, 2.0, 3.0], start=dt.date(2026, 1, 1))
    cycle = CycleFactory(project=project, measure=measure, plan_when=dt.date(2025, 5, 1))
    client.force_login(member)

    page = client.get(url("cycle-detail", project, cycle_pk=cycle.pk)).text

    assert ">Before</td>" not in page
    assert page.count(">After</td>") == 3


def test_cycle_records_do_study_act(client, teammate, project):
    cycle = CycleFactory(project=project)
    client.force_login(teammate)

    client.post(url("cycle-edit", project, cycle_pk=cycle.pk), {
        "title": cycle.title, "plan_what": cycle.plan_what, "plan_who": "FCPs",
        "plan_when": "2025-01-06", "prediction": cycle.prediction,
        "do_notes": "Ran for two weeks", "study_notes": "As predicted",
        "act": "adopt", "act_notes": "Make it standard"})
    page = client.get(url("cycle-detail", project, cycle_pk=cycle.pk)).text

    assert "<strong>Adopt.</strong> Make it standard" in page
    assert "Ran for two weeks" in page


def test_cycle_needs_a_change_idea(client, teammate, project):
    client.force_login(teammate)

    response = client.get(url("cycle-create", project))

    assert "No change ideas yet" in response.text


def test_points_are_unique_per_period(project, measure):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        DataPoint.objects.create(measure=measure, period=dt.date(2024, 1, 1), value=1)


# Starting from a nomination -----------------------------------------------------------

@pytest.fixture
def selected(network):
    from django.utils import timezone

    from msknet.priorities.models import Decision
    from tests.factories.priorities import NominationFactory, RoundFactory

    return NominationFactory(
        round=RoundFactory(network=network, title="Priorities 2025"),
        title="Opioid tapering", decision=Decision.SELECTED,
        decision_reason="Top scored", decided_at=timezone.now())


def test_lead_starts_a_project_from_a_selected_nomination(client, lead, network,
                                                          selected):
    client.force_login(lead)
    start = reverse("project-start-nomination", args=[network.slug, selected.pk])

    listed = client.get(reverse("project-start", args=[network.slug])).text
    confirm = client.get(start).text
    response = client.post(start)
    again = client.post(start)

    project = QIProject.objects.get(nomination=selected)
    assert "Opioid tapering" in listed and "Start the project" in confirm
    assert response["Location"] == url("project-edit", project)
    assert again["Location"] == project.get_absolute_url()
    timeline = client.get(url("project-timeline", project)).text
    assert "Nominated in Priorities 2025" in timeline
    assert "Nomination selected" in timeline and "Top scored" in timeline


def test_unselected_nominations_do_not_start_projects(client, lead, network,
                                                      selected):
    selected.decision, selected.decided_at = "", None
    selected.save()
    client.force_login(lead)

    response = client.post(reverse("project-start-nomination",
                                   args=[network.slug, selected.pk]))

    assert response.status_code == 404
    assert not QIProject.objects.exists()
