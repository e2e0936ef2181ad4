"""Seed the areas every import relies on: England, the 7 NHS regions and 42 ICBs.

Built from the members reference geography (members/0002), with ICBs under
their region and regions under England.
"""

from django.db import migrations

from msknet.insights.reference import ENGLAND_CODE, seed_areas


def seed(apps, schema_editor):
    seed_areas(
        apps.get_model("insights", "Area"),
        apps.get_model("members", "Region"),
        apps.get_model("members", "ICB"),
    )


def unseed(apps, schema_editor):
    Area = apps.get_model("insights", "Area")
    Area.objects.filter(area_type="icb").delete()
    Area.objects.filter(area_type="region").delete()
    Area.objects.filter(code=ENGLAND_CODE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0001_initial"),
        ("members", "0002_load_reference_geography"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
