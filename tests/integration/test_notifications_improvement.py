"""Following improvement projects and measures, and what followers are told:
a measure's new SPC signal, and a measure whose data is overdue."""

import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from msknet.communications.models import (
    Delivery,
    Kind,
    Notification,
    NotificationPreference,
)
from msknet.core.models import AuditEvent
from msknet.improvement import actions, queries
from msknet.improvement.models import (
    Frequency,
    ImprovementEvent,
    MeasureFollow,
    ProjectFollow,
    Stage,
)
from msknet.improvement.notifications import tell_overdue_data
from msknet.improvement.tasks import tell_measure_keepers
from msknet.members.models import Role
from tests.factories.improvement import (
    MeasureFactory,
    QIProjectFactory,
    TeamMemberFactory,
    add_points,
    monthly,
)
from tests.factories.memberships import MembershipFactory
from tests.factories.users import UserFactory

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


# A new signal ------------------------------------------------------------------

#: A steady year, then months a little lower: the seventh lower month makes a
#: run of 7 below the centre line (an improvement, since lower is better).
STEADY = [50, 52, 49, 51, 50, 53, 48, 50, 52, 51, 49, 50]
LOWER = [48, 47, 48, 47, 48, 47, 48, 47]
TITLE = ("Improvement: the 'Opioid prescriptions over 120mg OME' measure shows a "
         "run of 7 or more points below the centre line (special cause: "
         "improvement)")


@pytest.fixture
def people(network, project, measure):
    """Everyone around the measure, by what they are to it."""
    def someone(name):
        return MembershipFactory(network=network, role=Role.MEMBER,
                                 user__full_name=name).user

    named = {name: someone(name) for name in (
        "teammate", "owner", "measure fan", "project fan", "bystander",
        "other measure fan")}
    TeamMemberFactory(project=project, user=named["teammate"])
    measure.owner = named["owner"]
    measure.save()
    MeasureFollow.objects.create(measure=measure, user=named["measure fan"])
    ProjectFollow.objects.create(project=project, user=named["project fan"])
    other = MeasureFactory(project=QIProjectFactory(network=network))
    MeasureFollow.objects.create(measure=other, user=named["other measure fan"])
    gone = UserFactory(full_name="left the network")  # follows, but no member
    MeasureFollow.objects.create(measure=measure, user=gone)
    named["left the network"] = gone
    return named


def add_months(measure, by, values, start=dt.date(2025, 1, 1)):
    for period, value in zip(monthly(start, len(values)), values, strict=True):
        actions.add_data_point(measure=measure, by=by, period=period, value=value)


def told(kind=Kind.MEASURE_SIGNAL):
    return sorted(Notification.objects.filter(kind=kind).values_list(
        "user__full_name", flat=True))


def test_a_new_run_tells_the_measures_and_projects_followers_once(
        network, lead, measure, people, sent_on_commit):
    add_points(measure, STEADY)  # 2024

    with sent_on_commit():
        add_months(measure, lead, LOWER[:6])
    before_the_run = told()
    with sent_on_commit():
        add_months(measure, lead, LOWER[6:7], start=dt.date(2025, 7, 1))
    with sent_on_commit():  # the run goes on: nothing new to say
        add_months(measure, lead, LOWER[7:], start=dt.date(2025, 8, 1))

    assert before_the_run == []
    assert told() == ["measure fan", "owner", "project fan", "teammate"]
    notification = Notification.objects.filter(kind=Kind.MEASURE_SIGNAL).first()
    assert notification.title == TITLE
    assert notification.url == reverse("measure-detail", kwargs={
        "network_slug": network.slug, "pk": measure.project_id,
        "measure_pk": measure.pk})
    assert "from January 2025 to July 2025, 7 points" in notification.body
    assert sorted(e.to[0] for e in mail.outbox) == sorted(
        people[name].email for name in ("measure fan", "owner", "project fan",
                                         "teammate"))
    assert all(TITLE in e.subject or TITLE in e.body for e in mail.outbox)


def test_never_keeps_a_signal_on_the_site_only(lead, measure, people,
                                               sent_on_commit):
    NotificationPreference.objects.create(user=people["measure fan"],
                                          kind=Kind.MEASURE_SIGNAL,
                                          delivery=Delivery.NEVER)
    add_points(measure, STEADY)

    with sent_on_commit():
        add_months(measure, lead, LOWER[:7])

    assert "measure fan" in told()
    assert people["measure fan"].email not in [e.to[0] for e in mail.outbox]
    assert people["owner"].email in [e.to[0] for e in mail.outbox]


def test_an_upload_that_makes_a_run_tells_followers(client, lead, measure, people,
                                                    sent_on_commit):
    add_points(measure, STEADY)
    rows = "".join(f"{period:%Y-%m},{value}\n" for period, value in zip(
        monthly(dt.date(2025, 1, 1), 7), LOWER[:7], strict=True))
    client.force_login(lead)

    with sent_on_commit():
        client.post(reverse("measure-upload", kwargs={
            "network_slug": measure.project.network.slug, "pk": measure.project_id,
            "measure_pk": measure.pk}), {"file": SimpleUploadedFile(
                "data.csv", f"period,value\n{rows}".encode(),
                content_type="text/csv")})

    assert told() == ["measure fan", "owner", "project fan", "teammate"]


def test_several_points_at_once_tell_followers_once(lead, measure, people):
    # As the API adds them: all at once, in one action.
    add_points(measure, STEADY)

    actions.add_data_points(measure=measure, by=lead, points=[
        {"period": period, "value": value}
        for period, value in zip(monthly(dt.date(2025, 1, 1), 8), LOWER, strict=True)])

    assert told() == ["measure fan", "owner", "project fan", "teammate"]


