"""The innovation record: proposing, the public form and its review, the
catalogue and its CSV, changes, files, triage moves and following."""

import csv
import io
import re

import pytest
from click.testing import CliRunner
from django.core import mail
from django.urls import reverse

from msknet.cli import cli
from msknet.communications.models import Kind as NotificationKind
from msknet.communications.models import Notification
from msknet.core.models import AuditEvent
from msknet.innovations.actions import records as actions
from msknet.innovations.models import (
    AdoptionStatus,
    Attachment,
    EvidenceLink,
    Follow,
    Innovation,
    InnovationMeasure,
    InnovationsEvent,
    Kind,
    Stage,
    StageChange,
)
from msknet.members.models import ICB
from msknet.priorities import strategic_actions
from msknet.priorities.models import Source
from tests.factories.innovations import adoption, innovation, public_proposal, site
from tests.factories.networks import NetworkFactory
from tests.queries import queries_of
from tests.unit.community.files import pdf, upload

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def url(name, network, item=None, **kwargs):
    kwargs = {"network_slug": network.slug, **kwargs}
    if item is not None:
        kwargs["innovation_id"] = item.pk
    return reverse(name, kwargs=kwargs)


def proposal(**changes):
    data = {
        "name": "ESCAPE-pain for knees",
        "kind": Kind.SELF_MANAGEMENT,
        "summary": "A group exercise and education programme for knee pain.",
        "problem": "People with chronic knee pain are not offered exercise.",
        "who_for": "Adults with chronic knee or hip pain.",
        "evidence_strength": "strong",
        "nice_status": "recommended",
        "dtac_status": "not_applicable",
        "marking": "not_applicable",
        "dcb0129_status": "not_applicable",
        "dcb0160_status": "not_applicable",
    }
    data.update(changes)
    return data


def suggestion(**changes):
    data = {
        "name": "Back pain app",
        "kind": Kind.DIGITAL,
        "summary": "An app that guides people through back exercises.",
        "problem": "Waits for physiotherapy are long.",
        "who_for": "Adults with low back pain.",
        "evidence": "https://example.org/study",
        "proposer_name": "Sam Supplier",
        "proposer_email": "Sam@Example.org",
        "proposer_organisation": "Example Apps Ltd",
    }
    data.update(changes)
    return data


def priority(network, lead, title="Support self-management"):
    return strategic_actions.add_priority(network=network, by=lead,
                                          source=Source.NATIONAL, title=title)


# Proposing ---------------------------------------------------------------------


def test_member_proposes_an_innovation(client, network, member, lead, sent_on_commit):
    served = priority(network, lead)
    client.force_login(member)

    with sent_on_commit():
        response = client.post(url("innovation-propose", network),
                               proposal(serves=[served.pk]))

    made = Innovation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == made.get_absolute_url()
    assert (made.stage, made.proposed_by, made.via_public_form) == (
        Stage.PROPOSED, member, False)
    assert list(made.serves.all()) == [served]
    assert Follow.objects.filter(innovation=made, user=member).exists()
    event = AuditEvent.objects.get(type=InnovationsEvent.PROPOSED)
    assert (event.by, event.target_id) == (member, str(made.pk))
    told = Notification.objects.filter(kind=NotificationKind.INNOVATION_PROPOSED)
    assert [n.user for n in told] == [lead]
    assert StageChange.objects.get().stage_to == Stage.PROPOSED


def test_proposal_missing_fields_names_them_and_writes_nothing(client, network, member):
    client.force_login(member)

    response = client.post(url("innovation-propose", network),
                           proposal(name="", problem=""))

    assert response.status_code == 200
    assert "Enter the innovation&#x27;s name" in response.text
    assert "Say what problem it solves" in response.text
    assert not Innovation.objects.exists()


def test_proposal_serving_another_networks_priority_is_refused(client, network,
                                                                 member):
    elsewhere = NetworkFactory()
    others = priority(elsewhere, None, "Another network's priority")
    client.force_login(member)

    response = client.post(url("innovation-propose", network),
                           proposal(serves=[others.pk]))

    assert response.status_code == 200
    assert "Choose only this network&#x27;s strategic priorities" in response.text
    assert not Innovation.objects.exists()


def test_proposal_with_a_name_the_network_has_is_refused(client, network, member):
    innovation(network, name="ESCAPE-pain for knees")
    client.force_login(member)

    response = client.post(url("innovation-propose", network),
                           proposal(name="escape-pain for KNEES"))

    assert "already has an innovation with this name" in response.text
    assert Innovation.objects.count() == 1


