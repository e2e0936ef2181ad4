"""What the demo networks say about themselves, their topics and organisations.

The two networks are modelled on real ones; every person and every
organisation apart from the ICBs and the Health Innovation Networks is
made up, and the networks' pages say so.
"""

from __future__ import annotations

from dataclasses import dataclass

SYNTHETIC_NOTICE = (
    "This is a demonstration site. Every person, email address, phone number "
    "and organisation other than the integrated care boards and Health "
    "Innovation Networks is synthetic, made up for the demo."
)


@dataclass(frozen=True)
class TopicText:
    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class NetworkText:
    slug: str
    name: str
    short_name: str
    region_code: str
    icb_codes: tuple[str, ...]
    summary: str
    vision: str
    mission: str
    objectives: tuple[str, ...]
    about: str
    contact_email: str
    topics: tuple[TopicText, ...]
    # How long ago the network started, in days: members join from then on.
    age_days: int
    members: int


SPINAL = TopicText(
    "spinal-services",
    "Spinal services",
    "Best MSK Health workstream: the National Back Pain and Radicular Pain "
    "Pathway, spinal triage and timely access to specialist spinal care.",
)
PRIMARY_COMMUNITY = TopicText(
    "primary-community-msk",
    "Primary and community MSK",
    "Best MSK Health workstream: first contact practitioners, community MSK "
    "services, self-referral and waiting list health.",
)
LONG_TERM = TopicText(
    "long-term-conditions",
    "Supporting people with long-term MSK conditions",
    "Best MSK Health workstream: shared decision making, supported "
    "self-management and personalised care for osteoarthritis, inflammatory "
    "arthritis and persistent pain.",
)
COMMUNICATIONS = TopicText(
    "communications-networks",
    "Communications and developing MSK networks",
    "Best MSK Health workstream: telling people what the network does and "
    "helping MSK networks grow and last.",
)
PAIN_OPIOIDS = TopicText(
    "persistent-pain-opioids",
    "Persistent pain and opioid reduction",
    "Safer prescribing for persistent non-cancer pain: structured medication "
    "reviews, tapering support and alternatives to medicines.",
)
FALLS = TopicText(
    "falls-fracture-prevention",
    "Falls and fracture prevention",
    "Fracture liaison services, strength and balance programmes and "
    "osteoporosis case finding.",
)
INEQUALITIES = TopicText(
    "inequalities-coproduction",
    "Inequalities and co-production",
    "Finding and closing gaps in access, experience and outcomes, working "
    "alongside people with lived experience.",
)
WORKFORCE = TopicText(
    "workforce",
    "Workforce and education",
    "Recruiting, training and keeping the MSK workforce, including first "
    "contact practitioner roadmaps and clinical leadership.",
)
WORK_HEALTH = TopicText(
    "work-and-health",
    "Work and health",
    "Helping people with MSK conditions stay in or return to work, with "
    "employers and employment advisors.",
)

LONDON = NetworkText(
    slug="london",
    name="London MSK Health Improvement Network",
    short_name="London MSK",
    region_code="Y56",
    icb_codes=("QRV", "QMJ", "QMF", "QKK", "QWE"),
    summary=(
        "Open to anyone with an interest in musculoskeletal health in London, "
        "supporting the five London ICBs to improve MSK care together. "
        "Demo data: all people here are synthetic."
    ),
    vision=(
        "Everyone in London with a musculoskeletal condition gets timely, fair "
        "and personalised care that helps them stay active, independent and in "
        "work, wherever they live."
    ),
    mission=(
        "We bring together the people who use, deliver, plan and commission MSK "
        "services across London's five integrated care boards, and support them "
        "to improve care with quality improvement methods informed by national "
        "and local data, co-produced with people who live with MSK conditions."
    ),
    objectives=(
        (
            "Support the five London ICBs to deliver the Best MSK Health programme "
            "using quality improvement methodology informed by national and local data"
        ),
        (
            "Co-produce every workstream with people with lived experience of MSK "
            "conditions"
        ),
        (
            "Reduce inequalities in MSK health: chronic pain affects 41% of people in "
            "the most deprived fifth of the population, against 30% in the least "
            "deprived"
        ),
        (
            "Share what works across ICB boundaries instead of solving the same "
            "problem five times"
        ),
        "Grow clinical and operational MSK leaders in every sector",
    ),
    about=(
        "The London MSK Health Improvement Network is open to anyone with an "
        "interest in musculoskeletal health: clinicians in primary, community "
        "and hospital care, commissioners, public health teams, the voluntary "
        "sector, employers, researchers and people who live with MSK "
        "conditions or care for someone who does.\n\n"
        "We support the five London integrated care boards to improve MSK care "
        "using quality improvement methodology, informed by national and local "
        "data, and co-produced with the people who use services. Reducing "
        "inequalities runs through all our work: in London, as in England, "
        "chronic pain affects 41% of people in the most deprived fifth of the "
        "population against 30% in the least deprived.\n\n"
        "A steering group, with a lead from each ICB and members with lived "
        "experience, sets our priorities. Subgroups take forward each Best MSK "
        "Health workstream. The network is moving through three phases: "
        "scoping (mapping services, data and people), set-up (forming the "
        "steering group and subgroups) and go-live (running improvement "
        "projects and sharing results).\n\n" + SYNTHETIC_NOTICE
    ),
    contact_email="london-msk@example.nhs.uk",
    topics=(
        SPINAL,
        PRIMARY_COMMUNITY,
        LONG_TERM,
        COMMUNICATIONS,
        PAIN_OPIOIDS,
        FALLS,
        INEQUALITIES,
        WORKFORCE,
    ),
    age_days=3 * 365,
    members=200,
)

