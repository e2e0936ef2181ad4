"""Reading news: the news page's items, and the counts a writer sees."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Q, QuerySet

from msknet.members.models import Network
from msknet.members.permissions import Permission, permissions_for

from .models import NewsItem, NewsRecipient, RecipientStatus


def readable_news(network: Network, user: Any) -> QuerySet[NewsItem]:
    """Sent items the person may read: public ones, and members-only ones for
    the network's members; newest first."""
    items = NewsItem.objects.for_network(network).published().select_related("network")
    if Permission.VIEW_NEWS not in permissions_for(user, network):
        items = items.public()
    return items


def public_news(network: Network) -> QuerySet[NewsItem]:
    """What the feeds carry: sent public items, newest first."""
    return NewsItem.objects.for_network(network).published().public()


def with_counts(items: QuerySet[NewsItem]) -> QuerySet[NewsItem]:
    """Each item with how many emails were sent, failed, bounced, were skipped,
    are queued, and were opened (where the email app loads images)."""

    def counted(status: str) -> Count:
        return Count("recipients", filter=Q(recipients__status=status))

    return items.annotate(
        recipient_count=Count("recipients"),
        sent_count=counted(RecipientStatus.SENT),
        failed_count=counted(RecipientStatus.FAILED),
        bounced_count=counted(RecipientStatus.BOUNCED),
        skipped_count=counted(RecipientStatus.SKIPPED),
        queued_count=counted(RecipientStatus.QUEUED),
        opened_count=Count("recipients", filter=Q(recipients__opened_at__isnull=False)),
    )


def manage_list(network: Network) -> QuerySet[NewsItem]:
    """Every item of the network for its writers: unsent first, then newest."""
    return with_counts(
        NewsItem.objects.for_network(network).select_related("network")
    ).order_by(F("sent_at").desc(nulls_first=True), "-updated_at", "-pk")


def counts(item: NewsItem) -> dict[str, int]:
    """One item's counts, as `with_counts` annotates them."""
    row = with_counts(NewsItem.objects.filter(pk=item.pk)).values(
        "recipient_count", "sent_count", "failed_count", "bounced_count",
        "skipped_count", "queued_count", "opened_count",
    ).get()
    return dict(row)


def recipient_for_token(token: str) -> NewsRecipient | None:
    if not token or len(token) > 64:
        return None
    return (
        NewsRecipient.objects.select_related("item__network", "user")
        .filter(token=token)
        .first()
    )


def _when(moment: Any) -> str | None:
    return moment.isoformat() if moment else None


def personal_data(user: Any) -> dict[str, Any]:
    """What news holds about `user`, for their data download."""
    from .models import EmailSuppression, NewsOptOut, NewsWriter

    emails = NewsRecipient.objects.filter(user=user).select_related("item__network")
    suppression = EmailSuppression.objects.filter(email=user.email.lower()).first()
    return {
        "emails_sent_to_you": [
            {
                "network": r.item.network.name,
                "title": r.item.title,
                "address": r.email,
                "status": r.get_status_display(),
                "sent_at": _when(r.sent_at),
                "opened_at": _when(r.opened_at),
            }
            for r in emails.order_by("pk")
        ],
        "unsubscribed_from": [
            o.network.name
            for o in NewsOptOut.objects.filter(user=user).select_related("network")
        ],
        "writes_news_for": [
            w.network.name
            for w in NewsWriter.objects.filter(user=user).select_related("network")
        ],
        "address_suppressed": suppression.get_reason_display() if suppression else None,
    }


def news_email_choices(user: Any) -> list[tuple[Network, bool]]:
    """Each network the person belongs to, and whether they get its news by
    email, for their email choices page."""
    from msknet.members.models import Membership

    from .models import NewsOptOut

    opted_out = set(
        NewsOptOut.objects.filter(user=user).values_list("network_id", flat=True)
    )
    memberships = Membership.objects.filter(user=user).select_related("network")
    return [
        (m.network, m.network_id not in opted_out)
        for m in memberships.order_by("network__name")
    ]
