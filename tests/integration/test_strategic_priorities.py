"""Strategic priorities: the list, the lead's changes, tagging and coverage."""

import csv
import io

import pytest
from django.urls import reverse

from msknet.core.models import AuditEvent
from msknet.improvement.models import QIProject
from msknet.innovations.models import Kind, Stage
from msknet.members.actions.accounts import create_api_token
from msknet.members.models import ICB
from msknet.priorities import strategic_actions as actions
from msknet.priorities.models import Source, StrategicPriority
from tests.factories.improvement import (
    SHIFT,
    MeasureFactory,
    QIProjectFactory,
    add_points,
)
from tests.factories.innovations import innovation, public_proposal
from tests.factories.networks import NetworkFactory
from tests.factories.priorities import NominationFactory, RoundFactory
from tests.queries import queries_of

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def url(name, network, priority=None):
    kwargs = {"network_slug": network.slug}
    if priority is not None:
        kwargs["priority_id"] = priority.pk
    return reverse(name, kwargs=kwargs)


def add(network, lead, title, source=Source.NATIONAL, **fields):
    return actions.add_priority(network=network, by=lead, source=source, title=title,
                                **fields)


@pytest.fixture
def self_manage(network, lead):
    return add(network, lead, "Support people to manage their own MSK health")


# The list ----------------------------------------------------------------------


def test_list_is_public_and_grouped_by_source(client, network, lead, self_manage):
    icb = network.icbs.order_by("name").first()
    add(network, lead, "Shorter waits for ICB physiotherapy", Source.ICB, icb=icb)
    add(network, lead, "One pathway for back pain", Source.NETWORK, horizon="long")

    response = client.get(url("strategic-priorities", network))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("National priorities") < page.index(self_manage.title)
    assert page.index(f"{icb.short_name} priorities") < page.index(
        "Shorter waits for ICB physiotherapy")
    assert page.index("The network&#x27;s own objectives") < page.index(
        "One pathway for back pain")
    assert "Long term" in page
    assert "Add a priority" not in page  # visitors see no lead's buttons


# Leads add, edit, retire, reinstate, reorder --------------------------------------


def test_lead_adds_an_icb_priority(client, network, lead):
    icb = network.icbs.order_by("name").first()
    client.force_login(lead)

    response = client.post(url("strategic-priorities-create", network), {
        "source": "icb", "icb": icb.pk, "title": "Faster first contact",
        "description": "", "reference_url": "https://example.nhs.uk/plan",
        "horizon": "",
    })

    priority = StrategicPriority.objects.get()
    assert response.status_code == 302
    assert (priority.source, priority.icb, priority.title) == (
        "icb", icb, "Faster first contact")
    assert AuditEvent.objects.filter(type="strategic_priority_added").count() == 1


def test_an_icb_priority_needs_its_icb_and_a_link_must_be_a_web_address(
        client, network, lead):
    client.force_login(lead)

    response = client.post(url("strategic-priorities-create", network), {
        "source": "icb", "title": "Faster first contact",
        "reference_url": "not a link",
    })

    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose which ICB the priority belongs to" in page
    assert "Enter the link to where it is published as a web address" in page
    assert not StrategicPriority.objects.exists()


def test_an_icb_outside_the_network_is_refused(client, network, lead):
    elsewhere = ICB.objects.exclude(pk__in=network.icbs.all()).first()
    client.force_login(lead)

    response = client.post(url("strategic-priorities-create", network), {
        "source": "icb", "icb": elsewhere.pk, "title": "Not ours",
    })

    assert response.status_code == 200
    assert not StrategicPriority.objects.exists()


def test_lead_edits_a_priority(client, network, lead, self_manage):
    client.force_login(lead)

    response = client.post(url("strategic-priorities-edit", network, self_manage), {
        "source": "network", "title": "Self-management for all", "horizon": "medium",
    })

    self_manage.refresh_from_db()
    assert response.status_code == 302
    assert (self_manage.source, self_manage.title, self_manage.horizon) == (
        "network", "Self-management for all", "medium")


def test_retiring_asks_first_and_keeps_the_links(client, network, lead, self_manage):
    nomination = NominationFactory(round=RoundFactory(network=network))
    self_manage.nominations.add(nomination)
    client.force_login(lead)
    retire = url("strategic-priorities-retire", network, self_manage)

    asked = client.get(retire)
    client.post(retire)

    self_manage.refresh_from_db()
    assert "Everything already tagged with it stays tagged" in asked.content.decode()
    assert self_manage.retired_at is not None
    assert self_manage.retired_by == lead
    assert list(nomination.serves.all()) == [self_manage]
    page = client.get(url("strategic-priorities", network)).content.decode()
    assert "Retired — still linked to 1 item" in page


