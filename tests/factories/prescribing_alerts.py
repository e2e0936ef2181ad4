"""Prescribing alert subscriptions, and a store where one practice's
prescribing moved in its latest months while another's did not."""

import csv
from dataclasses import dataclass
from pathlib import Path

import factory
import numpy as np
from django.utils import timezone

from msknet.analytics import prescribing as rx
from msknet.analytics.prescribing import synth
from msknet.analytics.prescribing.practices import load_practices
from msknet.prescribing import actions
from msknet.prescribing.models import AlertSubscription
from tests.factories.networks import london_network

#: Sixteen months from January 2024: twelve of reference, then four more.
START = "2024-01"
MONTHS = 16
LATEST = "2025-04"
PRACTICES = 40
SEED = 5
#: The moved practice prescribes this many times as much in the last months.
MOVE = 4
MOVED_MONTHS = 2
AMOUNTS = ("QUANTITY", "ITEMS", "TOTAL_QUANTITY", "NIC", "ACTUAL_COST")


class AlertSubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AlertSubscription

    email = factory.Sequence(lambda n: f"subscriber{n}@example.org")
    level = "practice"
    org_code = "A81001"
    network = factory.LazyFunction(london_network)
    confirmed_at = factory.LazyFunction(timezone.now)


@dataclass(frozen=True)
class AlertStore:
    root: Path
    moved: str
    """A practice low in the ranking whose prescribing rose MOVE-fold in the
    last MOVED_MONTHS months."""
    still: str
    """A practice whose prescribing was left as it was."""


def _practices() -> list[synth.Practice]:
    # The same draw write_synthetic makes first with this seed.
    return synth.make_practices(PRACTICES, np.random.default_rng(SEED))


def scale_practice(path: Path, code: str, factor: float) -> None:
    """Multiply one practice's amounts in an EPD file, in place."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames
        rows = list(reader)
    for row in rows:
        if row["PRACTICE_CODE"] == code:
            for column in AMOUNTS:
                row[column] = str(float(row[column]) * factor)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def alert_store(root: Path) -> AlertStore:
    """Write and import the store under `root` (its `prescribing/` folder)."""
    practices = sorted(_practices(), key=lambda p: p.opioid_effect)
    moved, still = practices[0].code, practices[len(practices) // 2].code
    files = synth.write_synthetic(root / "in", practices=PRACTICES, months=MONTHS,
                                  seed=SEED, start=START, rows_per_practice=0)
    epd = [f for f in files if f.name.startswith("EPD")]
    for path in epd[-MOVED_MONTHS:]:
        scale_practice(path, moved, MOVE)
    store = rx.Store(root / "prescribing")
    rx.import_files(store, epd, [f for f in files if not f.name.startswith("EPD")])
    load_practices(store, synth.write_epraccur(root / "in", practices=PRACTICES,
                                               seed=SEED))
    return AlertStore(root, moved, still)


def alert_objects(network):
    """The role matrix's objects: a link to confirm a subscription made from
    `network`'s pages, and a confirmed one's link to unsubscribe."""
    waiting = AlertSubscriptionFactory(network=network, confirmed_at=None,
                                       email=f"waiting@{network.slug}.example.org")
    confirmed = AlertSubscriptionFactory(network=network,
                                         email=f"confirmed@{network.slug}.example.org")
    return {
        "alert-confirm-token": actions.confirm_token(waiting),
        "alert-unsubscribe-token": confirmed.token,
    }
