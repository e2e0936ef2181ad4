"""Keeping services up to date: confirming a service's details and asking its
owners to confirm them by email."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from ..models import ConfirmationRequest, Service, ServiceChange


@transaction.atomic
def confirm_service(*, service: Service, by: Any,
                    request: ConfirmationRequest | None = None) -> Service:
    """Record that `by` checked the service's details today; any open request
    to confirm it is answered."""
    now = timezone.now()
    service.last_confirmed_on = timezone.localdate()
    service.last_confirmed_by = by
    service.save(update_fields=["last_confirmed_on", "last_confirmed_by"])
    ServiceChange.objects.create(service=service, by=by, at=now,
                                 summary="Confirmed the details")
    ConfirmationRequest.objects.filter(
        service=service, confirmed_at__isnull=True,
    ).update(confirmed_at=now)
    return service
