"""The demo's strategic priorities, in London and NENC, with a few tags.

Titles are short paraphrases in the demo's own words, not quotations. Each
network keeps one priority nothing serves, so the coverage view has a gap to
show. Runs inside the demo loader's transaction, after improvement projects.
"""

from __future__ import annotations

from msknet.improvement.models import QIProject
from msknet.members.models import Network, User

from . import strategic_actions as actions
from .models import Nomination, Source, StrategicPriority

# (source, title, horizon, words in the titles of what serves it)
NATIONAL = [
    ("Support people with MSK conditions to manage their own health",
     ("self-management", "group exercise")),
    ("Faster access to first-contact MSK care", ("first-contact",)),
    ("Join up MSK pathways between primary, community and hospital care",
     ("pathway",)),
    ("Prevent falls and fragility fractures", ("falls",)),
]
ICB_PRIORITIES = [  # one or two per ICB, in the order of the network's ICBs
    [("Cut waits for community MSK services", ("physiotherapy",))],
    [("Reduce high-dose opioid prescribing", ("opioid",)),
     ("Offer care in community languages", ("languages", "interpreters"))],
    [("Narrow the gap in MSK care for deprived neighbourhoods", ("deprived",))],
    [("Help people with MSK conditions stay in work", ("work",))],
    [("Earlier diagnosis of inflammatory arthritis", ())],  # nothing serves it
]
OBJECTIVES = [
    ("Every ICB uses one back pain pathway", "long", ("back pain pathway",)),
    ("Reduce unwarranted variation in MSK referrals", "medium", ("variation",)),
    ("Hear from people with lived experience in every project", "short",
     ("shared decision",)),
]
NENC_NATIONAL = [
    ("Support people with MSK conditions to manage their own health",
     ("social prescribing",)),
    ("Reduce harm from opioid prescribing", ("opioid",)),
]
NENC_ICB = [("Adopt the spinal pain pathway across the region", ("spinal",)),
            ("Shorter waits for pain management programmes", ())]  # nothing serves
NENC_OBJECTIVES = [
    ("Halve long-term opioid prescribing for persistent pain", "long", ("opioid",)),
]


def _tag(priority: StrategicPriority, words: tuple[str, ...]) -> None:
    network = priority.network
    for word in words:
        priority.nominations.add(*Nomination.objects.filter(
            round__network=network, title__icontains=word))
        priority.qi_projects.add(*QIProject.objects.filter(
            network=network, title__icontains=word))


def _load(network: Network, national: list, icb_lists: list, objectives: list) -> None:
    lead = User.objects.get(email=f"lead@{network.slug}.example.nhs.uk")
    for title, words in national:
        _tag(actions.add_priority(network=network, by=lead, source=Source.NATIONAL,
                                  title=title), words)
    for icb, priorities in zip(network.icbs.order_by("name"), icb_lists,
                               strict=False):
        for title, words in priorities:
            _tag(actions.add_priority(network=network, by=lead, source=Source.ICB,
                                      icb=icb, title=title), words)
    for title, horizon, words in objectives:
        _tag(actions.add_priority(network=network, by=lead, source=Source.NETWORK,
                                  title=title, horizon=horizon), words)


def load_demo_strategic_priorities() -> None:
    _load(Network.objects.get(slug="london"), NATIONAL, ICB_PRIORITIES, OBJECTIVES)
    _load(Network.objects.get(slug="nenc"), NENC_NATIONAL, [NENC_ICB],
          NENC_OBJECTIVES)
