import pytest

from msknet.members.models import Role
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import london_network
from tests.factories.users import PASSWORD, UserFactory


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Production settings, except that the test client and the browser tests
    # talk plain HTTP on loopback and passwords hash quickly.
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_HSTS_SECONDS = 0
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


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
