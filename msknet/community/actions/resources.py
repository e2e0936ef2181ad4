"""Adding, changing and removing resources in the library."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from msknet.core import audit
from msknet.members.models import Network, Topic, User

from ..models import CommunityAudit, Resource, ResourceAudienceTag
from ..uploads import extract_text, file_type

RESOURCE_FIELDS = (
    "title", "summary", "kind", "visibility", "publisher", "published_on", "url",
)


def store_upload(resource: Resource, upload: Any) -> None:
    """Check the file again (the API and forms share this), keep it and its words."""
    checked = file_type(upload.name, upload, upload.size)
    resource.file_name = upload.name[:200]
    resource.content_type = checked.content_type
    resource.file_size = upload.size
    resource.extracted_text = extract_text(checked, upload)
    resource.file.save(upload.name, upload, save=False)


def set_tags(resource: Resource, topics: Iterable[Topic], audiences: Iterable[str]) -> None:
    resource.topics.set(list(topics))
    resource.audience_tags.all().delete()
    ResourceAudienceTag.objects.bulk_create(
        ResourceAudienceTag(resource=resource, audience=a) for a in dict.fromkeys(audiences)
    )


@transaction.atomic
def add_resource(
    *,
    network: Network,
    by: User,
    title: str,
    summary: str,
    kind: str,
    visibility: str,
    topics: Iterable[Topic] = (),
    audiences: Iterable[str] = (),
    publisher: str = "",
    published_on: Any = None,
    url: str = "",
    upload: Any = None,
) -> Resource:
    now = timezone.now()
    resource = Resource(
        network=network, title=title.strip(), summary=summary.strip(), kind=kind,
        visibility=visibility, publisher=publisher.strip(), published_on=published_on,
        url=url, created_by=by, updated_by=by, created_at=now, updated_at=now,
    )
    if upload is not None:
        store_upload(resource, upload)
    resource.save()
    set_tags(resource, topics, audiences)
    audit.record(CommunityAudit.RESOURCE_ADDED, target=resource, by=by, network=network)
    return resource


@transaction.atomic
def update_resource(
    *,
    resource: Resource,
    by: User,
    topics: Iterable[Topic] = (),
    audiences: Iterable[str] = (),
    upload: Any = None,
    **fields: Any,
) -> Resource:
    """Change a resource; a new file replaces the old one."""
    old_file = resource.file.name if resource.file else ""
    for name in RESOURCE_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(resource, name, value.strip() if isinstance(value, str) else value)
    if upload is not None:
        store_upload(resource, upload)
    resource.updated_at = timezone.now()
    resource.updated_by = by
    resource.save()
    set_tags(resource, topics, audiences)
    audit.record(CommunityAudit.RESOURCE_UPDATED, target=resource, by=by,
                 network=resource.network)
    if upload is not None and old_file:
        transaction.on_commit(partial(resource.file.storage.delete, old_file))
    return resource


@transaction.atomic
def remove_resource(*, resource: Resource, by: User) -> None:
    audit.record(CommunityAudit.RESOURCE_REMOVED, target=resource, by=by,
                 network=resource.network, title=resource.title)
    stored = resource.file.name if resource.file else ""
    storage = resource.file.storage
    resource.delete()
    if stored:
        transaction.on_commit(partial(storage.delete, stored))
