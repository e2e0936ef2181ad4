"""Recording audit events: the one way actions write the audit trail."""

from __future__ import annotations

from typing import Any

from django.db import models

from .models import AuditEvent


def record(
    type: AuditEvent.Type,
    *,
    target: models.Model,
    by: Any = None,
    network: Any = None,
    **data: Any,
) -> AuditEvent:
    user = by if getattr(by, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        type=type,
        by=user,
        network=network,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        data=data,
    )
