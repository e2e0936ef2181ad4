"""Load the 7 NHS England regions and 42 ICBs from msknet/members/data/."""

from django.db import migrations

from msknet.members.reference import load_reference_geography


def load(apps, schema_editor):
    load_reference_geography(
        apps.get_model("members", "Region"), apps.get_model("members", "ICB")
    )


def unload(apps, schema_editor):
    apps.get_model("members", "ICB").objects.all().delete()
    apps.get_model("members", "Region").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
