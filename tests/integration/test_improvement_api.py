"""The improvement projects API: reading projects, adding data, planning cycles."""

import datetime as dt

import pytest

from msknet.improvement.models import Cycle, QIProject, Stage
from msknet.members.actions.accounts import create_api_token
from msknet.members.models import Role
from tests.factories.improvement import (
    SHIFT,
    CycleFactory,
    MeasureFactory,
    QIProjectFactory,
    TeamMemberFactory,
    add_points,
    change_idea,
)
from tests.factories.memberships import MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def project(network):
    return QIProjectFactory(network=network, title="Falls prevention", term="long")


@pytest.fixture
def teammate(network, project):
    user = MembershipFactory(network=network, role=Role.MEMBER).user
    TeamMemberFactory(project=project, user=user, lived_experience=True)
    return user


def bearer(user):
    _, raw = create_api_token(user=user, name="test")
    return {"Authorization": f"Bearer {raw}"}


def base(project):
    return f"/api/networks/{project.network.slug}/projects"


def test_members_list_and_search_projects(client, member, project, network):
    QIProjectFactory(network=network, title="Back pain", stage=Stage.CLOSED,
                     closed_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
                     learning="Leaflets alone did little")

    everything = client.get(base(project), headers=bearer(member)).json()
    found = client.get(base(project), {"q": "leaflets"}, headers=bearer(member)).json()

    assert everything["count"] == 2
    assert [p["title"] for p in found["items"]] == ["Back pain"]
    assert found["items"][0]["learning"] == "Leaflets alone did little"


def test_project_detail_shows_the_team_with_partners(client, member, project,
                                                     teammate):
    response = client.get(f"{base(project)}/{project.pk}", headers=bearer(member))

    body = response.json()
    assert body["term"] == "long"
    assert body["team"][0]["lived_experience"] is True
    assert body["progress_label"] == "Not scored"


def test_measures_come_with_points_and_icons(client, member, project):
    measure = MeasureFactory(project=project, target=55)
    add_points(measure, SHIFT)

    body = client.get(f"{base(project)}/{project.pk}/measures",
                      headers=bearer(member)).json()

    assert body["items"][0]["variation"] == "improvement_high"
    assert body["items"][0]["assurance"] == "inconsistent"
    assert len(body["items"][0]["points"]) == 24


def test_team_adds_points_all_or_nothing(client, teammate, project):
    measure = MeasureFactory(project=project)
    add_points(measure, [1.0], start=dt.date(2025, 1, 1))
    url = f"{base(project)}/{project.pk}/measures/{measure.pk}/points"

    clash = client.post(url, {"points": [
        {"period": "2025-02-01", "value": 2}, {"period": "2025-01-01", "value": 3}]},
        content_type="application/json", headers=bearer(teammate))
    added = client.post(url, {"points": [
        {"period": "2025-02-01", "value": 2, "annotation": "Started"},
        {"period": "2025-02-01", "value": 4, "quintile": 1}]},
        content_type="application/json", headers=bearer(teammate))

    assert clash.status_code == 409
    assert "already has a value for January 2025" in clash.json()["detail"]
    assert added.status_code == 201
    assert measure.points.count() == 3


def test_points_are_validated(client, teammate, project):
    measure = MeasureFactory(project=project)
    url = f"{base(project)}/{project.pk}/measures/{measure.pk}/points"

    response = client.post(url, {"points": [{"period": "2025-02-01", "value": 2,
                                             "quintile": 7}]},
                           content_type="application/json", headers=bearer(teammate))

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "points.0.quintile"


def test_points_outside_1900_to_2100_are_refused(client, teammate, project):
    measure = MeasureFactory(project=project)
    url = f"{base(project)}/{project.pk}/measures/{measure.pk}/points"

    response = client.post(url, {"points": [{"period": "2101-01-01", "value": 2}]},
                           content_type="application/json", headers=bearer(teammate))

    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "points.0.period"
    assert "between 1900 and 2100" in error["message"]
    assert not measure.points.exists()


def test_members_off_the_team_cannot_add_points(client, member, project):
    measure = MeasureFactory(project=project)

    response = client.post(
        f"{base(project)}/{project.pk}/measures/{measure.pk}/points",
        {"points": [{"period": "2025-02-01", "value": 2}]},
        content_type="application/json", headers=bearer(member))

    assert response.status_code == 403
    assert not measure.points.exists()


def test_team_plans_a_cycle_after_another(client, teammate, project):
    first = CycleFactory(project=project)
    url = f"{base(project)}/{project.pk}/cycles"

    response = client.post(url, {
        "change_idea_id": first.change_idea_id, "title": "Second",
        "plan_what": "More", "plan_who": "Team", "plan_when": "2025-02-01",
        "prediction": "Better", "previous_id": first.pk},
        content_type="application/json", headers=bearer(teammate))
    listed = client.get(url, headers=bearer(teammate)).json()

    assert response.status_code == 201
    assert Cycle.objects.get(title="Second").previous == first
    assert [c["title"] for c in listed["items"]] == [first.title, "Second"]


def test_cycles_test_the_projects_own_change_ideas(client, teammate, project,
                                                    network):
    other = change_idea(QIProjectFactory(network=network))

    response = client.post(f"{base(project)}/{project.pk}/cycles", {
        "change_idea_id": other.pk, "title": "X", "plan_what": "X", "plan_who": "X",
        "plan_when": "2025-02-01", "prediction": "X"},
        content_type="application/json", headers=bearer(teammate))

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "change_idea_id"


def test_projects_of_another_network_are_not_found(client, member, network):
    other = QIProjectFactory()

    response = client.get(f"/api/networks/{network.slug}/projects/{other.pk}",
                          headers=bearer(member))

    assert response.status_code == 404
    assert QIProject.objects.count() == 1


@pytest.mark.parametrize("points", [[], [{"period": "2025-02-01", "value": "inf"}],
                                    [{"period": "2025-02-30", "value": 1}]])
def test_bad_points_are_422_and_save_nothing(client, teammate, project, points):
    measure = MeasureFactory(project=project)

    response = client.post(
        f"{base(project)}/{project.pk}/measures/{measure.pk}/points",
        {"points": points}, content_type="application/json",
        headers=bearer(teammate))

    assert response.status_code == 422
    assert not measure.points.exists()


def test_points_repeated_in_a_request_are_422(client, teammate, project):
    measure = MeasureFactory(project=project)

    response = client.post(
        f"{base(project)}/{project.pk}/measures/{measure.pk}/points",
        {"points": [{"period": "2025-02-01", "value": 1},
                    {"period": "2025-02-01", "value": 2}]},
        content_type="application/json", headers=bearer(teammate))

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "points.1.period"