def test_too_few_points_for_a_chart_tell_nobody(lead, measure, people):
    add_months(measure, lead, LOWER)

    assert told() == []


def test_a_change_of_assurance_tells_followers(lead, measure, people):
    # Lower is better and the target is 45: at first the target sits inside
    # the limits (hit and miss); a steady fall puts it beyond them.
    measure.target = 44.5
    measure.save()
    add_points(measure, STEADY)
    add_months(measure, lead, [50])
    assert told() == []

    add_months(measure, lead, [35, 34, 35, 34, 35, 34, 35, 34, 35, 34, 35, 34, 35],
               start=dt.date(2025, 2, 1))

    titles = set(Notification.objects.filter(kind=Kind.MEASURE_SIGNAL)
                 .values_list("title", flat=True))
    assert any("measure's assurance has changed" in t for t in titles)


# Overdue data ------------------------------------------------------------------


def overdue(today):
    return tell_overdue_data(today=today)


def test_a_monthly_measure_with_no_value_for_last_month_tells_its_owner_once(
        measure, people, sent_on_commit):
    add_points(measure, STEADY, start=dt.date(2025, 10, 1))  # to September 2026
    NotificationPreference.objects.create(user=people["owner"],
                                          kind=Kind.MEASURE_NO_DATA,
                                          delivery=Delivery.IMMEDIATELY)

    within_grace = overdue(dt.date(2026, 11, 15))
    with sent_on_commit():
        first = overdue(dt.date(2026, 11, 16))
    again = overdue(dt.date(2026, 11, 17))
    later = overdue(dt.date(2026, 12, 20))  # the same gap: October is still missing

    assert (within_grace, first, again, later) == (0, 1, 0, 0)
    [notification] = Notification.objects.filter(kind=Kind.MEASURE_NO_DATA)
    assert notification.user == people["owner"]
    assert notification.title == ("Improvement: the 'Opioid prescriptions over "
                                  "120mg OME' measure has no value for October "
                                  "2026 yet")
    [email] = mail.outbox
    assert email.to == [people["owner"].email]


def test_a_new_gap_after_data_arrives_tells_the_owner_again(lead, measure, people):
    add_points(measure, STEADY, start=dt.date(2025, 10, 1))
    overdue(dt.date(2026, 11, 16))
    actions.add_data_point(measure=measure, by=lead, period=dt.date(2026, 10, 1),
                           value=50)

    overdue(dt.date(2026, 12, 16))

    assert list(Notification.objects.filter(kind=Kind.MEASURE_NO_DATA).values_list(
        "key", flat=True).order_by("key")) == [
        f"measure:{measure.pk}:no-data:2026-10-01",
        f"measure:{measure.pk}:no-data:2026-11-01"]


def test_never_keeps_overdue_data_on_the_site_only(measure, people, sent_on_commit):
    add_points(measure, STEADY, start=dt.date(2025, 10, 1))
    NotificationPreference.objects.create(user=people["owner"],
                                          kind=Kind.MEASURE_NO_DATA,
                                          delivery=Delivery.NEVER)

    with sent_on_commit():
        overdue(dt.date(2026, 11, 16))

    assert told(Kind.MEASURE_NO_DATA) == ["owner"]
    assert mail.outbox == []


def test_with_no_owner_the_projects_sponsor_is_told(network, project, measure,
                                                    people):
    sponsor = MembershipFactory(network=network, user__full_name="sponsor").user
    project.sponsor = sponsor
    project.save()
    measure.owner = None
    measure.save()
    add_points(measure, STEADY, start=dt.date(2025, 10, 1))

    overdue(dt.date(2026, 11, 16))

    assert told(Kind.MEASURE_NO_DATA) == ["sponsor"]


@pytest.mark.parametrize(("frequency", "latest", "quiet", "due", "missing"), [
    (Frequency.WEEKLY, dt.date(2026, 11, 2), dt.date(2026, 11, 25),
     dt.date(2026, 11, 26), "the week of 9 November 2026"),
    (Frequency.QUARTERLY, dt.date(2026, 4, 1), dt.date(2026, 10, 30),
     dt.date(2026, 10, 31), "the quarter from July 2026"),
])
def test_other_frequencies_fall_overdue_after_their_own_grace(
        measure, people, frequency, latest, quiet, due, missing):
    measure.frequency = frequency
    measure.save()
    measure.points.create(period=latest, value=50)

    assert overdue(quiet) == 0
    assert overdue(due) == 1
    [notification] = Notification.objects.filter(kind=Kind.MEASURE_NO_DATA)
    assert missing in notification.title


def test_closed_projects_and_old_gaps_are_left_alone(network, measure, people):
    closed = MeasureFactory(owner=people["owner"], project=QIProjectFactory(
        network=network, stage=Stage.CLOSED,
        closed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)))
    add_points(closed, STEADY, start=dt.date(2025, 10, 1))
    add_points(measure, STEADY, start=dt.date(2024, 1, 1))  # to December 2024

    assert overdue(dt.date(2026, 11, 16)) == 0


def test_the_daily_job_runs_twice_without_repeating(measure, people):
    today = dt.date.today()
    add_points(measure, [50], start=monthly(today.replace(day=1) - dt.timedelta(
        days=70), 1)[0].replace(day=1))

    first, second = tell_measure_keepers(), tell_measure_keepers()

    assert first == "Made 1 overdue-data notification."
    assert second == "Made 0 overdue-data notifications."