def test_lead_reinstates_a_retired_priority(client, network, lead, self_manage):
    actions.retire_priority(priority=self_manage, by=lead)
    client.force_login(lead)

    client.post(url("strategic-priorities-reinstate", network, self_manage))

    self_manage.refresh_from_db()
    assert self_manage.retired_at is None and self_manage.retired_by is None


def test_lead_moves_a_priority_up_within_its_source(client, network, lead, self_manage):
    second = add(network, lead, "Reduce opioid prescribing")
    client.force_login(lead)

    client.post(url("strategic-priorities-move", network, second), {"direction": "up"})

    page = client.get(url("strategic-priorities", network)).content.decode()
    assert page.index("Reduce opioid prescribing") < page.index(self_manage.title)


def test_moving_the_first_up_changes_nothing(network, lead, self_manage):
    second = add(network, lead, "Reduce opioid prescribing")

    actions.move_priority(priority=self_manage, by=lead, direction="up")

    assert list(StrategicPriority.objects.order_by("position").values_list(
        "pk", flat=True)) == [self_manage.pk, second.pk]


@pytest.mark.parametrize("name,method", [
    ("strategic-priorities-create", "get"), ("strategic-priorities-edit", "get"),
    ("strategic-priorities-retire", "post"), ("strategic-priorities-reinstate", "post"),
    ("strategic-priorities-move", "post"),
])
def test_members_cannot_change_priorities(client, network, member, self_manage, name,
                                          method):
    client.force_login(member)
    target = None if name == "strategic-priorities-create" else self_manage

    response = getattr(client, method)(url(name, network, target))

    self_manage.refresh_from_db()
    assert response.status_code == 403
    assert self_manage.retired_at is None


# Coverage ---------------------------------------------------------------------------


@pytest.fixture
def served(network, lead, self_manage):
    """A nomination and a project (with an SPC chart) serve `self_manage`;
    nothing serves the opioid priority."""
    nomination = NominationFactory(round=RoundFactory(network=network, title="2026"),
                                   title="Group education for knee pain")
    project = QIProjectFactory(network=network, title="Self-referral physiotherapy")
    add_points(MeasureFactory(project=project, name="Weeks to first contact"), SHIFT)
    self_manage.nominations.add(nomination)
    self_manage.qi_projects.add(project)
    return add(network, lead, "Reduce opioid prescribing")


def test_coverage_lists_what_serves_each_and_what_nothing_serves(
        client, network, member, self_manage, served):
    client.force_login(member)

    response = client.get(url("strategic-priorities-coverage", network))

    page = response.content.decode()
    unserved = page[page.index('id="unserved"'):page.index("Each priority")]
    assert "Reduce opioid prescribing" in unserved
    assert self_manage.title not in unserved
    assert "Group education for knee pain" in page
    assert "2026: nominated" in page
    assert "Self-referral physiotherapy" in page
    assert "Variation:" in page  # the project's measure shows its SPC icons


def test_coverage_leaves_out_retired_priorities(client, network, member, lead, served):
    actions.retire_priority(priority=served, by=lead)
    client.force_login(member)

    page = client.get(url("strategic-priorities-coverage", network)).content.decode()

    assert "Reduce opioid prescribing" not in page