NENC = NetworkText(
    slug="nenc",
    name="North East and North Cumbria Pain and Spinal Pain Community of Practice",
    short_name="NENC Pain and Spinal Pain CoP",
    region_code="Y63",
    icb_codes=("QHM",),
    summary=(
        "A quarterly community of practice for everyone improving care for "
        "persistent pain and spinal pain in the North East and North Cumbria. "
        "Demo data: all people here are synthetic."
    ),
    vision=(
        "People in the North East and North Cumbria who live with persistent "
        "pain or spinal pain get care that helps them live well, with fewer "
        "harms from medicines and fairer outcomes between places."
    ),
    mission=(
        "We connect clinicians, commissioners, public health, the voluntary "
        "sector, employers and people with lived experience across the North "
        "East and North Cumbria, to learn from each other, spread what works "
        "and grow the leaders who will sustain change."
    ),
    objectives=(
        "Map the MSK and pain landscape across the North East and North Cumbria",
        "Build a network of contacts across every sector and place",
        "Find and spread innovations aligned to NHS and ICS priorities",
        "Grow clinical leaders in pain and spinal pain",
        "Sustain the reduction in opioid prescribing for persistent non-cancer pain",
    ),
    about=(
        "Musculoskeletal conditions weigh more heavily here than in most of "
        "England: 22.5% of people in the North East and North Cumbria report a "
        "long-term MSK problem, against 17.0% across England. The region has "
        "also been an outlier for opioid prescribing, and local teams have "
        "worked hard to bring it down.\n\n"
        "The community of practice meets quarterly, online and in person, and "
        "keeps in touch between meetings. Anyone working on pain and spinal "
        "pain is welcome: GPs, first contact practitioners, pharmacists, pain "
        "and spinal teams, psychologists, commissioners, public health, "
        "social prescribers, employers, the voluntary sector and people with "
        "lived experience.\n\n"
        "Together we are mapping the MSK landscape, building a network of "
        "contacts, finding and spreading innovations aligned to NHS and ICS "
        "priorities, growing clinical leaders and sustaining the reduction in "
        "opioid prescribing.\n\n" + SYNTHETIC_NOTICE
    ),
    contact_email="nenc-pain-cop@example.nhs.uk",
    topics=(
        PAIN_OPIOIDS,
        SPINAL,
        PRIMARY_COMMUNITY,
        LONG_TERM,
        COMMUNICATIONS,
        INEQUALITIES,
        WORKFORCE,
        WORK_HEALTH,
    ),
    age_days=int(2.5 * 365),
    members=130,
)

NETWORKS = (LONDON, NENC)


@dataclass(frozen=True)
class OrganisationText:
    name: str
    type: str
    icb_code: str | None


