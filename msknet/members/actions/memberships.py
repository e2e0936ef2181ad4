"""Writes that create and change memberships, shared by joining and invitations."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from msknet.core import audit
from msknet.core.models import AuditEvent

from ..models import ICB, Membership, Network, Organisation, Role, Topic, User


class AlreadyMember(Exception):
    """The person is already a member of the network."""


class LastLead(Exception):
    """The change would leave the network without a lead."""


def is_last_lead(membership: Membership) -> bool:
    return (
        membership.role == Role.LEAD
        and not Membership.objects.for_network(membership.network)
        .active()
        .filter(role=Role.LEAD)
        .exclude(pk=membership.pk)
        .exists()
    )


def find_user(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()


def get_or_create_user(*, email: str, full_name: str) -> tuple[User, bool]:
    user = find_user(email)
    if user is not None:
        return user, False
    return User.objects.create_user(email=email, full_name=full_name), True


@transaction.atomic
def add_member(
    *,
    user: User,
    network: Network,
    by: Any,
    role: str = Role.MEMBER,
    sector: str,
    profession: str,
    organisation: Organisation | None = None,
    organisation_other: str = "",
    icb: ICB | None = None,
    interests: Iterable[Topic] = (),
    leadership: str = "not_now",
    directory_listed: bool = False,
    **sharing: bool,
) -> Membership:
    if Membership.objects.filter(user=user, network=network).exists():
        raise AlreadyMember(f"{user.email} is already a member of {network}")
    membership = Membership.objects.create(
        user=user,
        network=network,
        role=role,
        sector=sector,
        profession=profession,
        organisation=organisation,
        organisation_other=organisation_other,
        icb=icb,
        leadership=leadership,
        directory_listed=directory_listed,
        joined_at=timezone.now(),
        created_by=by if getattr(by, "is_authenticated", False) else None,
        **sharing,
    )
    membership.interests.set(list(interests))
    return membership


@transaction.atomic
def change_role(*, membership: Membership, role: str, by: User) -> Membership:
    previous = membership.role
    if previous == role:
        return membership
    if role != Role.LEAD and is_last_lead(membership):
        raise LastLead("A network needs at least one lead")
    membership.role = role
    membership.updated_by = by
    membership.save(update_fields=["role", "updated_by", "updated_at"])
    audit.record(
        AuditEvent.Type.ROLE_CHANGED,
        target=membership,
        by=by,
        network=membership.network,
        previous=previous,
        role=role,
    )
    return membership