# The public form ---------------------------------------------------------------


def test_visitors_proposal_is_hidden_until_reviewed(client, network, member, lead,
                                                    sent_on_commit):
    with sent_on_commit():
        response = client.post(url("innovation-suggest", network), suggestion())

    made = Innovation.objects.get()
    assert response["Location"] == url("innovation-suggest-sent", network)
    assert made.awaiting_review
    assert made.proposer_email == "sam@example.org"
    assert "reviewed by the leads of London MSK before anything is shown" in client.get(response["Location"]).text
    # Leads hear about it, pointed to the review page.
    told = Notification.objects.get(kind=NotificationKind.INNOVATION_PROPOSED)
    assert (told.user, told.url) == (lead, url("innovation-review", network))
    # Nobody else sees it: not in the list, not on its page.
    assert "Back pain app" not in client.get(url("innovation-list", network)).text
    client.force_login(member)
    assert "Back pain app" not in client.get(url("innovation-list", network)).text
    assert client.get(url("innovation", network, made)).status_code == 403
    client.force_login(lead)
    review = client.get(url("innovation-review", network))
    assert "Back pain app" in review.text
    assert "1 proposal from the public form is waiting for review" in client.get(
        url("innovation-list", network)).text


def test_public_form_is_rate_limited_per_client(client, network, monkeypatch):
    monkeypatch.setattr(actions, "SUGGESTIONS_PER_CLIENT_PER_HOUR", 2)
    for number in range(2):
        client.post(url("innovation-suggest", network),
                    suggestion(name=f"Idea {number}"))

    response = client.post(url("innovation-suggest", network),
                           suggestion(name="One too many"))

    assert response.status_code == 429
    assert "as many proposals as we accept in an hour" in response.text
    assert sorted(Innovation.objects.values_list("name", flat=True)) == [
        "Idea 0", "Idea 1"]


def test_public_form_with_missing_details_writes_nothing(client, network):
    response = client.post(url("innovation-suggest", network),
                           suggestion(proposer_email="not an email", summary=""))

    assert response.status_code == 200
    assert "Enter an email address in the correct format" in response.text
    assert "Summarise the innovation in one sentence" in response.text
    assert not Innovation.objects.exists()


def test_lead_accepts_a_public_proposal(client, network, member, lead):
    pending = public_proposal(network, name="A visitor's idea")
    client.force_login(lead)

    response = client.post(url("innovation-review-decide", network, pending),
                           {"decision": "accept"})

    pending.refresh_from_db()
    assert response["Location"] == pending.get_absolute_url()
    assert (pending.reviewed_by, pending.stage) == (lead, Stage.PROPOSED)
    assert not pending.awaiting_review
    client.force_login(member)
    assert "A visitor&#x27;s idea" in client.get(url("innovation-list", network)).text


def test_lead_turns_a_public_proposal_away(client, network, lead):
    pending = public_proposal(network, name="Miracle cure")
    client.force_login(lead)

    refused = client.post(url("innovation-review-decide", network, pending),
                          {"decision": "turn_away"})
    assert "Say why you are turning it away" in refused.text
    assert Innovation.objects.filter(pk=pending.pk).exists()

    response = client.post(url("innovation-review-decide", network, pending),
                           {"decision": "turn_away", "reason": "No evidence at all"})

    assert response["Location"] == url("innovation-review", network)
    assert not Innovation.objects.filter(pk=pending.pk).exists()
    event = AuditEvent.objects.get(type=InnovationsEvent.REVIEWED)
    assert event.data["name"] == "Miracle cure"
    assert event.data["reason"] == "No evidence at all"
    assert "pat@example.org" not in str(event.data)


def test_reviewed_proposal_has_no_review_page(client, network, lead):
    reviewed = innovation(network, name="Already in")
    client.force_login(lead)

    response = client.get(url("innovation-review-decide", network, reviewed))

    assert response.status_code == 404


# The catalogue -----------------------------------------------------------------


