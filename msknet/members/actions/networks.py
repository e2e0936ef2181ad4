"""Writes to a network's own details and topics."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from msknet.core import audit
from msknet.core.models import AuditEvent

from ..models import ICB, Network, Region, Topic, User
from .memberships import add_member, get_or_create_user

NETWORK_FIELDS = ("summary", "vision", "mission", "objectives", "about", "contact_email",
                  "open_to_join")


@transaction.atomic
def update_network(*, network: Network, by: User, **fields: Any) -> Network:
    changed = [name for name in NETWORK_FIELDS
               if name in fields and getattr(network, name) != fields[name]]
    for name in changed:
        setattr(network, name, fields[name])
    if changed:
        network.save(update_fields=[*changed, "updated_at"])
        audit.record(AuditEvent.Type.NETWORK_UPDATED, target=network, by=by,
                     network=network, fields=changed)
    return network


@transaction.atomic
def add_topic(*, network: Network, by: User, name: str, description: str = "") -> Topic:
    base = slugify(name)[:50] or "topic"
    slug, n = base, 2
    while network.topics.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    position = network.topics.count()
    topic = network.topics.create(
        name=name.strip(), slug=slug, description=description.strip(), position=position
    )
    audit.record(AuditEvent.Type.NETWORK_UPDATED, target=network, by=by,
                 network=network, topic_added=topic.name)
    return topic


@transaction.atomic
def create_network(
    *,
    slug: str,
    name: str,
    short_name: str,
    summary: str,
    region: Region | None,
    icbs: Iterable[ICB],
    lead_email: str,
    lead_name: str,
    topics: Iterable[str] = (),
) -> Network:
    """Set up a new network with its first lead (from the command line)."""
    network = Network.objects.create(
        slug=slug, name=name, short_name=short_name, summary=summary, region=region
    )
    network.icbs.set(list(icbs))
    for topic in topics:
        add_topic(network=network, by=None, name=topic)  # type: ignore[arg-type]
    user, _ = get_or_create_user(email=lead_email, full_name=lead_name)
    add_member(user=user, network=network, by=None, role="lead",
               sector="other", profession="manager")
    return network
