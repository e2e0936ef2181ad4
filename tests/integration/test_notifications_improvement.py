"""Following improvement projects and measures, and what followers are told:
a measure's new SPC signal, and a measure whose data is overdue."""

import pytest
from django.urls import reverse

from msknet.core.models import AuditEvent
from msknet.improvement import queries
from msknet.improvement.models import ImprovementEvent, MeasureFollow, ProjectFollow
from tests.factories.improvement import (
    MeasureFactory,
    QIProjectFactory,
    TeamMemberFactory,
)
from tests.factories.memberships import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(network):
    return QIProjectFactory(network=network, title="Opioid review in O'Brien & Co PCN")


@pytest.fixture
def measure(project):
    return MeasureFactory(project=project, name="Opioid prescriptions over 120mg OME",
                          improvement="decrease")


def page(name, project, **extra):
    return reverse(name, kwargs={"network_slug": project.network.slug,
                                 "pk": project.pk, **extra})


# Following ---------------------------------------------------------------------


def test_a_member_follows_and_unfollows_a_project_from_its_page(client, member,
                                                                project):
    client.force_login(member)

    before = client.get(page("project-detail", project)).text
    followed = client.post(page("project-follow", project), follow=True)
    unfollowed = client.post(page("project-unfollow", project), follow=True)

    assert "Follow this project" in before
    assert "You are following this project" in followed.text
    assert "Unfollow this project" in followed.text
    assert "You no longer follow this project" in unfollowed.text
    assert "Follow this project" in unfollowed.text
    assert not ProjectFollow.objects.exists()
    assert list(AuditEvent.objects.filter(
        type__in=[ImprovementEvent.PROJECT_FOLLOWED, ImprovementEvent.PROJECT_UNFOLLOWED]
    ).order_by("pk").values_list("type", flat=True)) == [
        ImprovementEvent.PROJECT_FOLLOWED, ImprovementEvent.PROJECT_UNFOLLOWED]


def test_a_member_follows_and_unfollows_a_measure_from_its_page(client, member,
                                                                project, measure):
    client.force_login(member)
    detail = page("measure-detail", project, measure_pk=measure.pk)

    before = client.get(detail).text
    followed = client.post(page("measure-follow", project, measure_pk=measure.pk),
                           follow=True)
    following = MeasureFollow.objects.filter(measure=measure, user=member).exists()
    unfollowed = client.post(page("measure-unfollow", project, measure_pk=measure.pk),
                             follow=True)

    assert "Follow this measure" in before
    assert following
    assert "Unfollow this measure" in followed.text
    assert "You no longer follow this measure" in unfollowed.text
    assert not MeasureFollow.objects.exists()


def test_following_twice_is_one_follow_and_one_audit_event(client, member, project):
    client.force_login(member)

    client.post(page("project-follow", project))
    client.post(page("project-follow", project))

    assert ProjectFollow.objects.filter(project=project, user=member).count() == 1
    assert AuditEvent.objects.filter(type=ImprovementEvent.PROJECT_FOLLOWED).count() == 1


def test_following_takes_a_post(client, member, project):
    client.force_login(member)

    response = client.get(page("project-follow", project))

    assert response.status_code == 405
    assert not ProjectFollow.objects.exists()


def test_someone_outside_the_network_cannot_follow(client, outsider, project):
    client.force_login(outsider)

    response = client.post(page("project-follow", project))

    assert response.status_code == 403
    assert not ProjectFollow.objects.exists()


def test_project_followers_are_its_team_and_those_who_follow_it(network, project):
    on_team = MembershipFactory(network=network).user
    follower = MembershipFactory(network=network).user
    both = MembershipFactory(network=network).user
    MembershipFactory(network=network)  # neither: not a follower
    TeamMemberFactory(project=project, user=on_team)
    TeamMemberFactory(project=project, user=both)
    ProjectFollow.objects.create(project=project, user=follower)
    ProjectFollow.objects.create(project=project, user=both)

    followers = queries.project_followers(project)

    assert sorted(u.pk for u in followers) == sorted([on_team.pk, follower.pk, both.pk])
