import socket

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from msknet.insights.reference import seed_areas
from msknet.members.models import Role
from msknet.members.permissions import two_factor_required
from msknet.members.reference import load_reference_geography
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import london_network
from tests.factories.two_factor import enrol
from tests.factories.users import PASSWORD, UserFactory


@pytest.fixture(scope="session")
def _data_dir(tmp_path_factory):
    """Files the site keeps (the prescribing store) go here, never into var/."""
    return tmp_path_factory.mktemp("msknet-data")


@pytest.fixture(autouse=True)
def _test_settings(settings, _data_dir):
    # Production settings, except that the test client and the browser tests
    # talk plain HTTP on loopback and passwords hash quickly.
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_HSTS_SECONDS = 0
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DATA_DIR = _data_dir
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Reload what migrations load, before each test that commits data.

    Tests that commit (browser tests, background threads) flush the database
    afterwards, taking the regions, ICBs and seeded areas with them; pytest-
    django runs such tests after the others, so reloading before each of
    them keeps the reference data there for every test.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or (
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        load_reference_geography()
        seed_areas()


@pytest.fixture
def network(db):
    return london_network()


@pytest.fixture
def member(network):
    return MembershipFactory(network=network, role=Role.MEMBER).user


@pytest.fixture
def steering(network):
    return MembershipFactory(network=network, role=Role.STEERING).user


@pytest.fixture
def lead(network):
    return MembershipFactory(network=network, role=Role.LEAD).user


@pytest.fixture
def outsider(db):
    """Signed in, but not a member of the network."""
    return UserFactory()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def sent_on_commit(django_capture_on_commit_callbacks):
    """Run what actions defer to commit (emails), as a real request would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


class TwoFactorClient(Client):
    """The test client, whose `force_login` signs in as a person who has
    completed two-factor authentication if they use it or must (leads): it
    gives them an authenticator app if they have none and marks the session
    verified by it, as entering a code does."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None and two_factor_required(user):
            device = enrol(user)
        if device is not None:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()


@pytest.fixture
def client():
    return TwoFactorClient()


@pytest.fixture
def unverified_client():
    """A test client whose `force_login` stops before two-factor authentication."""
    return Client()


def closed_port():
    """A loopback port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def unreachable_mail_server(settings):
    """An SMTP server that refuses every connection."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port()
    settings.EMAIL_TIMEOUT = 2
