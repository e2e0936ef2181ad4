"""Services as CSV: the columns export writes and import reads, so a file
exported, edited in a spreadsheet and imported again round-trips.

`parse` checks every row of a file against the network's organisations, ICBs
and services without writing anything, and returns every problem it found
("Row 7, step: …"); `msknet.landscape.actions.imports` writes a clean file.
Rows are numbered as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone

from msknet.core.charts import csv_safe
from msknet.members.models import ICB, Network, Organisation, OrganisationType

from .models import Service, Step

#: The largest file import reads.
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000

#: (column, what it holds), in file order. The names are Service's fields,
#: except provider (ODS code or exact name), provider_type (only to add a new
#: provider) and icb (ODS code or name).
COLUMNS: list[tuple[str, str]] = [
    ("id", "The service's id, to update it (leave blank to match on provider and name)"),
    ("name", "The service's name (required)"),
    ("provider", "The organisation that runs it: its ODS code or exact name (required)"),
    ("provider_type", "Only to add a provider msknet does not know yet: its type"),
    ("icb", "The ICB it serves: ODS code (like QHM) or name (required)"),
    ("place", "The place or PCN it serves"),
    ("step", "Pathway step: its code or label (required)"),
    ("description", "What the service offers"),
    ("conditions", "Conditions covered, separated by semicolons"),
    ("self_referral", "Self-referral accepted: yes or no"),
    ("gp_referral", "GP referral accepted: yes or no"),
    ("fcp_referral", "First-contact practitioner referral accepted: yes or no"),
    ("other_referrers", "Other referrers"),
    ("via_ers", "Referral through e-RS: yes or no"),
    ("via_email", "Referral by email: yes or no"),
    ("via_form", "Referral by online or paper form: yes or no"),
    ("referral_contact", "Referral email or form address"),
    ("eligibility", "Who the service is for"),
    ("address", "Location"),
    ("postcode", "Postcode"),
    ("opening", "Opening pattern"),
    ("accessibility", "Step-free access, hearing loops, parking, interpreters"),
    ("languages", "Languages offered besides English"),
    ("digital_offer", "Video appointments, apps, online classes"),
    ("website", "Website address (https://…)"),
    ("phone", "Phone number"),
    ("last_confirmed_on", "When last confirmed: YYYY-MM-DD or DD/MM/YYYY"),
]
NAMES = [name for name, _ in COLUMNS]
REQUIRED = ("name", "provider", "icb", "step")
YES_NO = ("self_referral", "gp_referral", "fcp_referral", "via_ers", "via_email",
          "via_form")
TEXT = ("place", "description", "conditions", "other_referrers", "referral_contact",
        "eligibility", "address", "opening", "accessibility", "languages",
        "digital_offer", "phone")
#: The Service fields a row sets.
FIELDS = ("name", "place", "step", *TEXT[1:], *YES_NO, "postcode", "website",
          "last_confirmed_on")
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")


# --- Export -------------------------------------------------------------------


def row(service: Service) -> list[Any]:
    values: dict[str, Any] = {
        "id": service.pk,
        "provider": service.provider.ods_code or service.provider.name,
        "provider_type": service.provider.type,
        "icb": service.icb.ods_code,
        "last_confirmed_on": (service.last_confirmed_on.isoformat()
                              if service.last_confirmed_on else ""),
    }
    for name in NAMES:
        if name in values:
            continue
        value = getattr(service, name)
        values[name] = ("yes" if value else "no") if name in YES_NO else value
    return [csv_safe(values[name]) for name in NAMES]


def services_for_export(network: Network) -> Iterable[Service]:
    return (Service.objects.filter(network=network).active()
            .select_related("provider", "icb").order_by("name", "pk"))


def write(out: IO[str], services: Iterable[Service]) -> None:
    writer = csv.writer(out)
    writer.writerow(NAMES)
    for service in services:
        writer.writerow(row(service))


def export_text(network: Network) -> str:
    out = io.StringIO()
    write(out, services_for_export(network))
    return out.getvalue()


# --- Import -------------------------------------------------------------------


@dataclass
class Planned:
    """One clean row: the service it updates (None: a new one), its provider
    (unsaved when the row adds one) and the values to set."""

    number: int
    service: Service | None
    provider: Organisation
    icb: ICB
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class Plan:
    rows: list[Planned]
    errors: list[str]


def decode(data: bytes) -> str:
    """The file's text; raises ValueError with the message to show."""
    if len(data) > MAX_BYTES:
        raise ValueError(f"The file must be smaller than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        # utf-8-sig reads files with and without the byte order mark that
        # Excel puts at the start of "CSV UTF-8" files.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError("The file must be saved as CSV UTF-8 (in Excel: Save as, "
                         "CSV UTF-8)") from exc
    if "\x00" in text:
        raise ValueError("The file must be a CSV")
    if not text.strip():
        raise ValueError("The file is empty")
    return text


