"""Adding many synthetic members at once, for the demo and the benchmarks.

Members are written with `bulk_create`: thousands load in seconds. Their
accounts get unusable passwords, so nobody can sign in as them.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime

from django.contrib.auth.hashers import (
    UNUSABLE_PASSWORD_PREFIX,
    UNUSABLE_PASSWORD_SUFFIX_LENGTH,
)
from django.db import transaction
from django.utils import timezone

from msknet.members.models import (
    ICB,
    Membership,
    Network,
    Organisation,
    Sector,
    Topic,
    User,
)

from .people import OTHER_ORGANISATIONS, SECTORS, PeopleGenerator, sector_mix

BATCH_SIZE = 2000


def unusable_password() -> str:
    """What `make_password(None)` makes, quicker for thousands of accounts."""
    return (
        UNUSABLE_PASSWORD_PREFIX
        + secrets.token_urlsafe(UNUSABLE_PASSWORD_SUFFIX_LENGTH)[
            :UNUSABLE_PASSWORD_SUFFIX_LENGTH
        ]
    )


@transaction.atomic
def add_synthetic_members(
    *,
    network: Network,
    count: int,
    people: PeopleGenerator,
    age_days: int,
    organisations: Sequence[Organisation] | None = None,
    now: datetime | None = None,
) -> list[Membership]:
    """Add `count` new synthetic people to `network` as members.

    Sectors follow `people.SECTORS` weights (each sector at least once),
    organisations come from `organisations` where one of the sector's types
    exists, ICBs from the organisation or else from the network's ICBs, and
    join dates spread over the network's `age_days`.
    """
    now = now or timezone.now()
    rng = people.rng
    organisations = list(
        organisations if organisations is not None else Organisation.objects.all()
    )
    by_type: dict[str, list[Organisation]] = {}
    for organisation in organisations:
        by_type.setdefault(organisation.type, []).append(organisation)
    network_icbs: list[ICB] = list(network.icbs.all())
    topics: list[Topic] = list(network.topics.all())

    users: list[User] = []
    memberships: list[Membership] = []
    for sector in sector_mix(count, rng):
        person = people.person(sector)
        joined_at = people.joined_at(now=now, age_days=age_days)
        candidates = [
            organisation
            for type_ in SECTORS[sector].organisation_types
            for organisation in by_type.get(type_, [])
        ]
        organisation = rng.choice(candidates) if candidates else None
        organisation_other = ""
        if sector != Sector.LIVED_EXPERIENCE and (
            organisation is None or rng.random() < 0.04
        ):
            organisation, organisation_other = None, rng.choice(OTHER_ORGANISATIONS)
        icb = organisation.icb if organisation and organisation.icb_id else None
        if icb is None and network_icbs:
            icb = rng.choice(network_icbs)
        user = User(
            email=person.email,
            full_name=person.full_name,
            phone=person.phone,
            job_title=person.job_title,
            password=unusable_password(),
            date_joined=joined_at,
        )
        users.append(user)
        memberships.append(
            Membership(
                user=user,
                network=network,
                sector=sector,
                profession=person.profession,
                organisation=organisation,
                organisation_other=organisation_other,
                icb=icb,
                leadership=person.leadership,
                directory_listed=person.directory_listed,
                share_email=person.share_email,
                share_phone=person.share_phone,
                share_organisation=person.share_organisation,
                share_profession=person.share_profession,
                share_icb=person.share_icb,
                share_interests=person.share_interests,
                joined_at=joined_at,
            )
        )
    User.objects.bulk_create(users, batch_size=BATCH_SIZE)
    Membership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)
    add_interests(memberships, topics, people)
    return memberships


def add_interests(
    memberships: Sequence[Membership], topics: Sequence[Topic], people: PeopleGenerator
) -> None:
    """Give each membership one to three of the network's topics."""
    if not topics:
        return
    through = Membership.interests.through
    rows = [
        through(membership_id=membership.pk, topic_id=topic.pk)
        for membership in memberships
        for topic in people.pick(topics, 1, 3)
    ]
    through.objects.bulk_create(rows, batch_size=BATCH_SIZE)
