"""Discussions' own notifications and digest choices are gone: communications
holds them now (copied by 0002)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("discussions", "0002_notifications_to_communications"),
    ]

    operations = [
        migrations.DeleteModel(name="DigestPreference"),
        migrations.DeleteModel(name="Notification"),
    ]