def yes_no(value: str) -> bool:
    if value.lower() in YES:
        return True
    if value.lower() in NO:
        return False
    raise ValueError(f"'{value}' is not yes or no")


def parse_date(value: str) -> dt.date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            pass
    raise ValueError(f"'{value}' is not a date (use YYYY-MM-DD or DD/MM/YYYY)")


def step_of(value: str) -> str:
    wanted = value.strip().lower()
    for step in Step:
        if wanted in (step.value, step.label.lower()):
            return step.value
    codes = ", ".join(Step.values)
    raise ValueError(f"'{value}' is not a pathway step (use one of: {codes})")


def type_of(value: str) -> str:
    wanted = value.strip().lower()
    for kind in OrganisationType:
        if wanted in (kind.value, kind.label.lower()):
            return kind.value
    raise ValueError(f"'{value}' is not an organisation type (use one of: "
                     f"{', '.join(OrganisationType.values)})")


class _Lookups:
    """The network's ICBs, every organisation and the network's services, read
    once for the whole file."""

    def __init__(self, network: Network) -> None:
        self.network = network
        icbs = list(network.icbs.all()) or list(ICB.objects.all())
        self.icb_names = ", ".join(sorted(i.ods_code for i in icbs))
        self.icbs: dict[str, ICB] = {}
        for icb in icbs:
            for key in (icb.ods_code, icb.name, icb.short_name):
                self.icbs[key.lower()] = icb
        self.by_ods: dict[str, Organisation] = {}
        self.by_name: dict[str, list[Organisation]] = {}
        for org in Organisation.objects.all():
            if org.ods_code:
                self.by_ods[org.ods_code.upper()] = org
            self.by_name.setdefault(org.name, []).append(org)
        self.services = {s.pk: s for s in Service.objects.filter(network=network)}
        self.by_key = {(s.provider_id, s.name): s for s in self.services.values()}
        self.new_providers: dict[str, Organisation] = {}

    def icb(self, value: str) -> ICB:
        found = self.icbs.get(value.strip().lower())
        if found is None:
            raise ValueError(f"'{value}' is not one of the network's ICBs (use an ODS "
                             f"code: {self.icb_names})")
        return found

    def provider(self, value: str, kind: str, icb: ICB | None) -> Organisation:
        value = value.strip()
        if org := self.by_ods.get(value.upper()):
            return org
        named = self.by_name.get(value, [])
        if len(named) > 1:
            raise ValueError(f"more than one organisation is called '{value}': "
                             "use its ODS code")
        if named:
            return named[0]
        if not kind:
            raise ValueError(f"no organisation has the ODS code or name '{value}' "
                             "(to add it, give its provider_type)")
        if value not in self.new_providers:
            self.new_providers[value] = Organisation(name=value, type=type_of(kind),
                                                     icb=icb)
        return self.new_providers[value]


