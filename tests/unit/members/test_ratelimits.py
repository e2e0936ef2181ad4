from datetime import timedelta

import pytest
from django.utils import timezone

from msknet.members import ratelimits
from msknet.members.models import Throttle

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "client"),
    [
        # No proxy declared: X-Forwarded-For is the client's to invent.
        (0, "192.0.2.10", "203.0.113.9", "192.0.2.10"),
        # One proxy: the entry it appended, whatever the client put before it.
        (1, "10.0.0.2", "203.0.113.9, 198.51.100.7", "198.51.100.7"),
        (2, "10.0.0.2", "6.6.6.6, 198.51.100.7, 10.0.0.1", "198.51.100.7"),
        # Fewer entries than proxies: all came from our proxies.
        (2, "10.0.0.2", "198.51.100.7", "198.51.100.7"),
        (1, "10.0.0.2", "", "10.0.0.2"),
        # IPv6 clients count by their /64.
        (0, "2001:db8:1:2:aaaa::1", "", "2001:db8:1:2::/64"),
        (0, "::ffff:192.0.2.1", "", "192.0.2.1"),
        (1, "10.0.0.2", "not-an-address", "not-an-address"),
    ],
)
def test_client_address_trusts_only_the_declared_proxies(
    rf, settings, proxies, remote, forwarded, client
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)

    assert ratelimits.client_address(request) == client


def test_attacker_behind_a_proxy_cannot_pose_as_everyone(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    spoofed = [
        rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, "
               "198.51.100.66")
        for n in range(3)
    ]

    assert {ratelimits.client_address(r) for r in spoofed} == {"198.51.100.66"}


def test_allow_counts_up_to_the_limit_per_key():
    allowed = [
        ratelimits.allow("test", "a@example.org", limit=3, window_seconds=3600)
        for _ in range(5)
    ]
    other = ratelimits.allow("test", "b@example.org", limit=3, window_seconds=3600)

    assert allowed == [True, True, True, False, False]
    assert other is True


def test_allow_keeps_no_email_address():
    ratelimits.allow("test", "Priya@example.org", limit=3, window_seconds=3600)

    row = Throttle.objects.get()
    assert "priya" not in row.key_hash.lower()
    assert row.key_hash == ratelimits.key_hash("test", "priya@example.org")


def test_allow_starts_again_in_a_new_window_and_prunes_old_counts():
    old = Throttle.objects.create(
        kind="test",
        key_hash=ratelimits.key_hash("test", "a@example.org"),
        window_start=timezone.now() - timedelta(days=2),
        count=99,
    )

    assert ratelimits.allow("test", "a@example.org", limit=1, window_seconds=3600)
    assert not Throttle.objects.filter(pk=old.pk).exists()
