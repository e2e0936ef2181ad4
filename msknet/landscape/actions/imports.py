"""Importing services from CSV: every row is checked before anything is
written, and a file with any bad row writes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from msknet.members.models import Network, Organisation

from .. import service_csv
from ..models import Service, ServiceChange
from ..models.services import outward_code
from .common import Refused


class ImportRefused(Refused):
    """The file has problems; `errors` lists every one, naming row and field."""

    def __init__(self, errors: list[str]) -> None:
        count = len(errors)
        super().__init__(f"The file has {count} problem{'s' if count != 1 else ''}: "
                         "nothing was imported", field="file")
        self.errors = errors


@dataclass
class ImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    providers_added: int = 0
    dry_run: bool = False

    @property
    def summary(self) -> str:
        def count(n: int, what: str) -> str:
            return f"{n} {what}{'' if n == 1 else 's'}"

        text = f"{count(self.added, 'service')} added, {self.updated} updated"
        if self.unchanged:
            text += f", {self.unchanged} unchanged"
        if self.providers_added:
            text += f" ({count(self.providers_added, 'new provider')})"
        if self.dry_run:
            text = f"Checked: the file is fine and would give {text}. Nothing was written"
        return text


def import_text(*, network: Network, text: str, by: Any,
                dry_run: bool = False) -> ImportResult:
    """Import the CSV `text`; raises ImportRefused listing every problem."""
    with transaction.atomic():
        plan = service_csv.parse(network, text)
        if plan.errors:
            raise ImportRefused(plan.errors)
        result = ImportResult(dry_run=dry_run)
        if dry_run:
            for planned in plan.rows:
                if planned.service is None:
                    result.added += 1
                elif _changed(planned.service, planned):
                    result.updated += 1
                else:
                    result.unchanged += 1
            result.providers_added = len({id(p.provider) for p in plan.rows
                                          if p.provider.pk is None})
            return result
        _write(network, plan, by=by, result=result)
        return result


def import_bytes(*, network: Network, data: bytes, by: Any,
                 dry_run: bool = False) -> ImportResult:
    try:
        text = service_csv.decode(data)
    except ValueError as exc:
        raise ImportRefused([str(exc)]) from exc
    return import_text(network=network, text=text, by=by, dry_run=dry_run)


def _changed(service: Service, planned: service_csv.Planned) -> list[str]:
    changed = [name for name, value in planned.values.items()
               if name != "last_confirmed_on" and getattr(service, name) != value]
    if (planned.values["last_confirmed_on"] is not None
            and planned.values["last_confirmed_on"] != service.last_confirmed_on):
        changed.append("last_confirmed_on")
    if service.provider_id != planned.provider.pk:
        changed.append("provider")
    if service.icb_id != planned.icb.pk:
        changed.append("icb")
    return changed


def _write(network: Network, plan: service_csv.Plan, *, by: Any,
           result: ImportResult) -> None:
    """Write the plan in a handful of queries whatever its length: new
    providers, new services and their changes are inserted in bulk, changed
    services updated in bulk (the caller's transaction makes it all or nothing)."""
    now = timezone.now()
    user = by if getattr(by, "pk", None) else None
    providers = list({id(p.provider): p.provider for p in plan.rows
                      if p.provider.pk is None}.values())
    Organisation.objects.bulk_create(providers)
    result.providers_added = len(providers)
    added: list[Service] = []
    updated: list[tuple[Service, list[str]]] = []
    changes: list[ServiceChange] = []
    for planned in plan.rows:
        service = planned.service
        if service is None:
            values = dict(planned.values)
            if values["last_confirmed_on"] is None:
                values.pop("last_confirmed_on")
            added.append(_normalised(Service(
                network=network, provider=planned.provider, icb=planned.icb,
                created_at=now, created_by=user, updated_at=now, updated_by=user,
                **values)))
            changes.append(ServiceChange(service=added[-1], by=user, at=now,
                                         summary="Added from a CSV import"))
            continue
        changed = _changed(service, planned)
        if not changed:
            result.unchanged += 1
            continue
        for name, value in planned.values.items():
            if name == "last_confirmed_on" and value is None:
                continue
            setattr(service, name, value)
        service.provider = planned.provider
        service.icb = planned.icb
        service.updated_at, service.updated_by = now, user
        updated.append((_normalised(service), changed))
        labels = ", ".join(_label(name) for name in changed)
        changes.append(ServiceChange(
            service=service, by=user, at=now,
            summary=f"Updated from a CSV import: {labels}"[:300]))
    Service.objects.bulk_create(added)
    if updated:
        Service.objects.bulk_update(
            [service for service, _ in updated],
            sorted({name for _, changed in updated for name in changed}
                   | {"postcode", "outward_code", "updated_at", "updated_by"}))
    ServiceChange.objects.bulk_create(changes)
    result.added, result.updated = len(added), len(updated)


def _normalised(service: Service) -> Service:
    """What `Service.save` does before writing, which bulk writes skip."""
    service.postcode = " ".join(service.postcode.upper().split())
    service.outward_code = outward_code(service.postcode)
    return service


def _label(name: str) -> str:
    if name in ("provider", "icb"):
        return "ICB" if name == "icb" else "provider"
    return str(Service._meta.get_field(name).verbose_name).lower().replace("icb", "ICB")
