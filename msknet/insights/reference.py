"""The areas every import relies on: England, the 7 NHS regions and 42 ICBs.

Built from the members reference geography, with ICBs under their region and
regions under England. The migration that first seeds them passes its
historical models; tests that flush the database call it again.
"""

from __future__ import annotations

from typing import Any

ENGLAND_CODE = "E92000001"


def seed_areas(area_model: Any = None, region_model: Any = None,
               icb_model: Any = None) -> None:
    if area_model is None or region_model is None or icb_model is None:
        from msknet.members.models import ICB, Region

        from .models import Area

        area_model, region_model, icb_model = Area, Region, ICB
    england, _ = area_model.objects.update_or_create(
        code=ENGLAND_CODE, defaults={"name": "England", "area_type": "england"}
    )
    regions = {}
    for region in region_model.objects.all():
        regions[region.pk], _ = area_model.objects.update_or_create(
            code=region.ons_code,
            defaults={
                "name": region.name,
                "area_type": "region",
                "parent": england,
                "region": region,
            },
        )
    for icb in icb_model.objects.all():
        area_model.objects.update_or_create(
            code=icb.ons_code,
            defaults={
                "name": icb.name,
                "area_type": "icb",
                "parent": regions[icb.region_id],
                "icb": icb,
            },
        )
