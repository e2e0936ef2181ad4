"""Who a news item is emailed to: its audience, resolved at sending time.

An audience is always members of the item's network (active, not erased),
narrowed by its kind: a group, a sector, an ICB, a topic of interest, a
role, an event's registrants (with a place or on the waiting list), the
followers of an improvement project (its team and those who follow it), or
the followers of an innovation (those who follow it, its proposer and its
sites' contacts).
Anyone who unsubscribed from the network's news (`NewsOptOut`) or whose
address is suppressed (`EmailSuppression`) is left out.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from msknet.members.models import Membership, User

from .models import AudienceKind, EmailSuppression, NewsItem, NewsOptOut


def chosen(item: NewsItem) -> Q | None:
    """The condition on memberships the audience adds; None when its choice is
    missing (a removed group, event or project): nobody."""
    kind = item.audience_kind
    if kind == AudienceKind.NETWORK:
        return Q()
    if kind == AudienceKind.GROUP:
        if item.audience_group_id is None:
            return None
        return Q(user__group_memberships__group_id=item.audience_group_id)
    if kind == AudienceKind.SECTOR:
        return Q(sector=item.audience_sector) if item.audience_sector else None
    if kind == AudienceKind.ICB:
        return Q(icb_id=item.audience_icb_id) if item.audience_icb_id else None
    if kind == AudienceKind.TOPIC:
        if item.audience_topic_id is None:
            return None
        return Q(interests=item.audience_topic_id)
    if kind == AudienceKind.ROLE:
        return Q(role=item.audience_role) if item.audience_role else None
    if kind == AudienceKind.EVENT:
        if item.audience_event_id is None:
            return None
        from msknet.community.models import RegistrationStatus

        return Q(
            user__event_registrations__event_id=item.audience_event_id,
            user__event_registrations__status__in=[
                RegistrationStatus.REGISTERED,
                RegistrationStatus.WAITING,
            ],
        )
    if kind == AudienceKind.PROJECT:
        if item.audience_project is None:
            return None
        from msknet.improvement.queries import project_followers

        return Q(user__in=project_followers(item.audience_project).values("pk"))
    if kind == AudienceKind.INNOVATION:
        innovation = item.audience_innovation
        if innovation is None or innovation.awaiting_review:
            return None
        from msknet.innovations.actions.stages import followers

        return Q(user__in=followers(innovation).values("pk"))
    raise ValueError(f"Unknown audience {kind!r}")


def audience_members(item: NewsItem) -> QuerySet[User]:
    """Everyone the item's audience names now, opt-outs and suppressed
    addresses left out; ordered by email address."""
    condition = chosen(item)
    if condition is None:
        return User.objects.none()
    memberships = (
        Membership.objects.for_network(item.network).active().filter(condition)
    )
    return (
        User.objects.filter(pk__in=memberships.values("user_id"))
        .exclude(pk__in=NewsOptOut.objects.filter(network=item.network).values("user_id"))
        .annotate(email_lower=Lower("email"))
        .exclude(email_lower__in=EmailSuppression.objects.values("email"))
        .order_by("email")
    )


def describe(item: NewsItem) -> str:
    """Who the audience is, in words: "Members in the ICB North Central London"."""
    kind = item.audience_kind
    network = item.network.short_name
    if kind == AudienceKind.NETWORK:
        return f"Everyone in {network}"
    if kind == AudienceKind.GROUP:
        return f"Members of {item.audience_group}" if item.audience_group else "Nobody"
    if kind == AudienceKind.SECTOR:
        return f"Members in the sector {item.get_audience_sector_display()}"
    if kind == AudienceKind.ICB:
        return f"Members in {item.audience_icb} ICB" if item.audience_icb else "Nobody"
    if kind == AudienceKind.TOPIC:
        if item.audience_topic is None:
            return "Nobody"
        return f"Members interested in {item.audience_topic}"
    if kind == AudienceKind.ROLE:
        return f"Members whose role is {item.get_audience_role_display()}"
    if kind == AudienceKind.EVENT:
        if item.audience_event is None:
            return "Nobody"
        return f"People registered for {item.audience_event}"
    if kind == AudienceKind.PROJECT:
        if item.audience_project is None:
            return "Nobody"
        return f"People following {item.audience_project}"
    if kind == AudienceKind.INNOVATION:
        if item.audience_innovation is None:
            return "Nobody"
        return f"People following the innovation {item.audience_innovation}"
    raise ValueError(f"Unknown audience {kind!r}")


def why_you_get_it(item: NewsItem) -> str:
    """The email footer's reason, addressed to the reader."""
    network = item.network.name
    kind = item.audience_kind
    if kind == AudienceKind.EVENT and item.audience_event is not None:
        return (
            f"You are getting this because you are registered for "
            f"{item.audience_event} and are a member of {network}."
        )
    if kind == AudienceKind.PROJECT and item.audience_project is not None:
        return (
            f"You are getting this because you follow {item.audience_project} "
            f"in {network}."
        )
    if kind == AudienceKind.INNOVATION and item.audience_innovation is not None:
        return (
            f"You are getting this because you follow the innovation "
            f"{item.audience_innovation} in {network}."
        )
    if kind == AudienceKind.NETWORK:
        return f"You are getting this because you are a member of {network}."
    return (
        f"You are getting this because you are a member of {network} "
        f"({describe(item)[0].lower()}{describe(item)[1:]})."
    )

