"""Loading the reference geography (7 NHS regions, 42 ICBs) from data/.

The migration that first loads it passes its historical models; tests that
flush the database (the browser tests) call it again with today's.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


def load_reference_geography(region_model: Any = None, icb_model: Any = None) -> None:
    if region_model is None or icb_model is None:
        from .models import ICB, Region

        region_model, icb_model = Region, ICB
    with open(DATA / "regions.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            region_model.objects.update_or_create(
                code=row["nhs_region_code"],
                defaults={
                    "ons_code": row["nhs_region_ons_code"],
                    "name": row["nhs_region_name"],
                },
            )
    regions = {r.code: r for r in region_model.objects.all()}
    with open(DATA / "icbs.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            icb_model.objects.update_or_create(
                ods_code=row["icb_ods_code"],
                defaults={
                    "ons_code": row["icb_ons_code"],
                    "name": row["icb_name"],
                    "region": regions[row["nhs_region_code"]],
                },
            )