@pytest.fixture
def catalogue(network, member, lead):
    """Innovations at each stage, one in use in one ICB, one serving a priority."""
    icb = network.icbs.order_by("name").first()
    items = {
        "recommended": innovation(network, name="Recommended pathway",
                                  stage=Stage.RECOMMENDED, by=member),
        "digital": innovation(network, name="Recommended app", kind=Kind.DIGITAL,
                              stage=Stage.RECOMMENDED, summary="Physio at home"),
        "screening": innovation(network, name="Screened role", stage=Stage.SCREENING,
                                kind=Kind.WORKFORCE),
        "proposed": innovation(network, name="Proposed device"),
        "pending": public_proposal(network, name="Unreviewed idea"),
    }
    trust = site(network, name="In-use trust", icb=icb)
    adoption(items["recommended"], trust,
             history=[(AdoptionStatus.ADOPTED, "2026-03-01")])
    served = priority(network, lead)
    served.innovations.add(items["digital"])
    return items | {"icb": icb, "priority": served}


def names(response):
    return [i.name for i in response.context["page"].object_list]


def test_visitors_see_only_recommended_innovations(client, network, catalogue):
    response = client.get(url("innovation-list", network))

    assert names(response) == ["Recommended app", "Recommended pathway"]
    assert "Tell us about an innovation" in response.text


def test_members_see_every_reviewed_innovation(client, network, member, catalogue):
    client.force_login(member)

    response = client.get(url("innovation-list", network))

    assert names(response) == ["Proposed device", "Recommended app",
                               "Recommended pathway", "Screened role"]
    assert "Propose an innovation" in response.text


@pytest.mark.parametrize(("role", "links"), [
    ("visitor", []),
    ("member", ["Spread by site", "map of ICBs"]),
    ("steering", ["Spread by site", "map of ICBs",
                  "Screening: innovations for the panel to score, and the ranking"]),
    ("lead", ["Spread by site", "map of ICBs",
              "Screening: innovations for the panel to score, and the ranking",
              "Screening criteria and scale", "panel"]),
])
def test_the_catalogue_leads_each_role_to_the_pages_it_may_use(
        client, network, request, role, links):
    if role != "visitor":
        client.force_login(request.getfixturevalue(role))

    response = client.get(url("innovation-list", network))

    listed = re.findall(r'<ul class="nhsuk-list" aria-label="More about innovations">'
                        r'(.*?)</ul>', response.text, re.DOTALL)
    assert re.findall(r">([^<]+)</a>", listed[0]) == links if links else not listed
    for target in re.findall(r'href="([^"]+)"', listed[0] if listed else ""):
        assert client.get(target).status_code == 200


def test_visitors_cannot_filter_their_way_to_hidden_stages(client, network,
                                                           catalogue):
    response = client.get(url("innovation-list", network), {"stage": "screening"})

    assert names(response) == ["Recommended app", "Recommended pathway"]


@pytest.mark.parametrize(("filters", "expected"), [
    ({"kind": "digital"}, ["Recommended app"]),
    ({"stage": "screening"}, ["Screened role"]),
    ({"q": "physio"}, ["Recommended app"]),
    ({"q": "device"}, ["Proposed device"]),
])
def test_members_filter_the_catalogue(client, network, member, catalogue, filters,
                                      expected):
    client.force_login(member)

    assert names(client.get(url("innovation-list", network), filters)) == expected


def test_filter_by_priority_served_and_icb_in_use(client, network, catalogue):
    by_priority = client.get(url("innovation-list", network),
                             {"priority": catalogue["priority"].pk})
    by_icb = client.get(url("innovation-list", network),
                        {"icb": catalogue["icb"].ods_code})

    assert names(by_priority) == ["Recommended app"]
    assert names(by_icb) == ["Recommended pathway"]
    assert "In use at 1 site." in by_icb.text


@pytest.mark.parametrize("rows", [2, 6])
def test_catalogue_query_count_does_not_grow(client, network, member, rows):
    trust = site(network)
    for number in range(rows):
        made = innovation(network, name=f"Innovation {number}",
                          stage=Stage.RECOMMENDED)
        adoption(made, trust, history=[(AdoptionStatus.PILOTING, "2026-01-01")])
    client.force_login(member)

    response, queries = queries_of(lambda: client.get(url("innovation-list", network)))

    assert len(names(response)) == rows
    # with the two-factor check, and whether the reader sits on the panel
    assert len(queries) == 10


def test_catalogue_csv_holds_what_the_reader_may_see(client, network, catalogue):
    response = client.get(url("innovation-catalogue-csv", network))

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert response["Content-Disposition"] == (
        'attachment; filename="innovations-london.csv"')
    assert [r["Name"] for r in rows] == ["Recommended app", "Recommended pathway"]
    app, pathway = rows
    assert app["Strategic priorities it serves"] == "Support self-management"
    assert app["NICE"] == "No NICE guidance yet"
    assert pathway["Sites adopted"] == "1"
    assert pathway["Sites using it"] == "1"


