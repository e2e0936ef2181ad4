"""Writes to improvement projects: what they change and the audit they leave."""

import datetime as dt
from decimal import Decimal

import pytest

from msknet.core.models import AuditEvent
from msknet.improvement import actions
from msknet.improvement.models import (
    DataPoint,
    ImprovementEvent,
    NodeKind,
    QIProject,
    Stage,
)
from msknet.members.models import Role
from msknet.priorities.models import Decision
from tests.factories.improvement import (
    MeasureFactory,
    QIProjectFactory,
    add_points,
    change_idea,
)
from tests.factories.memberships import MembershipFactory
from tests.factories.priorities import NominationFactory, RoundFactory

pytestmark = pytest.mark.django_db


def events(type):
    return AuditEvent.objects.filter(type=type)


@pytest.fixture
def project(network):
    return QIProjectFactory(network=network)


@pytest.fixture
def selected(network):
    nomination = NominationFactory(
        round=RoundFactory(network=network), title="FCP access", term="medium",
        topic=network.topics.first(), decision=Decision.SELECTED,
        decided_at=dt.datetime(2025, 4, 1, tzinfo=dt.UTC))
    nomination.icbs.set(network.icbs.all()[:2])
    return nomination


def test_start_project_from_nomination_copies_what_it_says(selected, lead):
    project = actions.start_project_from_nomination(nomination=selected, by=lead)

    assert project.nomination == selected and project.network == selected.round.network
    assert (project.title, project.term, project.topic) == (
        "FCP access", "medium", selected.topic)
    assert project.problem == selected.problem == project.aim
    assert set(project.icbs.all()) == set(selected.icbs.all())
    assert selected.project == project
    event = events(ImprovementEvent.PROJECT_STARTED).get()
    assert event.data["nomination"] == selected.pk and event.by == lead


@pytest.mark.parametrize("decision", ["", Decision.DEFERRED])
def test_only_selected_nominations_start_projects(selected, lead, decision):
    selected.decision = decision
    selected.decision_reason = "Later"
    selected.decided_at = None if not decision else selected.decided_at

    with pytest.raises(actions.NotSelected):
        actions.start_project_from_nomination(nomination=selected, by=lead)

    assert not QIProject.objects.exists()


def test_a_nomination_starts_one_project(selected, lead):
    actions.start_project_from_nomination(nomination=selected, by=lead)

    with pytest.raises(actions.AlreadyStarted):
        actions.start_project_from_nomination(nomination=selected, by=lead)


def test_start_project_puts_the_lead_on_the_team_and_records_scoping(network, lead):
    project = actions.start_project(network=network, by=lead, title=" T ", aim="A")

    assert project.title == "T" and project.stage == Stage.SCOPING
    assert list(project.team.values_list("user", flat=True)) == [lead.pk]
    assert project.progress_changes.get().stage_to == Stage.SCOPING


def test_sponsors_and_team_members_are_network_members(network, lead, outsider,
                                                       project):
    with pytest.raises(actions.NotAMember):
        actions.start_project(network=network, by=lead, title="T", aim="A",
                              sponsor=outsider)
    with pytest.raises(actions.NotAMember):
        actions.add_team_member(project=project, by=lead, user=outsider)


def test_team_member_flagged_as_lived_experience_partner(network, lead, project):
    partner = MembershipFactory(network=network, role=Role.MEMBER).user

    member = actions.add_team_member(project=project, by=lead, user=partner,
                                     role="Partner", lived_experience=True)
    actions.remove_team_member(member=member, by=lead)

    assert member.lived_experience
    assert events(ImprovementEvent.TEAM_MEMBER_ADDED).get().data["lived_experience"]
    assert events(ImprovementEvent.TEAM_MEMBER_REMOVED).exists()
    assert not project.team.exists()


def test_update_project_records_only_what_changed(project, lead):
    changed = actions.update_project(project=project, by=lead, title=project.title,
                                     aim="New aim", term="long")

    assert changed == ["aim", "term"]
    assert events(ImprovementEvent.PROJECT_UPDATED).get().data["fields"] == changed


def test_progress_keeps_history_of_stage_and_score(project, lead):
    actions.update_progress(project=project, by=lead, stage="testing",
                            score=Decimal("2.0"), note="Cycles begin")
    change = actions.update_progress(project=project, by=lead, stage="testing",
                                     score=Decimal("2.5"))

    assert (change.stage_changed, change.score_changed) == (False, True)
    assert change.score_from_text == "2.0 Activity, but no changes"
    assert change.score_to_text == "2.5 Changes tested, but no improvement"
    assert events(ImprovementEvent.PROGRESS_UPDATED).count() == 2


def test_progress_refuses_scores_off_the_ihi_scale_and_closing(project, lead):
    with pytest.raises(ValueError, match="IHI scale"):
        actions.update_progress(project=project, by=lead, stage="testing",
                                score=Decimal("2.2"))
    with pytest.raises(ValueError, match="close_project"):
        actions.update_progress(project=project, by=lead, stage="closed", score=None)


def test_close_project_needs_learning_and_then_freezes_it(project, lead):
    with pytest.raises(ValueError):
        actions.close_project(project=project, by=lead, learning=" ")

    actions.close_project(project=project, by=lead, learning="What we learned")

    project.refresh_from_db()
    assert project.is_closed and project.closed_by == lead
    assert events(ImprovementEvent.PROJECT_CLOSED).exists()
    with pytest.raises(actions.ProjectClosed):
        actions.update_project(project=project, by=lead, title="Again")
    with pytest.raises(actions.ProjectClosed):
        actions.add_measure(project=project, by=lead, kind="outcome", name="M",
                            definition="d", improvement="increase")


