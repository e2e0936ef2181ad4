"""Recording audit events: the one way actions write the audit trail."""

from __future__ import annotations

from typing import Any

from django.db import models

from .models import AUDIT_TYPE_LABELS, AuditEvent


def record(
    type: str,
    *,
    target: models.Model,
    by: Any = None,
    network: Any = None,
    **data: Any,
) -> AuditEvent:
    if type not in AUDIT_TYPE_LABELS:
        raise ValueError(f"Unknown audit event type {type!r}: register it with audit_types")
    user = by if getattr(by, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        type=type,
        by=user,
        network=network,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        data=data,
    )
