from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.utils import timezone

from msknet.demo import DEMO_PASSWORD, demo_logins, load_demo_data
from msknet.members.models import (
    Invitation,
    JoinRequest,
    Membership,
    Network,
    Organisation,
    OrganisationType,
    Role,
    Sector,
    User,
)
from msknet.members.permissions import network_role

pytestmark = pytest.mark.slow

EXPECTED_ROLES = {
    "lead": Role.LEAD,
    "steering": Role.STEERING,
    "member": Role.MEMBER,
    "lived.experience": Role.MEMBER,
}


@pytest.fixture
def demo(db):
    assert load_demo_data() is True


def test_load_demo_data_creates_both_networks(demo):
    assert set(Network.objects.values_list("slug", flat=True)) == {"london", "nenc"}
    london = Network.objects.get(slug="london")
    nenc = Network.objects.get(slug="nenc")
    assert london.icbs.count() == 5
    assert list(nenc.icbs.values_list("ods_code", flat=True)) == ["QHM"]
    assert london.topics.filter(name="Spinal services").exists()
    assert len(nenc.objective_list) == 5


def test_load_demo_data_says_the_people_are_synthetic(demo):
    for network in Network.objects.all():
        assert "synthetic" in network.summary
        assert "synthetic" in network.about
    assert not User.objects.exclude(email__regex=r"@([a-z]+\.)?example\.(nhs\.uk|org)$")


def test_load_demo_data_adds_300_members_from_every_sector(demo):
    members = User.objects.filter(memberships__isnull=False).distinct()
    assert members.count() >= 300
    assert Membership.objects.filter(network__slug="london").count() >= 200
    assert Membership.objects.filter(network__slug="nenc").count() >= 130
    in_both = User.objects.filter(memberships__network__slug="london").filter(
        memberships__network__slug="nenc"
    )
    assert in_both.exists()
    assert set(Membership.objects.values_list("sector", flat=True)) == set(
        Sector.values
    )


def test_load_demo_data_adds_organisations_of_every_kind(demo):
    assert Organisation.objects.count() >= 55
    types = set(Organisation.objects.values_list("type", flat=True))
    assert types == set(OrganisationType.values) - {OrganisationType.OTHER}
    assert not Organisation.objects.filter(region__isnull=True)


def test_load_demo_data_spreads_join_dates_over_years(demo):
    now = timezone.now()
    joined = list(Membership.objects.values_list("joined_at", flat=True))
    assert min(joined) <= now - timedelta(days=2 * 365)
    assert max(joined) >= now - timedelta(days=60)
    assert max(joined) <= now


def test_load_demo_data_mixes_directory_consent(demo):
    memberships = Membership.objects.all()
    listed = memberships.filter(directory_listed=True).count()
    assert listed > memberships.count() / 2
    assert memberships.filter(share_email=True).exists()
    assert memberships.filter(directory_listed=False).exists()
    lived = memberships.filter(sector=Sector.LIVED_EXPERIENCE)
    assert lived.filter(share_email=True).count() < lived.count() / 2


def test_load_demo_data_adds_requests_and_invitations(demo):
    for slug in ("london", "nenc"):
        requests = JoinRequest.objects.filter(network__slug=slug)
        assert requests.filter(status=JoinRequest.Status.PENDING).count() == 8
        declined = requests.filter(status=JoinRequest.Status.DECLINED)
        assert declined.exists()
        assert all(request.decision_reason for request in declined)
        statuses = [
            invitation.status
            for invitation in Invitation.objects.filter(network__slug=slug)
        ]
        assert statuses.count(Invitation.Status.OPEN) == 6
        assert statuses.count(Invitation.Status.EXPIRED) == 1
        assert statuses.count(Invitation.Status.ACCEPTED) == 1


def test_demo_logins_sign_in_with_the_demo_password_in_their_role(demo):
    logins = demo_logins()

    assert len(logins) == 8
    for _description, email in logins:
        user = authenticate(username=email, password=DEMO_PASSWORD)
        assert user is not None, email
        validate_password(DEMO_PASSWORD, user)
        local, _, domain = email.partition("@")
        network = Network.objects.get(slug=domain.split(".")[0])
        assert network_role(user, network) == EXPECTED_ROLES[local]


def test_only_demo_logins_can_sign_in(demo):
    demo_emails = {email for _description, email in demo_logins()}

    usable = [user.email for user in User.objects.all() if user.has_usable_password()]

    assert set(usable) == demo_emails


def test_load_demo_data_sends_no_email(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        load_demo_data()

    assert callbacks == []


def test_load_demo_data_again_returns_false_and_adds_nothing(demo):
    counts = [model.objects.count() for model in (User, Membership, Invitation)]

    assert load_demo_data() is False

    assert [model.objects.count() for model in (User, Membership, Invitation)] == counts