def test_driver_diagram_levels_follow_the_parent(project, lead):
    primary = actions.add_node(project=project, by=lead, text="Primary")
    secondary = actions.add_node(project=project, by=lead, text="Second",
                                 parent=primary)
    idea = actions.add_node(project=project, by=lead, text="Idea", parent=secondary)

    assert [primary.kind, secondary.kind, idea.kind] == [
        NodeKind.PRIMARY, NodeKind.SECONDARY, NodeKind.CHANGE_IDEA]
    with pytest.raises(ValueError):
        actions.add_node(project=project, by=lead, text="Too deep", parent=idea)
    assert actions.remove_node(node=primary, by=lead) == 3
    assert events(ImprovementEvent.DRIVER_REMOVED).get().data["removed"] == 3


def test_rename_node_is_audited(project, lead):
    node = actions.add_node(project=project, by=lead, text="Old")

    actions.rename_node(node=node, by=lead, text="New")

    assert events(ImprovementEvent.DRIVER_RENAMED).get().data == {
        "node": node.pk, "old": "Old", "new": "New"}


def test_import_points_is_all_or_nothing(project, lead):
    measure = MeasureFactory(project=project)
    add_points(measure, [5.0], start=dt.date(2025, 1, 1))

    with pytest.raises(actions.DataFileInvalid) as invalid:
        actions.import_points(measure=measure, by=lead, content=(
            b"period,value\n2025-02,6\n2025-03,x\n"))
    result = actions.import_points(measure=measure, by=lead, content=(
        b"period,value,annotation\n2025-01,5.5,Fixed\n2025-02,6,\n"))

    assert [(p.row, p.field) for p in invalid.value.problems] == [(3, "value")]
    assert (result.added, result.updated) == (1, 1)
    assert list(measure.points.values_list("value", flat=True)) == [5.5, 6.0]
    assert events(ImprovementEvent.DATA_IMPORTED).count() == 1


def test_add_data_point_refuses_a_period_held(project, lead):
    measure = MeasureFactory(project=project)
    actions.add_data_point(measure=measure, by=lead, period=dt.date(2025, 1, 1),
                           value=1)

    with pytest.raises(actions.DuplicatePoint):
        actions.add_data_point(measure=measure, by=lead, period=dt.date(2025, 1, 1),
                               value=2)
    actions.add_data_point(measure=measure, by=lead, period=dt.date(2025, 1, 1),
                           value=2, quintile=1)
    assert DataPoint.objects.count() == 2


def test_add_data_points_saves_none_when_one_is_held(project, lead):
    measure = MeasureFactory(project=project)
    add_points(measure, [1.0], start=dt.date(2025, 2, 1))

    with pytest.raises(actions.DuplicatePoint):
        actions.add_data_points(measure=measure, by=lead, points=[
            {"period": dt.date(2025, 1, 1), "value": 1},
            {"period": dt.date(2025, 2, 1), "value": 2}])

    assert measure.points.count() == 1


def test_rebase_needs_a_reason_and_a_period_with_data(project, lead):
    measure = MeasureFactory(project=project)
    add_points(measure, [1.0, 2.0], start=dt.date(2025, 1, 1))

    with pytest.raises(ValueError, match="reason"):
        actions.rebase_measure(measure=measure, by=lead, period=dt.date(2025, 2, 1),
                               reason="")
    with pytest.raises(ValueError, match="no value"):
        actions.rebase_measure(measure=measure, by=lead, period=dt.date(2026, 2, 1),
                               reason="Why")
    rebase = actions.rebase_measure(measure=measure, by=lead,
                                    period=dt.date(2025, 2, 1), reason="Adopted")

    assert (rebase.by, rebase.reason) == (lead, "Adopted")
    assert events(ImprovementEvent.MEASURE_REBASED).get().data["reason"] == "Adopted"


def test_cycles_chain_and_are_audited(project, lead):
    idea = change_idea(project)
    plan = {"change_idea": idea, "title": "One", "plan_what": "w", "plan_who": "w",
            "plan_when": dt.date(2025, 1, 1), "prediction": "p"}
    first = actions.plan_cycle(project=project, by=lead, **plan)
    second = actions.plan_cycle(project=project, by=lead, previous=first,
                                **{**plan, "title": "Two"})

    with pytest.raises(ValueError, match="already has a cycle after it"):
        actions.plan_cycle(project=project, by=lead, previous=first, **plan)
    changed = actions.update_cycle(cycle=second, by=lead, do_notes="Done",
                                   act="adopt")

    assert [c.title for c in first.chain()] == ["One", "Two"]
    assert [c.title for c in second.chain()] == ["One", "Two"]
    assert changed == ["do_notes", "act"] and second.status == "acted"
    assert events(ImprovementEvent.CYCLE_PLANNED).count() == 2
    assert events(ImprovementEvent.CYCLE_UPDATED).get().data["act"] == "adopt"


def test_cycles_test_the_projects_own_change_ideas(project, lead, network):
    other_idea = change_idea(QIProjectFactory(network=network))

    with pytest.raises(ValueError, match="change ideas"):
        actions.plan_cycle(project=project, by=lead, change_idea=other_idea,
                           title="T", plan_what="w", plan_who="w",
                           plan_when=dt.date(2025, 1, 1), prediction="p")