def test_coverage_csv_has_a_row_per_thing_and_one_for_the_unserved(
        client, network, member, self_manage, served):
    client.force_login(member)

    response = client.get(url("strategic-priorities-coverage", network),
                          {"format": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert rows[0] == ["Priority", "Source", "Serves it", "Kind", "Round", "Status"]
    assert [self_manage.title, "National", "Group education for knee pain",
            "Nomination", "2026", "Nominated"] in rows
    assert ["Reduce opioid prescribing", "National", "", "", "", ""] in rows


@pytest.fixture
def by_innovations(network, lead, member):
    """Only innovations serve the spinal priority: one recommended, one in
    screening, and a public-form proposal nobody has reviewed, which must
    not count."""
    spinal = add(network, lead, "Adopt the spinal pain pathway", Source.NETWORK)
    spinal.innovations.add(
        innovation(network, name="Regional spinal pathway", stage=Stage.RECOMMENDED,
                   by=member),
        innovation(network, name="Spine triage app", kind=Kind.DIGITAL,
                   stage=Stage.SCREENING, by=member),
        public_proposal(network, name="A visitor's spinal idea"),
    )
    return spinal


def test_a_priority_only_innovations_serve_is_served(
        client, network, member, by_innovations):
    client.force_login(member)

    page = client.get(url("strategic-priorities-coverage", network)).content.decode()

    unserved = page[page.index("Priorities nothing serves yet"):
                    page.index("Each priority")]
    card = page[page.index(f'id="priority-{by_innovations.pk}"'):]
    assert by_innovations.title not in unserved
    assert "Every active priority is served" in unserved
    assert card.index("Screening") < card.index("Spine triage app")
    assert card.index("Recommended for spread") < card.index("Regional spinal pathway")
    assert "(digital product)" in card
    assert "A visitor&#x27;s spinal idea" not in page


def test_an_unreviewed_public_proposal_alone_does_not_serve(
        client, network, member, lead):
    waiting = add(network, lead, "Shorter waits for pain programmes")
    waiting.innovations.add(public_proposal(network, name="A visitor's idea"))
    client.force_login(member)

    page = client.get(url("strategic-priorities-coverage", network)).content.decode()

    unserved = page[page.index('id="unserved"'):page.index("Each priority")]
    assert waiting.title in unserved


def test_coverage_csv_has_a_row_per_innovation(
        client, network, member, by_innovations):
    client.force_login(member)

    response = client.get(url("strategic-priorities-coverage", network),
                          {"format": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    spinal = [row for row in rows if row[0] == by_innovations.title]
    assert spinal == [
        [by_innovations.title, "Network objective", "Spine triage app",
         "Innovation", "", "Screening"],
        [by_innovations.title, "Network objective",
         "Regional spinal pathway", "Innovation", "", "Recommended for spread"],
    ]


def test_a_retired_priority_counts_its_innovations(
        client, network, lead, by_innovations):
    actions.retire_priority(priority=by_innovations, by=lead)

    page = client.get(url("strategic-priorities", network)).content.decode()

    assert "Retired — still linked to 2 items" in page


@pytest.mark.parametrize("rows", [1, 4])
def test_coverage_query_count_does_not_grow_with_what_serves(
        client, network, member, lead, rows):
    for n in range(rows):
        priority = add(network, lead, f"Priority {n}")
        priority.nominations.add(NominationFactory(
            round=RoundFactory(network=network), title=f"Nomination {n}"))
        project = QIProjectFactory(network=network, title=f"Project {n}")
        add_points(MeasureFactory(project=project, name=f"Measure {n}"), SHIFT)
        priority.qi_projects.add(project)
        priority.innovations.add(
            innovation(network, name=f"Innovation {n}", stage=Stage.RECOMMENDED),
            innovation(network, name=f"Innovation {n} in screening",
                       stage=Stage.SCREENING))
    client.force_login(member)

    _, queries = queries_of(
        lambda: client.get(url("strategic-priorities-coverage", network)))

    assert len(queries) == 16


def test_coverage_is_for_members(client, network, outsider):
    client.force_login(outsider)

    response = client.get(url("strategic-priorities-coverage", network))

    assert response.status_code == 403


def test_a_link_must_be_https(client, network, lead):
    client.force_login(lead)

    response = client.post(url("strategic-priorities-create", network), {
        "source": "national", "title": "Self-management",
        "reference_url": "http://example.nhs.uk/plan",
    })

    assert response.status_code == 200
    assert "reference_url" in response.context["form"].errors
    assert not StrategicPriority.objects.exists()


# Tagging ----------------------------------------------------------------------------

NOMINATION_POST = {
    "title": "Falls prevention", "problem": "Falls", "population": "Over 65s",
    "variation": "Varies", "benefit_access": "A", "benefit_outcomes": "O",
    "benefit_experience": "E", "inequality": "Deprived areas", "term": "long",
    "resources": "Staff", "evidence": "",
}


def test_a_nomination_is_tagged_with_the_priorities_it_serves(
        client, network, member, self_manage):
    round = RoundFactory(network=network)
    client.force_login(member)

    response = client.post(
        reverse("priorities-nominate", args=[network.slug, round.pk]),
        {**NOMINATION_POST, "serves": [self_manage.pk]})

    nomination = round.nominations.get()
    assert response.status_code == 302
    assert list(nomination.serves.all()) == [self_manage]
    page = client.get(nomination.get_absolute_url()).content.decode()
    assert self_manage.get_coverage_url() in page


def test_another_networks_priority_is_refused_on_a_nomination(
        client, network, member, lead):
    elsewhere = NetworkFactory(slug="elsewhere")
    theirs = add(elsewhere, lead, "Their priority")
    round = RoundFactory(network=network)
    client.force_login(member)

    response = client.post(
        reverse("priorities-nominate", args=[network.slug, round.pk]),
        {**NOMINATION_POST, "serves": [theirs.pk]})

    assert response.status_code == 200
    assert "Choose only this network&#x27;s strategic priorities" in (
        response.content.decode())
    assert not round.nominations.exists()


def test_a_retired_priority_is_offered_only_where_already_tagged(
        client, network, member, lead, self_manage):
    round = RoundFactory(network=network)
    tagged = NominationFactory(round=round, nominated_by=member)
    self_manage.nominations.add(tagged)
    actions.retire_priority(priority=self_manage, by=lead)
    client.force_login(member)

    new = client.get(reverse("priorities-nominate", args=[network.slug, round.pk]))
    edit = client.get(reverse("priorities-nomination-edit",
                              args=[network.slug, round.pk, tagged.pk]))

    assert self_manage.title not in new.content.decode()
    assert f"{self_manage.title} (retired)" in edit.content.decode()


def test_a_project_is_tagged_when_started_and_shows_its_tags(
        client, network, lead, self_manage):
    client.force_login(lead)

    client.post(reverse("project-start", args=[network.slug]), {
        "title": "Opioid tapering", "aim": "By 2027, halve high-dose opioid use.",
        "problem": "", "term": "medium", "serves": [self_manage.pk]})

    project = QIProject.objects.get(title="Opioid tapering")
    assert list(project.serves.all()) == [self_manage]
    page = client.get(project.get_absolute_url()).content.decode()
    assert self_manage.get_coverage_url() in page


def test_a_projects_tags_change_on_its_edit_form_and_forgeries_write_nothing(
        client, network, lead, self_manage):
    project = QIProjectFactory(network=network, title="FCP access")
    theirs = add(NetworkFactory(slug="elsewhere"), lead, "Their priority")
    client.force_login(lead)
    edit = reverse("project-edit", args=[network.slug, project.pk])
    fields = {"title": "FCP access", "aim": "New aim", "problem": "", "term": "short"}

    forged = client.post(edit, {**fields, "serves": [theirs.pk]})
    client.post(edit, {**fields, "serves": [self_manage.pk]})

    assert forged.status_code == 200
    assert "Choose only this network&#x27;s strategic priorities" in (
        forged.content.decode())
    assert list(project.serves.all()) == [self_manage]


# API ----------------------------------------------------------------------------------


def test_api_lists_priorities_to_anyone(client, network, lead, self_manage):
    response = client.get(reverse("api:strategic-priority-list", args=[network.slug]))

    assert response.status_code == 200
    assert [p["title"] for p in response.json()["items"]] == [self_manage.title]


def test_api_coverage_is_for_members_and_names_the_unserved(
        client, network, member, self_manage, served):
    _, token = create_api_token(user=member, name="t")
    coverage = reverse("api:strategic-priority-coverage", args=[network.slug])

    refused = client.get(coverage)
    response = client.get(coverage, headers={"authorization": f"Bearer {token}"})

    items = {i["priority"]["title"]: i for i in response.json()["items"]}
    assert refused.status_code == 401
    assert items["Reduce opioid prescribing"]["served"] is False
    assert items[self_manage.title]["nominations"][0]["round_title"] == "2026"
    assert items[self_manage.title]["qi_projects"][0]["title"] == (
        "Self-referral physiotherapy")


def test_api_coverage_lists_innovations_by_stage(client, network, member,
                                                 by_innovations):
    _, token = create_api_token(user=member, name="t")
    coverage = reverse("api:strategic-priority-coverage", args=[network.slug])

    response = client.get(coverage, headers={"authorization": f"Bearer {token}"})

    items = {i["priority"]["title"]: i for i in response.json()["items"]}
    spinal = items[by_innovations.title]
    assert spinal["served"] is True
    assert [(i["name"], i["kind"], i["stage"]) for i in spinal["innovations"]] == [
        ("Spine triage app", "digital", "screening"),
        ("Regional spinal pathway", "pathway", "recommended"),
    ]


# Demo -------------------------------------------------------------------------------


def test_demo_priorities_are_served_but_one_in_each_network(db):
    from msknet.demo import load_demo_data
    from msknet.members.models import Network
    from msknet.priorities.strategic_queries import coverage

    load_demo_data()

    for slug in ("london", "nenc"):
        covered = coverage(Network.objects.get(slug=slug))
        assert {c.priority.source for c in covered} == {"national", "icb", "network"}
        assert any(c.served for c in covered)
        assert any(not c.served for c in covered)


def test_about_page_links_to_the_strategic_priorities(client, network):
    response = client.get(reverse("network-about", args=[network.slug]))

    assert reverse("strategic-priorities", args=[network.slug]) in response.text
