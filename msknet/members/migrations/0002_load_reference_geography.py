"""Load the 7 NHS England regions and 42 ICBs from msknet/members/data/."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def load(apps, schema_editor):
    Region = apps.get_model("members", "Region")
    ICB = apps.get_model("members", "ICB")
    with open(DATA / "regions.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            Region.objects.update_or_create(
                code=row["nhs_region_code"],
                defaults={
                    "ons_code": row["nhs_region_ons_code"],
                    "name": row["nhs_region_name"],
                },
            )
    regions = {r.code: r for r in Region.objects.all()}
    with open(DATA / "icbs.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            ICB.objects.update_or_create(
                ods_code=row["icb_ods_code"],
                defaults={
                    "ons_code": row["icb_ons_code"],
                    "name": row["icb_name"],
                    "region": regions[row["nhs_region_code"]],
                },
            )


def unload(apps, schema_editor):
    apps.get_model("members", "ICB").objects.all().delete()
    apps.get_model("members", "Region").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