def test_catalogue_csv_follows_the_filters(client, network, member, catalogue):
    client.force_login(member)

    response = client.get(url("innovation-catalogue-csv", network),
                          {"stage": "proposed"})

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["Name"] for r in rows] == ["Proposed device"]
    assert rows[0]["Stage"] == "Proposed"


def test_export_command_writes_every_reviewed_innovation(network, catalogue,
                                                        tmp_path):
    out = tmp_path / "innovations.csv"

    result = CliRunner().invoke(cli, ["innovations", "export", "--network", "london",
                                      "--output", str(out)])

    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as written:
        rows = list(csv.DictReader(written))
    assert [r["Name"] for r in rows] == ["Proposed device", "Recommended app",
                                         "Recommended pathway", "Screened role"]


def test_export_command_names_an_unknown_network(db):
    result = CliRunner().invoke(cli, ["innovations", "export", "--network", "nowhere"])

    assert result.exit_code == 2
    assert "There is no network 'nowhere'" in result.output


# An innovation's page ----------------------------------------------------------


def test_page_shows_the_record_and_its_history(client, network, member, lead):
    made = innovation(network, name="Spinal triage", stage=Stage.RECOMMENDED,
                      by=member, nice_status="recommended", nice_reference="NG59",
                      contacts="Jo Lead, jo@example.nhs.uk", dtac_status="met")
    StageChange.objects.create(innovation=made, stage_from=Stage.SCREENING,
                               stage_to=Stage.RECOMMENDED, reason="Strong evidence",
                               by=lead)

    response = client.get(url("innovation", network, made))

    assert response.status_code == 200
    page = response.text
    assert "Recommended in NICE guidance (NG59)" in page
    assert "jo@example.nhs.uk" in page
    assert "Strong evidence" in page
    assert "Follow this innovation" not in page  # visitors cannot follow


def test_visitors_may_not_see_one_not_recommended(client, network):
    made = innovation(network, name="Still proposed")

    response = client.get(url("innovation", network, made))

    assert response.status_code == 302


def test_proposer_changes_the_record(client, network, member):
    made = innovation(network, name="Old name", by=member)
    client.force_login(member)

    response = client.post(url("innovation-edit", network, made),
                           proposal(name="New name"))

    made.refresh_from_db()
    assert response.status_code == 302
    assert made.name == "New name"
    event = AuditEvent.objects.get(type=InnovationsEvent.UPDATED)
    assert "name" in event.data["changed"]


def test_another_member_may_not_change_the_record(client, network, member, steering):
    made = innovation(network, by=member)
    client.force_login(steering)

    assert client.get(url("innovation-edit", network, made)).status_code == 403


# Files, evidence and measures ---------------------------------------------------


def test_attach_a_real_pdf_and_download_it(client, network, member):
    made = innovation(network, by=member, stage=Stage.RECOMMENDED)
    client.force_login(member)

    response = client.post(url("innovation-attachment-add", network, made),
                           {"title": "Business case", "file": pdf("case.pdf")})

    attachment = Attachment.objects.get()
    assert response.status_code == 302
    assert (attachment.content_type, attachment.filename) == ("application/pdf",
                                                              "case.pdf")
    download = client.get(url("innovation-attachment", network, made,
                              attachment_id=attachment.pk))
    assert download["Content-Disposition"] == 'attachment; filename="case.pdf"'
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_a_file_that_is_not_what_it_claims_is_refused(client, network, member):
    made = innovation(network, by=member)
    client.force_login(member)

    response = client.post(url("innovation-attachment-add", network, made),
                           {"title": "Not really", "file": upload("case.pdf",
                                                                 b"MZ not a pdf")})

    assert response.status_code == 200
    assert "The file must be a" in response.text
    assert not Attachment.objects.exists()
    assert not AuditEvent.objects.filter(
        type=InnovationsEvent.ATTACHMENT_CHANGED).exists()


def test_remove_an_attachment_after_confirming(client, network, member):
    made = innovation(network, by=member)
    attachment = actions.add_attachment(innovation=made, by=member, title="Case",
                                        upload=pdf())
    client.force_login(member)
    address = url("innovation-attachment-remove", network, made,
                  attachment_id=attachment.pk)

    assert "Remove &#x27;Case&#x27;?" in client.get(address).text
    client.post(address)

    assert not Attachment.objects.exists()


