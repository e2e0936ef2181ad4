"""Reads about one person's account: the sign-in rate limit, their data."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from msknet.core.models import AuditEvent

from .models import APIToken, Invitation, JoinRequest, Membership, SignInFailure, User


def sign_in_retry_at(*, email: str, address: str) -> datetime | None:
    """When sign-in may be tried again for this email or address, or None.

    Locked once the failures inside the window reach the limit; it unlocks
    when enough of them have aged out of the window to fall below it.
    """
    now = timezone.now()
    window = timedelta(seconds=settings.SIGN_IN_FAILURE_WINDOW_SECONDS)
    recent = SignInFailure.objects.filter(at__gt=now - window)
    limits = [
        (
            recent.filter(email=email.strip().lower()),
            settings.SIGN_IN_MAX_FAILURES_PER_ACCOUNT,
        ),
        (recent.filter(address=address), settings.SIGN_IN_MAX_FAILURES_PER_ADDRESS),
    ]
    retry_at: datetime | None = None
    for failures, limit in limits:
        oldest_counted = _nth_most_recent(failures, limit)
        if oldest_counted is not None:
            unlocks = oldest_counted + window
            retry_at = unlocks if retry_at is None else max(retry_at, unlocks)
    return retry_at


def _nth_most_recent(failures: QuerySet[SignInFailure], n: int) -> datetime | None:
    if n < 1:
        return None
    at = failures.order_by("-at").values_list("at", flat=True)[n - 1 : n]
    return next(iter(at), None)


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _choice(value: str, label: str) -> dict[str, str]:
    return {"code": value, "label": label}


#: Other apps' parts of a person's data download, by name: each function
#: takes the user and returns JSON-ready data. Apps register in `ready()`.
PERSONAL_DATA_SECTIONS: dict[str, Callable[[User], Any]] = {}


def personal_data(user: User) -> dict[str, Any]:
    """Everything msknet holds about `user`, as JSON-ready data.

    Join requests and invitations are matched by email address, since they
    may predate the account, and by account, since the email may have changed. Secrets (password and token hashes, invitation
    tokens) are left out.
    """
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("network", "organisation", "icb")
        .prefetch_related("interests")
        .order_by("network__name")
    )
    join_requests = (
        JoinRequest.objects.filter(Q(email__iexact=user.email) | Q(user=user))
        .select_related("network", "organisation", "icb")
        .prefetch_related("interests")
        .order_by("created_at")
    )
    invitations = (
        Invitation.objects.filter(Q(email__iexact=user.email) | Q(accepted_by=user))
        .select_related("network")
        .order_by("created_at")
    )
    tokens = APIToken.objects.filter(user=user).order_by("created_at")
    events = AuditEvent.objects.filter(by=user).select_related("network").order_by("at")
    failures = SignInFailure.objects.filter(email=user.email).order_by("at")
    return {
        "generated_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "phone": user.phone,
            "job_title": user.job_title,
            "date_joined": _when(user.date_joined),
            "last_sign_in": _when(user.last_login),
            "has_password": user.has_usable_password(),
        },
        "memberships": [
            {
                "network": m.network.name,
                "role": _choice(m.role, m.get_role_display()),
                "joined_at": _when(m.joined_at),
                "sector": _choice(m.sector, m.get_sector_display()),
                "profession": _choice(m.profession, m.get_profession_display()),
                "organisation": m.organisation_display,
                "icb": m.icb.name if m.icb else None,
                "interests": [t.name for t in m.interests.all()],
                "leadership": _choice(m.leadership, m.get_leadership_display()),
                "directory": {
                    "listed": m.directory_listed,
                    "share_email": m.share_email,
                    "share_phone": m.share_phone,
                    "share_organisation": m.share_organisation,
                    "share_profession": m.share_profession,
                    "share_sector": m.share_sector,
                    "share_icb": m.share_icb,
                    "share_interests": m.share_interests,
                },
            }
            for m in memberships
        ],
        "join_requests": [
            {
                "network": r.network.name,
                "email": r.email,
                "full_name": r.full_name,
                "sector": _choice(r.sector, r.get_sector_display()),
                "profession": _choice(r.profession, r.get_profession_display()),
                "organisation": r.organisation_display,
                "icb": r.icb.name if r.icb else None,
                "interests": [t.name for t in r.interests.all()],
                "leadership": _choice(r.leadership, r.get_leadership_display()),
                "reason": r.reason,
                "status": _choice(r.status, r.get_status_display()),
                "created_at": _when(r.created_at),
                "decided_at": _when(r.decided_at),
                "decision_reason": r.decision_reason,
            }
            for r in join_requests
        ],
        "invitations": [
            {
                "network": i.network.name,
                "email": i.email,
                "full_name": i.full_name,
                "role": _choice(i.role, i.get_role_display()),
                "status": _choice(i.status, Invitation.Status(i.status).label),
                "first_sent_at": _when(i.created_at),
                "last_sent_at": _when(i.last_sent_at),
                "times_sent": i.send_count,
                "expires_at": _when(i.expires_at),
                "accepted_at": _when(i.accepted_at),
            }
            for i in invitations
        ],
        "api_tokens": [
            {
                "name": t.name,
                "prefix": t.prefix,
                "created_at": _when(t.created_at),
                "last_used_at": _when(t.last_used_at),
            }
            for t in tokens
        ],
        "activity": [
            {
                "type": _choice(e.type, e.type_label),
                "at": _when(e.at),
                "network": e.network.name if e.network else None,
                "target_type": e.target_type,
                "target_id": e.target_id,
                "data": e.data,
            }
            for e in events
        ],
        "failed_sign_ins": [_when(f.at) for f in failures],
        **{name: section(user) for name, section in PERSONAL_DATA_SECTIONS.items()},
    }