def parse(network: Network, text: str) -> Plan:
    """Check every row; nothing is written."""
    errors: list[str] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [c.strip().lower() for c in next(reader)]
    except (StopIteration, csv.Error):
        return Plan([], ["Row 1: the first row must name the columns"])
    unknown = [c for c in header if c and c not in NAMES]
    for column in unknown:
        errors.append(f"Row 1: '{column}' is not a column we know (see the import "
                      "guide for the columns)")
    for column in REQUIRED:
        if column not in header:
            errors.append(f"Row 1: the '{column}' column is missing")
    repeated = sorted({c for c in header if c and header.count(c) > 1})
    for column in repeated:
        errors.append(f"Row 1: the '{column}' column appears more than once")
    if errors:
        return Plan([], errors)
    lookups = _Lookups(network)
    planned: list[Planned] = []
    seen_keys: dict[tuple[Any, str], int] = {}
    seen_ids: dict[int, int] = {}
    number = 1
    try:
        for cells in reader:
            number += 1
            if not any(c.strip() for c in cells):
                continue
            if number - 1 > MAX_ROWS:
                errors.append(f"Row {number}: a file can hold at most {MAX_ROWS} "
                              "services; split it")
                break
            if len(cells) > len(header):
                errors.append(f"Row {number}: it has {len(cells)} cells but the header "
                              f"names {len(header)} columns")
                continue
            raw = {name: "" for name in NAMES}
            raw.update({h: c.strip() for h, c in zip(header, cells, strict=False) if h})
            result = _check_row(number, raw, lookups, errors)
            if result is None:
                continue
            key = (id(result.provider) if result.provider.pk is None
                   else result.provider.pk, result.values["name"])
            if key in seen_keys:
                errors.append(f"Row {number}, name: repeats row {seen_keys[key]} "
                              "(same provider and name)")
                continue
            seen_keys[key] = number
            if result.service is not None:
                if result.service.pk in seen_ids:
                    errors.append(f"Row {number}, id: repeats row "
                                  f"{seen_ids[result.service.pk]} (same service)")
                    continue
                seen_ids[result.service.pk] = number
            planned.append(result)
    except csv.Error as exc:
        errors.append(f"Row {number}: the file cannot be read as CSV ({exc})")
    if not planned and not errors:
        errors.append("The file has no services in it")
    return Plan(planned, errors)


def _check_row(number: int, raw: dict[str, str], lookups: _Lookups,
               errors: list[str]) -> Planned | None:
    """One row's values, or None after adding its errors."""
    before = len(errors)

    def fail(column: str, message: str) -> None:
        errors.append(f"Row {number}, {column}: {message}")

    for column in REQUIRED:
        if not raw[column]:
            fail(column, "is required")
    values: dict[str, Any] = {}
    for column in ("name", *TEXT):
        limit = Service._meta.get_field(column).max_length
        if limit and len(raw[column]) > limit:
            fail(column, f"is {len(raw[column])} characters long; the most is {limit}")
        values[column] = raw[column]
    icb = None
    if raw["icb"]:
        try:
            icb = lookups.icb(raw["icb"])
        except ValueError as exc:
            fail("icb", str(exc))
    provider = None
    if raw["provider"]:
        try:
            provider = lookups.provider(raw["provider"], raw["provider_type"], icb)
        except ValueError as exc:
            column = "provider_type" if "organisation type" in str(exc) else "provider"
            fail(column, str(exc))
    if raw["step"]:
        try:
            values["step"] = step_of(raw["step"])
        except ValueError as exc:
            fail("step", str(exc))
    for column in YES_NO:
        try:
            values[column] = yes_no(raw[column])
        except ValueError as exc:
            fail(column, str(exc))
    postcode = " ".join(raw["postcode"].upper().split())
    if postcode and not POSTCODE.match(postcode):
        fail("postcode", f"'{raw['postcode']}' is not a UK postcode (like NE1 4LP)")
    values["postcode"] = postcode
    values["website"] = raw["website"]
    if raw["website"]:
        try:
            URLValidator(schemes=["http", "https"])(raw["website"])
        except ValidationError:
            fail("website", f"'{raw['website']}' is not a web address "
                            "(start it with https://)")
        if len(raw["website"]) > 500:
            fail("website", "is longer than 500 characters")
    values["last_confirmed_on"] = None
    if raw["last_confirmed_on"]:
        try:
            on = parse_date(raw["last_confirmed_on"])
        except ValueError as exc:
            fail("last_confirmed_on", str(exc))
        else:
            if on > timezone.localdate():
                fail("last_confirmed_on", f"{on:%-d %B %Y} is in the future")
            values["last_confirmed_on"] = on
    service = None
    if raw["id"]:
        try:
            service = lookups.services[int(raw["id"])]
        except (ValueError, KeyError):
            fail("id", f"'{raw['id']}' is not the id of one of the network's services "
                       "(leave it blank to add a service)")
    if len(errors) > before or provider is None or icb is None:
        return None
    if service is None and provider.pk is not None:
        service = lookups.by_key.get((provider.pk, values["name"]))
    elif service is not None and provider.pk is not None:
        other = lookups.by_key.get((provider.pk, values["name"]))
        if other is not None and other.pk != service.pk:
            fail("name", f"{provider.name} already runs a service called "
                         f"'{values['name']}' (id {other.pk})")
            return None
    return Planned(number=number, service=service, provider=provider, icb=icb,
                   values=values)
