"""Seed the areas every import relies on: England, the 7 NHS regions and 42 ICBs.

Built from the members reference geography (members/0002), with ICBs under
their region and regions under England.
"""

from django.db import migrations

ENGLAND_CODE = "E92000001"


def seed(apps, schema_editor):
    Area = apps.get_model("insights", "Area")
    Region = apps.get_model("members", "Region")
    ICB = apps.get_model("members", "ICB")
    england, _ = Area.objects.update_or_create(
        code=ENGLAND_CODE, defaults={"name": "England", "area_type": "england"}
    )
    regions = {}
    for region in Region.objects.all():
        regions[region.pk], _ = Area.objects.update_or_create(
            code=region.ons_code,
            defaults={
                "name": region.name,
                "area_type": "region",
                "parent": england,
                "region": region,
            },
        )
    for icb in ICB.objects.all():
        Area.objects.update_or_create(
            code=icb.ons_code,
            defaults={
                "name": icb.name,
                "area_type": "icb",
                "parent": regions[icb.region_id],
                "icb": icb,
            },
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
