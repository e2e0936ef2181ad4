import pytest
from django.test import RequestFactory

from msknet.members.actions import accounts as actions
from msknet.members.models import Role, SignInFailure
from msknet.members.permissions import two_factor_required
from tests.factories.community import EventFactory
from tests.factories.memberships import MembershipFactory
from tests.factories.two_factor import current_code, enrol
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "required"),
    [(Role.MEMBER, False), (Role.STEERING, True), (Role.LEAD, True)],
)
def test_two_factor_required_by_role(network, role, required):
    user = MembershipFactory(network=network, role=role).user

    assert two_factor_required(user) is required


def test_two_factor_required_of_a_member_who_organises_an_event(network, member):
    EventFactory(network=network, organiser=member)

    assert two_factor_required(member)


def test_two_factor_not_required_of_an_organiser_who_left(network, outsider):
    # An organiser who has left the network no longer sees its registrants.
    EventFactory(network=network, organiser=outsider)

    assert not two_factor_required(outsider)


def test_two_factor_not_required_when_the_setting_is_off(lead, settings):
    settings.MSKNET_REQUIRE_2FA = False

    assert not two_factor_required(lead)


def test_two_factor_not_required_of_visitors():
    from django.contrib.auth.models import AnonymousUser

    assert not two_factor_required(AnonymousUser())


def request():
    return RequestFactory().post("/account/sign-in/", REMOTE_ADDR="192.0.2.1")


def test_right_password_does_not_clear_failures_before_the_code(password):
    # Otherwise each right password would reset the count of wrong codes.
    user = UserFactory()
    enrol(user)
    SignInFailure.objects.create(email=user.email, address="192.0.2.1")

    step = actions.sign_in(request=request(), email=user.email, password=password)

    assert step.needs_code and step.password_ok
    assert SignInFailure.objects.filter(email=user.email).count() == 1


def test_finish_sign_in_clears_failures_after_the_right_code(password):
    user = UserFactory()
    device = enrol(user)
    SignInFailure.objects.create(email=user.email, address="192.0.2.1")

    accepted = actions.finish_sign_in(
        request=request(), user=user, password_ok=True, code=current_code(device)
    )

    assert accepted == device
    assert not SignInFailure.objects.exists()


def test_finish_sign_in_after_wrong_password_never_tries_the_code():
    user = UserFactory()
    device = enrol(user)

    with pytest.raises(actions.SignInRefused, match="password or security code"):
        actions.finish_sign_in(
            request=request(), user=user, password_ok=False, code=current_code(device)
        )

    device.refresh_from_db()
    assert device.last_t == -1