# Fictional, apart from the ICBs (added from the reference data) and the
# Health Innovation Networks. No ODS codes: made-up codes could collide with
# real ones.
LONDON_ORGANISATIONS = (
    OrganisationText(
        "Northfield University Hospitals NHS Foundation Trust", "nhs_trust", "QMJ"
    ),
    OrganisationText("Thameside Hospitals NHS Trust", "nhs_trust", "QMF"),
    OrganisationText(
        "St Aldric's University Hospital NHS Foundation Trust", "nhs_trust", "QKK"
    ),
    OrganisationText("Wandle and Kingsmere Hospitals NHS Trust", "nhs_trust", "QWE"),
    OrganisationText("West Harrowfield Hospitals NHS Trust", "nhs_trust", "QRV"),
    OrganisationText("Lea Valley Community Health NHS Trust", "nhs_trust", "QMF"),
    OrganisationText(
        "Highgrove Orthopaedic Centre NHS Foundation Trust", "nhs_trust", "QMJ"
    ),
    OrganisationText("Meadowbank Surgery", "gp_practice", "QKK"),
    OrganisationText("Ferry Lane Medical Practice", "gp_practice", "QMF"),
    OrganisationText("The Parkside Practice", "gp_practice", "QRV"),
    OrganisationText("Cedar Road Health Centre", "gp_practice", "QWE"),
    OrganisationText("Canalside Medical Group", "gp_practice", "QMJ"),
    OrganisationText("Riverside Central PCN", "pcn", "QKK"),
    OrganisationText("Northfield East PCN", "pcn", "QMJ"),
    OrganisationText("Wandle Valley PCN", "pcn", "QWE"),
    OrganisationText("Harrowfield South PCN", "pcn", "QRV"),
    OrganisationText("Lea Marshes PCN", "pcn", "QMF"),
    OrganisationText("Capital MSK Partnership CIC", "community_provider", "QKK"),
    OrganisationText("Thames Community Physiotherapy CIC", "community_provider", "QRV"),
    OrganisationText("London Borough of Eastbridge", "local_authority", "QMF"),
    OrganisationText("London Borough of Kingsmere", "local_authority", "QWE"),
    OrganisationText("London Borough of Northfield", "local_authority", "QMJ"),
    OrganisationText("Health Innovation Network South London", "hin", None),
    OrganisationText("UCLPartners", "hin", None),
    OrganisationText("Imperial College Health Partners", "hin", None),
    OrganisationText("University of South Thames", "university", None),
    OrganisationText("London Institute of Health Sciences", "university", None),
    OrganisationText("Moving Together London", "voluntary", None),
    OrganisationText("Back Pain Peer Support London", "voluntary", None),
    OrganisationText("Arthritis Friends Thameside", "voluntary", "QMF"),
    OrganisationText("Capital Logistics Ltd", "employer", None),
    OrganisationText("Riverside Borough Bus Company", "employer", None),
)

NENC_ORGANISATIONS = (
    OrganisationText("Tyneford Hospitals NHS Foundation Trust", "nhs_trust", "QHM"),
    OrganisationText(
        "Wearside and Durham Hospitals NHS Foundation Trust", "nhs_trust", "QHM"
    ),
    OrganisationText(
        "Teesmouth University Hospitals NHS Foundation Trust", "nhs_trust", "QHM"
    ),
    OrganisationText("North Cumbria Fellside Hospitals NHS Trust", "nhs_trust", "QHM"),
    OrganisationText(
        "Coquet Valley Healthcare NHS Foundation Trust", "nhs_trust", "QHM"
    ),
    OrganisationText("Quayside Medical Practice", "gp_practice", "QHM"),
    OrganisationText("Fellview Surgery", "gp_practice", "QHM"),
    OrganisationText("Pit Lane Health Centre", "gp_practice", "QHM"),
    OrganisationText("Riverbank Family Practice", "gp_practice", "QHM"),
    OrganisationText("Tyneford West PCN", "pcn", "QHM"),
    OrganisationText("East Durham Coast PCN", "pcn", "QHM"),
    OrganisationText("Eden and Fells PCN", "pcn", "QHM"),
    OrganisationText(
        "North East Community MSK Partnership", "community_provider", "QHM"
    ),
    OrganisationText(
        "Fellside Pain Management Service CIC", "community_provider", "QHM"
    ),
    OrganisationText("Tyneford City Council", "local_authority", "QHM"),
    OrganisationText("Wearmouth County Council", "local_authority", "QHM"),
    OrganisationText("Teesmouth Borough Council", "local_authority", "QHM"),
    OrganisationText("Health Innovation North East and North Cumbria", "hin", None),
    OrganisationText("University of Tyneford", "university", None),
    OrganisationText("Wearside University", "university", None),
    OrganisationText("Living Well with Pain North East", "voluntary", "QHM"),
    OrganisationText("Fells and Dales Arthritis Group", "voluntary", "QHM"),
    OrganisationText("Tyne Shipyard Engineering Ltd", "employer", None),
    OrganisationText("Northern Fresh Foods Ltd", "employer", None),
)

# Why people pending a decision say they want to join.
REASONS_TO_JOIN = (
    (
        "I am setting up a first contact practitioner service in our PCN and want "
        "to learn from others who have done it."
    ),
    "I live with persistent back pain and would like to help shape services.",
    (
        "Our team is reviewing the spinal pathway and I would value contacts in "
        "other trusts."
    ),
    "I lead medicines optimisation and we are working on opioid tapering.",
    "I am a public health analyst and can help with inequalities data.",
    "We support people with MSK conditions to stay in work.",
    "I am a student physiotherapist interested in MSK leadership.",
    "I coordinate a peer support group for people with arthritis.",
    "I commission community MSK services and want to hear from providers.",
    "I would like to join the falls and fracture prevention subgroup.",
)

DECLINE_REASONS = (
    (
        "This network is for people working or living in London. The North East "
        "and North Cumbria community of practice may suit you better."
    ),
    (
        "We could not confirm the organisation you gave. Please ask again with "
        "your work email address."
    ),
    (
        "You asked to join on behalf of a company selling products; the network "
        "does not accept commercial members."
    ),
)