def test_add_and_remove_evidence(client, network, member):
    made = innovation(network, by=member)
    client.force_login(member)

    client.post(url("innovation-evidence-add", network, made),
                {"title": "Trial", "url": "https://example.org/trial",
                 "type": "trial"})
    evidence = EvidenceLink.objects.get()
    assert "Trial" in client.get(url("innovation", network, made)).text
    client.post(url("innovation-evidence-remove", network, made,
                    evidence_id=evidence.pk))

    assert not EvidenceLink.objects.exists()
    assert AuditEvent.objects.filter(
        type=InnovationsEvent.EVIDENCE_CHANGED).count() == 2


def test_add_change_and_remove_a_measure(client, network, member):
    made = innovation(network, by=member)
    client.force_login(member)
    fields = {"kind": "outcome", "name": "Waits", "definition": "Days to first contact",
              "unit": "days", "improvement": "decrease"}

    client.post(url("innovation-measure-add", network, made), fields)
    measure = InnovationMeasure.objects.get()
    client.post(url("innovation-measure-edit", network, made, measure_id=measure.pk),
                {**fields, "name": "Waiting days"})
    measure.refresh_from_db()
    assert measure.name == "Waiting days"
    duplicate = client.post(url("innovation-measure-add", network, made),
                            {**fields, "name": "waiting days"})
    assert "already has a measure with this name" in duplicate.text
    client.post(url("innovation-measure-remove", network, made, measure_id=measure.pk))

    assert not InnovationMeasure.objects.exists()


# Triage and following ----------------------------------------------------------


def test_not_taken_forward_needs_a_reason(client, network, lead):
    made = innovation(network)
    client.force_login(lead)

    response = client.post(url("innovation-stage", network, made),
                           {"stage": Stage.NOT_TAKEN_FORWARD})

    made.refresh_from_db()
    assert response.status_code == 200
    assert "Say why it is not taken forward" in response.text
    assert made.stage == Stage.PROPOSED
    assert not StageChange.objects.exists()


def test_followers_hear_when_it_moves(client, network, member, steering, lead,
                                      sent_on_commit):
    made = innovation(network, by=member)
    actions.follow(innovation=made, by=steering)
    client.force_login(lead)

    with sent_on_commit():
        response = client.post(url("innovation-stage", network, made),
                               {"stage": Stage.SCREENING})

    made.refresh_from_db()
    assert response.status_code == 302
    assert made.stage == Stage.SCREENING
    told = Notification.objects.filter(kind=NotificationKind.INNOVATION_STAGE)
    assert {n.user for n in told} == {member, steering}
    assert {m.to[0] for m in mail.outbox} == {member.email, steering.email}


def test_no_move_out_of_screening_here(client, network, lead):
    made = innovation(network, stage=Stage.SCREENING)
    client.force_login(lead)

    response = client.post(url("innovation-stage", network, made),
                           {"stage": Stage.RECOMMENDED})

    made.refresh_from_db()
    assert response.status_code == 200
    assert "Record the decision on it" in response.text
    assert made.stage == Stage.SCREENING


def test_follow_and_unfollow(client, network, steering):
    made = innovation(network, stage=Stage.RECOMMENDED)
    client.force_login(steering)

    client.post(url("innovation-follow", network, made))
    assert "Stop following" in client.get(url("innovation", network, made)).text
    client.post(url("innovation-unfollow", network, made))

    assert not Follow.objects.filter(user=steering).exists()


def test_members_cannot_follow_an_unreviewed_proposal(client, network, member):
    pending = public_proposal(network)
    client.force_login(member)

    response = client.post(url("innovation-follow", network, pending))

    assert response.status_code == 404
    assert not Follow.objects.exists()


def test_innovations_is_in_everyones_menu(client, network):
    response = client.get(url("network-home", network))

    assert ("Innovations", url("innovation-list", network)) in response.context[
        "nav_items"]


def test_icb_filter_offers_the_networks_icbs(client, network):
    response = client.get(url("innovation-list", network))

    offered = [value for value, _ in response.context["form"].fields["icb"].choices]
    assert offered[1:] == list(network.icbs.order_by("name").values_list(
        "ods_code", flat=True))
    assert ICB.objects.exists()
