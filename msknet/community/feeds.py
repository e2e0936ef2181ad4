"""Personal calendar feed links: a member's feed, readable without signing in.

Calendar apps cannot sign in, so a member's feed (members-only events
included) lives at a link carrying a keyed hash of who they are. The hash
covers their password hash, so changing the password withdraws every link.
"""

from __future__ import annotations

from typing import Any

from django.utils.crypto import constant_time_compare, salted_hmac

from msknet.members.models import Network, User

SALT = "msknet.community.feeds"


def feed_token(user: Any, network: Network) -> str:
    digest = salted_hmac(
        SALT, f"{user.pk}:{network.pk}:{user.password}", algorithm="sha256"
    ).hexdigest()[:40]
    return f"{user.pk}-{digest}"


def feed_user(token: str, network: Network) -> User | None:
    """The active person the token was made for, or None."""
    pk, _, _ = token.partition("-")
    if not pk.isdigit() or len(pk) > 18:
        return None
    user = User.objects.filter(pk=int(pk), is_active=True).first()
    if user is None or not constant_time_compare(token, feed_token(user, network)):
        return None
    return user
