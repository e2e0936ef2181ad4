"""Loading the demo: two networks, their organisations, members and requests.

Sign-ins, join decisions, invitations and role changes go through the same
actions the site uses (so they leave the same audit trail); the hundreds of
ordinary members are written in bulk by `bulk.add_synthetic_members`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AnonymousUser
from django.db import models, transaction
from django.utils import timezone

from msknet.analytics.prescribing import Store, import_files
from msknet.analytics.prescribing.practices import load_practices
from msknet.analytics.prescribing.synth import write_epraccur, write_synthetic
from msknet.communications.demo import load_demo_notifications
from msknet.communications.news_demo import load_demo_news
from msknet.community.demo import load_demo_community
from msknet.core.models import AuditEvent
from msknet.discussions.demo import load_demo_discussions
from msknet.governance.demo import load_demo_governance
from msknet.improvement.demo import load_demo_improvement
from msknet.innovations.demo import load_demo_innovations
from msknet.insights.demo import load_demo_indicators
from msknet.landscape.demo import load_demo_landscape
from msknet.members.actions import invitations, joining
from msknet.members.actions.memberships import add_member, change_role
from msknet.members.models import (
    ICB,
    INVITATION_LIFETIME,
    Leadership,
    Membership,
    Network,
    Organisation,
    OrganisationType,
    Profession,
    Region,
    Role,
    Sector,
    Topic,
    User,
)
from msknet.prescribing.demo import load_demo_alerts
from msknet.priorities.demo import load_demo_priorities
from msknet.priorities.demo_strategic import load_demo_strategic_priorities
from msknet.surveys.demo import load_demo_surveys

from .bulk import add_synthetic_members
from .content import (
    DECLINE_REASONS,
    LONDON,
    LONDON_ORGANISATIONS,
    NENC,
    NENC_ORGANISATIONS,
    NETWORKS,
    REASONS_TO_JOIN,
    NetworkText,
    OrganisationText,
)
from .people import SECTORS, PeopleGenerator

# Memorable, and passes the password validators in settings.
DEMO_PASSWORD = "msk-demo-2026"  # noqa: S105 - published on purpose for the demo
SEED = 2026
PENDING_REQUESTS = 8
DECLINED_REQUESTS = 2
APPROVED_REQUESTS = 3
OPEN_INVITATIONS = 6
MEMBERS_IN_BOTH = 6
PRESCRIBING_PRACTICES = 300
PRESCRIBING_MONTHS = 24
PRESCRIBING_START = "2024-07"


@dataclass(frozen=True)
class DemoLogin:
    """A demo account that can sign in, with its role in one network."""

    network: NetworkText
    role: str
    email: str
    full_name: str
    job_title: str
    sector: str
    profession: str
    organisation: str | None
    icb_code: str
    leadership: str
    description: str


DEMO_LOGINS = (
    DemoLogin(
        LONDON,
        Role.LEAD,
        "lead@london.example.nhs.uk",
        "Helen Adeyemi",
        "Consultant physiotherapist and network clinical lead",
        Sector.COMMUNITY,
        Profession.PHYSIOTHERAPIST,
        "Capital MSK Partnership CIC",
        "QKK",
        Leadership.LEADS,
        "London: network lead",
    ),
    DemoLogin(
        LONDON,
        Role.STEERING,
        "steering@london.example.nhs.uk",
        "Tom Brennan",
        "Senior commissioning manager, planned care",
        Sector.COMMISSIONER,
        Profession.MANAGER,
        "NHS North Central London Integrated Care Board",
        "QMJ",
        Leadership.LEADS,
        "London: steering group member",
    ),
    DemoLogin(
        LONDON,
        Role.MEMBER,
        "member@london.example.nhs.uk",
        "Aisha Rahman",
        "First contact physiotherapist",
        Sector.PRIMARY_CARE,
        Profession.PHYSIOTHERAPIST,
        "Riverside Central PCN",
        "QKK",
        Leadership.WANTS_TO_LEAD,
        "London: member",
    ),
    DemoLogin(
        LONDON,
        Role.MEMBER,
        "lived.experience@london.example.org",
        "Maureen Clarke",
        "",
        Sector.LIVED_EXPERIENCE,
        Profession.NOT_APPLICABLE,
        None,
        "QMF",
        Leadership.NOT_NOW,
        "London: member with lived experience",
    ),
    DemoLogin(
        NENC,
        Role.LEAD,
        "lead@nenc.example.nhs.uk",
        "Gareth Robson",
        "Consultant in pain medicine",
        Sector.SECONDARY_CARE,
        Profession.PAIN_SPECIALIST,
        "Tyneford Hospitals NHS Foundation Trust",
        "QHM",
        Leadership.LEADS,
        "NENC: network lead",
    ),
    DemoLogin(
        NENC,
        Role.STEERING,
        "steering@nenc.example.nhs.uk",
        "Claire Dodds",
        "Pain and opioid stewardship pharmacist",
        Sector.PRIMARY_CARE,
        Profession.PHARMACIST,
        "Tyneford West PCN",
        "QHM",
        Leadership.LEADS,
        "NENC: steering group member",
    ),
    DemoLogin(
        NENC,
        Role.MEMBER,
        "member@nenc.example.nhs.uk",
        "Lewis Armstrong",
        "Social prescribing link worker",
        Sector.SOCIAL_PRESCRIBING,
        Profession.LINK_WORKER,
        "East Durham Coast PCN",
        "QHM",
        Leadership.WANTS_TO_LEAD,
        "NENC: member",
    ),
    DemoLogin(
        NENC,
        Role.MEMBER,
        "lived.experience@nenc.example.org",
        "Pat Hetherington",
        "",
        Sector.LIVED_EXPERIENCE,
        Profession.NOT_APPLICABLE,
        None,
        "QHM",
        Leadership.WANTS_TO_LEAD,
        "NENC: member with lived experience",
    ),
)


def demo_logins() -> list[tuple[str, str]]:
    """(role, email) for each demo sign-in; all use DEMO_PASSWORD."""
    return [(login.description, login.email) for login in DEMO_LOGINS]


def load_demo_data() -> bool:
    """Load the demo in one transaction; False, changing nothing, if it is there.

    Prescribing figures live in their own store, filled once if it is empty.
    """
    load_demo_prescribing()
    with transaction.atomic():
        if Network.objects.filter(slug__in=[n.slug for n in NETWORKS]).exists():
            return False
        connection = transaction.get_connection()
        already_deferred = len(connection.run_on_commit)
        DemoLoader(now=timezone.now()).load()
        load_demo_indicators()  # synthetic population-health figures
        load_demo_community()  # events, registrations, the resource library
        load_demo_priorities()  # nomination rounds; before improvement projects
        load_demo_improvement()  # QI projects, from the selected nominations
        load_demo_strategic_priorities()  # what they serve; after projects
        load_demo_governance()  # groups, meetings, decisions and actions
        load_demo_innovations()  # after priorities, projects and meetings
        load_demo_landscape()  # services, their waits and workforce, populations
        load_demo_surveys()  # after events and services: feedback, landscape survey
        load_demo_discussions()  # threads, replies, mentions; after groups
        load_demo_news()  # London's newsletters; after events and resources
        load_demo_alerts()  # confirmed prescribing alert subscriptions
        load_demo_notifications([login.email for login in DEMO_LOGINS])  # last
        # The actions defer emails to commit. Synthetic people must never be
        # emailed, even where real email is set up: drop what the load deferred
        # (as Django's own captureOnCommitCallbacks reads this list).
        del connection.run_on_commit[already_deferred:]
    return True


def load_demo_prescribing() -> bool:
    """Synthetic prescribing for the prescribing pages, if the store is empty.

    A modest England (every ICB, so the networks' too) in the published file
    layouts, imported as real files are; False, changing nothing, if the
    store already holds prescribing data.
    """
    store = Store(Path(settings.DATA_DIR) / "prescribing")
    if store.months("epd"):
        return False
    with tempfile.TemporaryDirectory(prefix="msknet-demo-") as tmp:
        files = write_synthetic(Path(tmp), practices=PRESCRIBING_PRACTICES,
                                months=PRESCRIBING_MONTHS, seed=SEED,
                                start=PRESCRIBING_START, rows_per_practice=0)
        import_files(store, [f for f in files if f.name.startswith("EPD")],
                     [f for f in files if not f.name.startswith("EPD")])
        load_practices(store, write_epraccur(Path(tmp), practices=PRESCRIBING_PRACTICES,
                                             seed=SEED))
    return True


class DemoLoader:
    def __init__(self, *, now: datetime) -> None:
        self.now = now
        self.people = PeopleGenerator(seed=SEED)
        self.rng = self.people.rng
        self.password_hash = make_password(DEMO_PASSWORD)  # hashed once, reused
        self.organisations: dict[str, list[Organisation]] = {}
        self.networks: dict[str, Network] = {}
        self.leads: dict[str, User] = {}

    def load(self) -> None:
        for text in NETWORKS:
            self.networks[text.slug] = self.create_network(text)
        self.create_organisations()
        for login in DEMO_LOGINS:
            self.add_demo_login(login)
        for text in NETWORKS:
            network = self.networks[text.slug]
            memberships = add_synthetic_members(
                network=network,
                count=text.members - 8,
                people=self.people,
                age_days=text.age_days,
                organisations=self.organisations[text.slug],
                now=self.now,
            )
            self.form_steering_group(network, memberships)
            self.add_join_requests(text, network)
            self.add_invitations(text, network)
        self.add_members_to_both()

    # -- networks and organisations -------------------------------------

    def create_network(self, text: NetworkText) -> Network:
        network = Network.objects.create(
            slug=text.slug,
            name=text.name,
            short_name=text.short_name,
            region=Region.objects.get(code=text.region_code),
            summary=text.summary,
            vision=text.vision,
            mission=text.mission,
            objectives="\n".join(text.objectives),
            about=text.about,
            contact_email=text.contact_email,
        )
        network.icbs.set(ICB.objects.filter(ods_code__in=text.icb_codes))
        Topic.objects.bulk_create(
            Topic(
                network=network,
                slug=topic.slug,
                name=topic.name,
                description=topic.description,
                position=position,
            )
            for position, topic in enumerate(text.topics)
        )
        return network

    def create_organisations(self) -> None:
        for text, extra in ((LONDON, LONDON_ORGANISATIONS), (NENC, NENC_ORGANISATIONS)):
            icbs = {icb.ods_code: icb for icb in self.networks[text.slug].icbs.all()}
            region = self.networks[text.slug].region
            organisations = [
                Organisation.objects.get_or_create(
                    ods_code=icb.ods_code,
                    defaults={
                        "name": icb.name,
                        "type": OrganisationType.ICB,
                        "icb": icb,
                        "region": icb.region,
                    },
                )[0]
                for icb in icbs.values()
            ]
            organisations += Organisation.objects.bulk_create(
                self.organisation(org, icbs, region) for org in extra
            )
            self.organisations[text.slug] = organisations

    @staticmethod
    def organisation(
        text: OrganisationText, icbs: dict[str, ICB], region: Region | None
    ) -> Organisation:
        return Organisation(
            name=text.name,
            type=text.type,
            icb=icbs[text.icb_code] if text.icb_code else None,
            region=region,
        )

    def find_organisation(self, slug: str, name: str | None) -> Organisation | None:
        if name is None:
            return None
        return next(o for o in self.organisations[slug] if o.name == name)

    def organisation_for(self, slug: str, sector: str) -> Organisation | None:
        types = SECTORS[sector].organisation_types
        candidates = [o for o in self.organisations[slug] if o.type in types]
        return self.rng.choice(candidates) if candidates else None

    # -- people -----------------------------------------------------------

    def add_demo_login(self, login: DemoLogin) -> None:
        slug = login.network.slug
        network = self.networks[slug]
        lived = login.sector == Sector.LIVED_EXPERIENCE
        user = User.objects.create(
            email=login.email,
            full_name=login.full_name,
            job_title=login.job_title,
            password=self.password_hash,
        )
        membership = add_member(
            user=user,
            network=network,
            by=self.leads.get(slug),
            role=login.role,
            sector=login.sector,
            profession=login.profession,
            organisation=self.find_organisation(slug, login.organisation),
            icb=ICB.objects.get(ods_code=login.icb_code),
            interests=self.people.pick(list(network.topics.all()), 2, 4),
            leadership=login.leadership,
            directory_listed=True,
            share_email=not lived,
            share_organisation=not lived,
            share_profession=not lived,
            share_icb=True,
            share_interests=True,
        )
        if login.role == Role.LEAD:
            self.leads[slug] = user
            joined = self.now - timedelta(days=login.network.age_days)
        elif login.role == Role.STEERING:
            joined = self.now - timedelta(days=login.network.age_days - 21)
        else:
            joined = self.people.joined_at(
                now=self.now, age_days=login.network.age_days
            )
        self.backdate_membership(membership, joined)

    def form_steering_group(
        self, network: Network, memberships: Sequence[Membership]
    ) -> None:
        """The earliest members who lead MSK work now sit on the steering group,
        with one co-lead and one person with lived experience."""
        lead = self.leads[network.slug]
        earliest = sorted(memberships, key=lambda m: m.joined_at)
        leaders = [
            m
            for m in earliest
            if m.leadership == Leadership.LEADS and m.sector != Sector.LIVED_EXPERIENCE
        ]
        lived = [m for m in earliest if m.sector == Sector.LIVED_EXPERIENCE]
        change_role(membership=leaders[0], role=Role.LEAD, by=lead)
        for membership in [*leaders[1:7], *lived[:1]]:
            change_role(membership=membership, role=Role.STEERING, by=lead)

    def add_members_to_both(self) -> None:
        """A few people with regional or national roles belong to both networks."""
        nenc = self.networks[NENC.slug]
        shared = (
            Membership.objects.filter(
                network=self.networks[LONDON.slug],
                role=Role.MEMBER,
                sector__in=[Sector.ACADEMIC, Sector.WORKFORCE, Sector.VOLUNTARY],
            )
            .exclude(user__email__in=[login.email for login in DEMO_LOGINS])
            .select_related("user", "organisation")
            .order_by("pk")[:MEMBERS_IN_BOTH]
        )
        topics = list(nenc.topics.all())
        for london in shared:
            membership = add_member(
                user=london.user,
                network=nenc,
                by=self.leads[NENC.slug],
                sector=london.sector,
                profession=london.profession,
                organisation=london.organisation,
                organisation_other=london.organisation_other,
                interests=self.people.pick(topics, 1, 3),
                leadership=london.leadership,
                directory_listed=london.directory_listed,
                share_email=london.share_email,
            )
            self.backdate_membership(
                membership, self.people.joined_at(now=self.now, age_days=NENC.age_days)
            )

    def backdate_membership(self, membership: Membership, joined: datetime) -> None:
        Membership.objects.filter(pk=membership.pk).update(joined_at=joined)
        User.objects.filter(pk=membership.user_id, date_joined__gt=joined).update(
            date_joined=joined
        )

    # -- join requests and invitations --------------------------------------

    def ask_to_join(self, text: NetworkText, network: Network, sector: str):
        person = self.people.person(sector)
        organisation = self.organisation_for(text.slug, sector)
        return joining.request_to_join(
            network=network,
            by=AnonymousUser(),
            email=person.email,
            full_name=person.full_name,
            sector=sector,
            profession=person.profession,
            organisation=organisation,
            organisation_other=""
            if organisation or sector == Sector.LIVED_EXPERIENCE
            else "Independent physiotherapy practice",
            icb=organisation.icb if organisation else network.icbs.first(),
            interests=self.people.pick(list(network.topics.all()), 1, 3),
            leadership=person.leadership,
            reason=self.rng.choice(REASONS_TO_JOIN),
        )

    def add_join_requests(self, text: NetworkText, network: Network) -> None:
        lead = self.leads[text.slug]
        sectors = list(SECTORS)
        for _ in range(PENDING_REQUESTS):
            request = self.ask_to_join(text, network, self.rng.choice(sectors))
            asked = self.now - timedelta(hours=self.rng.randrange(2, 24 * 20))
            self.backdate(request, "created_at", asked)
        for number in range(DECLINED_REQUESTS + APPROVED_REQUESTS):
            request = self.ask_to_join(text, network, self.rng.choice(sectors))
            asked = self.now - timedelta(days=self.rng.randrange(30, text.age_days))
            decided = asked + timedelta(days=self.rng.randrange(1, 10))
            if number < DECLINED_REQUESTS:
                joining.decline_join_request(
                    join_request=request,
                    by=lead,
                    reason=DECLINE_REASONS[(number + len(text.slug)) % 3],
                )
            else:
                membership = joining.approve_join_request(join_request=request, by=lead)
                self.backdate_membership(membership, decided)
            self.backdate(request, "created_at", asked, decided_at=decided)

    def add_invitations(self, text: NetworkText, network: Network) -> None:
        lead = self.leads[text.slug]
        for number in range(OPEN_INVITATIONS + 2):
            person = self.people.person(self.rng.choice(list(SECTORS)))
            invitation = invitations.invite(
                network=network,
                by=lead,
                email=person.email,
                full_name=person.full_name,
                role=Role.STEERING if number == 0 else Role.MEMBER,
            )
            if number == OPEN_INVITATIONS:  # one not accepted in time
                sent = self.now - INVITATION_LIFETIME - timedelta(days=12)
            else:
                sent = self.now - timedelta(hours=self.rng.randrange(1, 24 * 21))
            self.backdate(
                invitation,
                "created_at",
                sent,
                last_sent_at=sent,
                expires_at=sent + INVITATION_LIFETIME,
            )
            if number == OPEN_INVITATIONS + 1:  # one accepted
                invitation.refresh_from_db()
                user = User.objects.create_user(
                    email=person.email, full_name=person.full_name
                )
                organisation = self.organisation_for(text.slug, person.sector)
                membership = invitations.accept_invitation(
                    invitation=invitation,
                    user=user,
                    sector=person.sector,
                    profession=person.profession,
                    organisation=organisation,
                    icb=organisation.icb if organisation else network.icbs.first(),
                    interests=self.people.pick(list(network.topics.all()), 1, 3),
                    leadership=person.leadership,
                    directory_listed=person.directory_listed,
                    share_email=person.share_email,
                )
                self.backdate_membership(membership, sent + (self.now - sent) / 2)

    @staticmethod
    def backdate(obj: models.Model, field: str, at: datetime, **more: datetime) -> None:
        """Move an object, and the audit events about it, back in time."""
        type(obj)._default_manager.filter(pk=obj.pk).update(**{field: at}, **more)
        AuditEvent.objects.filter(
            target_type=obj._meta.label_lower, target_id=str(obj.pk)
        ).update(at=more.get("decided_at", at))
