"""Copy discussion notifications and digest choices into communications.

Discussions now tell people things through the one notification service, so
its own notifications become `communications.Notification`s (kind
`discussion_mention` or `discussion_reply`, key `post:<id>`, as the service
names them), and each person's digest choice becomes their choice for the
two discussion kinds. The next migration removes the old tables.

- A notification about a hidden post is not copied: it was not shown.
- One a digest already covered (made before that network's last digest)
  counts as emailed then, so it is not sent again.
- Digest choices were per network, the new ones are per person: the most
  frequent of the person's choices across their networks wins (weekly where
  they made none, as before), daily > weekly > never.
"""

from django.db import migrations

KINDS = {"mention": "discussion_mention", "reply": "discussion_reply"}
DELIVERY = {"daily": "daily", "weekly": "weekly", "none": "never"}
RANK = ["daily", "weekly", "none"]
FORMER_MEMBER = "Former member"


def author_name(user):
    if user is None or user.erased_at:
        return FORMER_MEMBER
    return user.full_name or user.email


def copy_notifications(apps, schema_editor):
    Old = apps.get_model("discussions", "Notification")
    DigestPreference = apps.get_model("discussions", "DigestPreference")
    Membership = apps.get_model("members", "Membership")
    New = apps.get_model("communications", "Notification")
    Preference = apps.get_model("communications", "NotificationPreference")

    last_sent = {
        (p.user_id, p.network_id): p.last_sent_at
        for p in DigestPreference.objects.filter(last_sent_at__isnull=False)
    }
    made = []
    for old in (
        Old.objects.filter(post__hidden_at__isnull=True)
        .select_related("network", "thread", "post__author")
        .iterator()
    ):
        author = author_name(old.post.author)
        if old.kind == "mention":
            title = f'{author} mentioned you in "{old.thread.title}"'
        else:
            title = f'{author} replied in "{old.thread.title}"'
        sent = last_sent.get((old.user_id, old.network_id))
        made.append(
            New(
                user_id=old.user_id,
                network_id=old.network_id,
                kind=KINDS[old.kind],
                key=f"post:{old.post_id}",
                title=title[:300],
                body="",
                url=(
                    f"/n/{old.network.slug}/discussions/{old.thread_id}/"
                    f"#post-{old.post_id}"
                ),
                created_at=old.created_at,
                read_at=old.read_at,
                emailed_at=sent if sent and old.created_at <= sent else None,
            )
        )
    New.objects.bulk_create(made, batch_size=500, ignore_conflicts=True)

    chosen = {}
    for p in DigestPreference.objects.all():
        chosen.setdefault(p.user_id, {})[p.network_id] = p.frequency
    for user_id, by_network in chosen.items():
        networks = set(
            Membership.objects.filter(user_id=user_id).values_list(
                "network_id", flat=True
            )
        ) | set(by_network)
        frequencies = {by_network.get(n, "weekly") for n in networks}
        frequency = min(frequencies, key=RANK.index)
        for kind in KINDS.values():
            Preference.objects.update_or_create(
                user_id=user_id,
                kind=kind,
                defaults={"delivery": DELIVERY[frequency]},
            )


class Migration(migrations.Migration):
    dependencies = [
        ("communications", "0001_initial"),
        ("discussions", "0001_initial"),
        ("members", "0003_index_directory_and_joined"),
    ]

    operations = [
        migrations.RunPython(copy_notifications, migrations.RunPython.noop),
    ]
