"""Reads for the member directory, where consent is law.

A member is listed only if they chose to be (`directory_listed`), and each
detail shows only where they agreed to share it. Filters obey the same
consent: filtering by sector matches only members who share their sector, so
a filter can never reveal what a member keeps hidden. Everything is filtered
in the database; `DirectoryEntry` carries only what may be shown, so a
template cannot leak a hidden detail.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from .models import ICB, Membership, Network, Organisation, Profession, Role, Topic


@dataclass(frozen=True)
class DirectoryEntry:
    """What one member shows in the directory.

    A detail is None where the member does not share it, and empty where
    they share it but have not given it.
    """

    pk: int
    name: str
    role: str
    organisation: str | None
    sector: str | None
    has_lived_experience: bool
    profession: str | None
    icb: str | None
    interests: tuple[str, ...] | None
    email: str | None
    phone: str | None


def listed_members(network: Network) -> QuerySet[Membership]:
    return Membership.objects.for_network(network).in_directory()


def search_directory(
    network: Network,
    *,
    q: str = "",
    organisation: Organisation | None = None,
    sector: str = "",
    icb: ICB | None = None,
    profession: str = "",
    interest: Topic | None = None,
) -> QuerySet[Membership]:
    """Listed members matching every given filter, by name.

    `q` matches names only, word by word. Each other filter matches only
    members who share that detail.
    """
    members = listed_members(network)
    for word in q.split():
        members = members.filter(user__full_name__icontains=word)
    if organisation is not None:
        members = members.filter(share_organisation=True, organisation=organisation)
    if sector:
        members = members.filter(share_sector=True, sector=sector)
    if icb is not None:
        members = members.filter(share_icb=True, icb=icb)
    if profession:
        members = members.filter(share_profession=True, profession=profession)
    if interest is not None:
        # One topic: the join yields each member at most once.
        members = members.filter(share_interests=True, interests=interest)
    return members.order_by("user__full_name", "pk")


def with_details(members: QuerySet[Membership]) -> QuerySet[Membership]:
    """What `directory_entry` reads, in two queries whatever the page size."""
    return members.select_related("user", "organisation", "icb").prefetch_related(
        Prefetch("interests", queryset=Topic.objects.order_by("position", "name"))
    )


def directory_entry(membership: Membership) -> DirectoryEntry:
    """The consented view of one listed membership."""
    user = membership.user
    profession = membership.get_profession_display()
    if membership.profession == Profession.NOT_APPLICABLE:
        profession = ""
    return DirectoryEntry(
        pk=membership.pk,
        name=user.display_name,
        role=membership.get_role_display() if membership.role != Role.MEMBER else "",
        organisation=shared(
            membership.share_organisation, membership.organisation_display
        ),
        sector=shared(membership.share_sector, membership.get_sector_display()),
        has_lived_experience=membership.share_sector
        and membership.has_lived_experience,
        profession=shared(membership.share_profession, profession),
        icb=shared(
            membership.share_icb, membership.icb.short_name if membership.icb else ""
        ),
        interests=(
            tuple(topic.name for topic in membership.interests.all())
            if membership.share_interests
            else None
        ),
        email=shared(membership.share_email, user.email),
        phone=shared(membership.share_phone, user.phone),
    )


def shared(consent: bool, value: str) -> str | None:
    return value if consent else None


def directory_member(network: Network, pk: int) -> Membership:
    """One listed membership; `Membership.DoesNotExist` for anyone else."""
    return with_details(listed_members(network)).get(pk=pk)


def organisation_choices(network: Network) -> QuerySet[Organisation]:
    """Organisations that at least one listed member shares."""
    return Organisation.objects.filter(
        pk__in=listed_members(network)
        .filter(share_organisation=True, organisation__isnull=False)
        .values("organisation")
    ).order_by("name")


def icb_choices(network: Network) -> QuerySet[ICB]:
    """The network's ICBs and any other that a listed member shares."""
    shared = listed_members(network).filter(share_icb=True, icb__isnull=False)
    return ICB.objects.filter(
        Q(pk__in=shared.values("icb")) | Q(pk__in=network.icbs.values("pk"))
    ).order_by("name")
