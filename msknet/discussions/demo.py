"""Demo discussions: active threads in both networks over the last weeks.

Threads, replies, mentions and moderation go through the actions (so they
leave the same notifications and audit trail), then are backdated. The demo
logins get mentions and replies to their threads, some unread.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from msknet.communications.models import Notification
from msknet.members.models import Membership, Network, Role, Sector, User

from . import actions
from .models import Follow, Post, Thread

SEED = 2026


@dataclass(frozen=True)
class Reply:
    author: str
    body: str
    hours_later: int
    hidden_reason: str = ""


@dataclass(frozen=True)
class Discussion:
    title: str
    author: str
    body: str
    days_ago: int
    replies: tuple[Reply, ...] = ()
    lock_reason: str = ""
    steering_group: bool = False
    followers: tuple[str, ...] = field(default=())


# People are named by key: the demo logins ("lead", "steering", "member",
# "lived") and other listed members ("m1" to "m6"), chosen with a seed.
# "{lead}" and the like in a body become the person's @[Full Name] mention.
LONDON = (
    Discussion(
        "Tapering opioids in primary care: what has worked?",
        "steering",
        "Our PCN pharmacists have started structured reviews for people on more "
        "than 120 mg morphine equivalent a day.\n\nWe are finding the first "
        "conversation matters most. Has anyone used shared decision-making tools "
        "that patients found helpful? {member}, I think your practice piloted "
        "something similar.",
        20,
        (
            Reply(
                "member",
                "Yes: we used the Opioids Aware patient leaflets with a "
                "taper plan written together. Slower tapers (10% a month) had far "
                "fewer drop-outs.",
                5,
            ),
            Reply(
                "m1",
                "We pair reviews with a pain self-management course. The "
                "Live Well with Pain resources are free: "
                "https://livewellwithpain.co.uk",
                30,
            ),
            Reply(
                "lived",
                "Speaking as someone who tapered last year: being asked "
                "what mattered to me, not just the dose, made the difference.",
                52,
            ),
            Reply(
                "lead",
                "Thank you all. {steering}, could we bring this to the "
                "next steering group as a candidate priority?",
                70,
            ),
        ),
    ),
    Discussion(
        "First contact practitioner service models",
        "m2",
        "We are reviewing how our FCP service is run across three PCNs: one "
        "employer or each PCN separately?\n\nInterested in how others handle "
        "supervision and CPD time.",
        16,
        (
            Reply(
                "m3",
                "We moved to a single community provider employing all "
                "FCPs. Supervision is far more consistent.",
                8,
            ),
            Reply(
                "member",
                "Protected CPD half-day a fortnight here, and a "
                "monthly case review with the MSK interface service.",
                26,
            ),
            Reply(
                "m4",
                "Happy to share our job plan template, message me.",
                40,
                hidden_reason="Contained a personal mobile number; please use "
                "the directory to share contact details.",
            ),
        ),
    ),
    Discussion(
        "Waiting-list validation for community MSK",
        "lead",
        "Several services are validating their waiting lists this quarter. "
        "Which approach are you taking: clinical triage of the whole list, or "
        "contacting people first?\n\n{m5}, your team did this last year.",
        9,
        (
            Reply(
                "m5",
                "We contacted everyone first by text with a link, then "
                "phoned those who did not reply. About 14% no longer needed "
                "the appointment.",
                6,
            ),
            Reply(
                "steering",
                "Worth checking inequalities: people who do not "
                "reply to texts are not a random group.",
                20,
            ),
        ),
        steering_group=True,
    ),
    Discussion(
        "Involving people with lived experience in service redesign",
        "lived",
        "I would like to hear how other networks pay and support people with "
        "lived experience to take part, beyond one-off focus groups.",
        5,
        (
            Reply(
                "lead",
                "We follow NHS England's involvement payment policy and "
                "offer a buddy for the first meetings. {lived}, would you help "
                "us write our own guide?",
                4,
            ),
            Reply("lived", "I would be glad to.", 9),
        ),
    ),
)

NENC = (
    Discussion(
        "Back pain pathway: aligning with the national specification",
        "lead",
        "The national low back pain pathway expects stratified care with the "
        "STarT Back tool. Where are practices across the ICB with this?\n\n"
        "{steering}, can you share the prescribing data alongside?",
        18,
        (
            Reply(
                "steering",
                "Yes. Gabapentinoid prescribing for back pain is "
                "still above the England average in two places.",
                10,
            ),
            Reply(
                "m1",
                "Our physiotherapy service uses STarT Back at the first "
                "contact; GP practices mostly do not yet.",
                28,
            ),
            Reply(
                "member",
                "Social prescribing could take some of the low-risk "
                "group: walking groups and work support.",
                49,
            ),
        ),
    ),
    Discussion(
        "Group education for knee osteoarthritis",
        "m2",
        "Is anyone running ESCAPE-pain or GLA:D in the community? We are "
        "looking at venues and referral routes.",
        12,
        (
            Reply(
                "m3",
                "ESCAPE-pain in two leisure centres here, referrals from "
                "FCPs and self-referral.",
                12,
            ),
            Reply(
                "lived",
                "The leisure centre felt much less clinical, which "
                "helped me keep going.",
                30,
            ),
        ),
    ),
    Discussion(
        "Rota for the pain clinic away day",
        "m4",
        "Who is covering the clinic on the away day?",
        7,
        (Reply("m5", "I can cover the morning.", 3),),
        lock_reason="Staff rotas are arranged by the service, not on the network.",
    ),
    Discussion(
        "Opioid stewardship: sharing practice dashboards",
        "steering",
        "We have built practice-level opioid dashboards from OpenPrescribing "
        "data. {member}, would link workers find a patient-facing version "
        "useful?",
        3,
        (
            Reply(
                "member",
                "Yes, especially alongside the local pain support groups list.",
                6,
            ),
        ),
    ),
)

DEMO_EMAILS = {
    "london": {
        "lead": "lead@london.example.nhs.uk",
        "steering": "steering@london.example.nhs.uk",
        "member": "member@london.example.nhs.uk",
        "lived": "lived.experience@london.example.org",
    },
    "nenc": {
        "lead": "lead@nenc.example.nhs.uk",
        "steering": "steering@nenc.example.nhs.uk",
        "member": "member@nenc.example.nhs.uk",
        "lived": "lived.experience@nenc.example.org",
    },
}


def people_for(network: Network, rng: random.Random) -> dict[str, User]:
    people = {
        key: User.objects.get(email=email)
        for key, email in DEMO_EMAILS[network.slug].items()
    }
    others = list(
        Membership.objects.for_network(network)
        .active()
        .filter(directory_listed=True, role=Role.MEMBER)
        .exclude(user__in=people.values())
        .exclude(sector=Sector.LIVED_EXPERIENCE)
        .exclude(user__full_name="")
        .select_related("user")
        .order_by("pk")[:60]
    )
    for number, membership in enumerate(rng.sample(others, 6), start=1):
        people[f"m{number}"] = membership.user
    return people


def with_mentions(body: str, people: dict[str, User]) -> str:
    return body.format(**{k: f"@[{u.full_name}]" for k, u in people.items()})


def backdate(post: Post, at: datetime) -> None:
    Post.objects.filter(pk=post.pk).update(created_at=at)
    Notification.objects.filter(
        kind__in=actions.DISCUSSION_KINDS, key=actions.notification_key(post)
    ).update(created_at=at)


def load_network(
    network: Network,
    discussions: tuple[Discussion, ...],
    now: datetime,
    rng: random.Random,
) -> None:
    people = people_for(network, rng)
    lead = people["lead"]
    steering_group = network.groups.filter(kind="steering").first()  # type: ignore[attr-defined]
    for item in discussions:
        started = now - timedelta(days=item.days_ago, hours=rng.randrange(0, 8))
        thread = actions.start_thread(
            network=network,
            by=people[item.author],
            title=item.title,
            body=with_mentions(item.body, people),
            group=steering_group if item.steering_group else None,
        )
        backdate(thread.posts.get(), started)
        last = started
        for reply in item.replies:
            at = min(started + timedelta(hours=reply.hours_later), now)
            post = actions.post_reply(
                thread=thread,
                by=people[reply.author],
                body=with_mentions(reply.body, people),
            )
            backdate(post, at)
            if reply.hidden_reason:
                actions.hide_post(post=post, by=lead, reason=reply.hidden_reason)
                Post.objects.filter(pk=post.pk).update(
                    hidden_at=at + timedelta(hours=2)
                )
            last = at
        if item.lock_reason:
            actions.lock_thread(thread=thread, by=lead, reason=item.lock_reason)
            Thread.objects.filter(pk=thread.pk).update(
                locked_at=last + timedelta(hours=1)
            )
        Thread.objects.filter(pk=thread.pk).update(
            created_at=started, last_activity_at=last
        )
        Follow.objects.filter(thread=thread).update(created_at=started)
    # What is more than a week old has been read; the rest waits for the logins.
    Notification.objects.filter(
        network=network,
        kind__in=actions.DISCUSSION_KINDS,
        created_at__lt=now - timedelta(days=7),
    ).update(read_at=now - timedelta(days=6), emailed_at=now - timedelta(days=6))


def load_demo_discussions(now: datetime | None = None) -> None:
    """Discussions in the demo networks `london` and `nenc` (after members)."""
    now = now or timezone.now()
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    for slug, discussions in (("london", LONDON), ("nenc", NENC)):
        load_network(Network.objects.get(slug=slug), discussions, now, rng)
