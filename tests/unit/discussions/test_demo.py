import pytest

from msknet.communications.models import Notification
from msknet.demo import load_demo_data
from msknet.discussions.models import Post, Thread
from msknet.members.models import Network, User

pytestmark = pytest.mark.slow


@pytest.fixture
def demo(db):
    assert load_demo_data() is True


def test_demo_has_discussions_in_both_networks(demo):
    for network in Network.objects.all():
        threads = Thread.objects.filter(network=network)
        assert threads.count() >= 4
        assert Post.objects.filter(thread__network=network, is_opening=False).exists()
    assert (
        Post.objects.filter(hidden_at__isnull=False).exclude(hidden_reason="").count()
        == 1
    )
    assert Thread.objects.filter(locked_at__isnull=False).count() == 1


def test_demo_logins_have_unread_notifications(demo):
    for email in ("member@london.example.nhs.uk", "steering@nenc.example.nhs.uk"):
        user = User.objects.get(email=email)
        assert Notification.objects.filter(user=user).exists()
    assert (
        Notification.objects.unread()
        .filter(
            user__email__in=[
                "lead@london.example.nhs.uk",
                "member@london.example.nhs.uk",
                "lived.experience@london.example.org",
            ]
        )
        .exists()
    )
