import pytest

from msknet.community.demo import load_demo_community
from msknet.community.models import (
    Attendance,
    Event,
    EventMaterial,
    Registration,
    RegistrationStatus,
    Resource,
    Visibility,
)
from msknet.core.models import AuditEvent
from msknet.members.models import Role, Sector
from tests.factories.memberships import MembershipFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

LOGINS = {
    "lead@london.example.nhs.uk": Role.LEAD,
    "steering@london.example.nhs.uk": Role.STEERING,
    "member@london.example.nhs.uk": Role.MEMBER,
    "lived.experience@london.example.org": Role.MEMBER,
}


@pytest.fixture
def demo_network(network):
    for email, role in LOGINS.items():
        MembershipFactory(network=network, role=role, user__email=email)
    for i in range(45):
        MembershipFactory(network=network, sector=(
            Sector.LIVED_EXPERIENCE if i % 9 == 0 else Sector.COMMUNITY))
    return network


def test_demo_has_a_year_of_past_meetings_with_attendance(demo_network):
    load_demo_community()

    past = Event.objects.past()
    assert past.count() == 4
    assert all(e.kind == "community_of_practice" for e in past)
    attended = Registration.objects.filter(event__in=past,
                                           attendance=Attendance.ATTENDED)
    assert attended.count() > 40
    assert EventMaterial.objects.filter(event__in=past).count() == 8


def test_demo_has_upcoming_events_one_full_with_a_waiting_list(demo_network):
    load_demo_community()

    upcoming = list(Event.objects.upcoming().with_counts())
    assert len(upcoming) == 3
    full = next(e for e in upcoming if e.capacity == 12)
    assert full.registered_count == 12
    assert full.waiting_count == 3
    member = Registration.objects.get(event=full, user__email="member@london.example.nhs.uk")
    assert member.status == RegistrationStatus.WAITING
    assert member.waiting_position() == 2


def test_demo_library_holds_nice_guidance_as_public_links(demo_network):
    load_demo_community()

    assert Resource.objects.count() >= 30
    ng59 = Resource.objects.get(title__contains="(NG59)")
    assert ng59.url == "https://www.nice.org.uk/guidance/ng59"
    assert ng59.visibility == Visibility.PUBLIC
    assert ng59.topics.filter(slug="spinal-services").exists()
    assert not Resource.objects.exclude(file="").exists()
    assert AuditEvent.objects.filter(type="resource_added").count() == Resource.objects.count()


def test_demo_is_the_same_every_time(demo_network):
    load_demo_community()
    first = sorted(Registration.objects.values_list("event__title", "user__email"))
    Event.objects.all().delete()
    Resource.objects.all().delete()

    load_demo_community()

    assert sorted(Registration.objects.values_list("event__title", "user__email")) == first
