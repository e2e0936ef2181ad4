"""Every governance page's exit paths, through the test client."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from msknet.core.models import AuditEvent
from msknet.governance import actions, forms
from msknet.governance.models import (
    Action,
    ActionStatus,
    Attendance,
    Decision,
    Group,
    GroupKind,
    GroupRole,
    Meeting,
    Milestone,
    Paper,
    Phase,
    TermsStatus,
)
from tests.factories.governance import make_group, make_meeting, pdf_upload
from tests.queries import queries_of

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def group(network, lead, member):
    return make_group(network, chair=lead, members=[member])


@pytest.fixture
def meeting(group):
    return make_meeting(group)


@pytest.fixture
def as_lead(client, lead):
    client.force_login(lead)
    return client


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def url(name, network, *args):
    return reverse(name, args=[network.slug, *args])


# Groups ---------------------------------------------------------------------


def test_lead_creates_a_subgroup(as_lead, network):
    response = as_lead.post(url("group-create", network), {
        "name": "Opioid reduction group", "kind": "subgroup",
        "purpose": "Reduce long-term opioid prescribing."})

    group = Group.objects.get()
    assert response["Location"] == group.get_absolute_url()
    assert AuditEvent.objects.filter(type="group_created").exists()


def test_second_steering_group_is_refused_with_a_reason(as_lead, network):
    make_group(network, name="Steering group", kind=GroupKind.STEERING)

    response = as_lead.post(url("group-create", network), {
        "name": "Another", "kind": "steering", "purpose": "Oversee."})

    assert "already has a steering group" in response.content.decode()
    assert Group.objects.count() == 1


def test_lead_renames_a_group_and_a_duplicate_name_is_refused(as_lead, network, group):
    make_group(network, name="Falls group")
    edit = url("group-edit", network, group.slug)

    refused = as_lead.post(edit, {"name": "falls group", "purpose": "x"})
    saved = as_lead.post(edit, {"name": "Spinal group", "purpose": "Spines."})

    assert "already has a group with that name" in refused.content.decode()
    assert saved.status_code == 302
    group.refresh_from_db()
    assert group.name == "Spinal group"


def test_lead_adds_and_removes_a_group_member(as_lead, network, group, steering):
    as_lead.post(url("group-member-add", network, group.slug),
                 {"user": steering.pk, "role": GroupRole.CHAIR})
    assert group.chair == steering

    response = as_lead.post(url("group-member-remove", network, group.slug,
                                steering.pk))

    assert response.status_code == 302
    assert not group.memberships.filter(user=steering).exists()


def test_group_page_shows_members_and_approved_terms(client, member, network, group,
                                                     lead):
    terms = actions.save_terms_draft(group=group, by=lead, text="Purpose\nPathways")
    actions.approve_terms(terms=terms, by=lead, approved_on=date(2025, 1, 8),
                          approved_by_group="Steering group")
    client.force_login(member)

    page = client.get(group.get_absolute_url()).content.decode()

    assert "Version 1, approved by Steering group on 8 January 2025" in page
    assert member.display_name in page
    assert "Arrange a meeting" not in page


# Terms of reference ---------------------------------------------------------


def test_chair_saves_a_draft_and_an_empty_one_is_refused(client, network, group, lead):
    client.force_login(lead)
    edit = url("terms-edit", network, group.slug)

    refused = client.post(edit, {"text": " "})
    saved = client.post(edit, {"text": "Purpose\nPathways", "change_summary": "First"})

    assert "Enter the terms of reference" in refused.content.decode()
    terms = group.terms_versions.get()
    assert saved["Location"] == terms.get_absolute_url()
    assert terms.is_draft


def test_lead_approves_a_draft_which_then_cannot_be_approved_again(as_lead, network,
                                                                    group, lead):
    terms = actions.save_terms_draft(group=group, by=lead, text="Purpose")
    approve = url("terms-approve", network, group.slug, terms.number)

    refused = as_lead.post(approve, {"approved_on": "not a date",
                                     "approved_by_group": "Steering group"})
    as_lead.post(approve, {"approved_on": "2025-01-08",
                           "approved_by_group": "Steering group"})
    again = as_lead.get(approve)

    assert "Enter the date as a real date" in refused.content.decode()
    terms.refresh_from_db()
    assert terms.status == TermsStatus.APPROVED
    assert terms.approved_by_group == "Steering group"
    assert terms.approval_recorded_by == lead
    assert again.status_code == 404


def test_compare_shows_added_and_removed_lines_in_words(client, member, network, group,
                                                        lead):
    v1 = actions.save_terms_draft(group=group, by=lead, text="Quorum: six\nReporting")
    actions.approve_terms(terms=v1, by=lead, approved_on=date(2025, 1, 8),
                          approved_by_group="Steering group")
    actions.save_terms_draft(group=group, by=lead, text="Quorum: seven\nReporting")
    client.force_login(member)

    page = client.get(url("terms-compare", network, group.slug),
                      {"from": 1, "to": 2}).content.decode()
    old = client.get(v1.get_absolute_url()).content.decode()

    assert "Removed</strong> <del>Quorum: six</del>" in page
    assert "Added</strong> <ins>Quorum: seven</ins>" in page
    assert "Quorum: six" in old


# Meetings -------------------------------------------------------------------


def test_lead_arranges_a_meeting_stored_aware_in_uk_time(as_lead, network, group):
    response = as_lead.post(url("meeting-create", network, group.slug), {
        "title": "June meeting", "starts_at": "2025-06-11T14:00",
        "online_link": "https://teams.example.nhs.uk/m/2"})

    meeting = Meeting.objects.get()
    assert response["Location"] == meeting.get_absolute_url()
    assert meeting.starts_at == datetime(2025, 6, 11, 13, 0, tzinfo=UTC)
    assert "11 June 2025, 14:00" in as_lead.get(meeting.get_absolute_url()
                                                ).content.decode()


def test_meeting_needs_a_place_or_link_and_to_end_after_it_starts(as_lead, network,
                                                                 group):
    response = as_lead.post(url("meeting-create", network, group.slug), {
        "title": "x", "starts_at": "2025-06-11T14:00"})
    backwards = as_lead.post(url("meeting-create", network, group.slug), {
        "title": "x", "starts_at": "2025-06-11T14:00", "ends_at": "2025-06-11T13:00",
        "place": "Room 1"})

    assert "Enter a place or an online meeting link" in response.content.decode()
    assert "must end after it starts" in backwards.content.decode()
    assert not Meeting.objects.exists()


def test_lead_changes_a_meeting(as_lead, network, meeting):
    as_lead.post(url("meeting-edit", network, meeting.pk), {
        "title": "Renamed", "starts_at": "2025-03-12T15:00", "place": "Room 2"})

    meeting.refresh_from_db()
    assert (meeting.title, meeting.place) == ("Renamed", "Room 2")


def test_lead_records_attendance(as_lead, network, meeting, member, lead):
    as_lead.post(url("meeting-attendance", network, meeting.pk), {
        f"user_{member.pk}": "apologies", f"user_{lead.pk}": "present"})

    assert dict(Attendance.objects.values_list("user_id", "status")) == {
        member.pk: "apologies", lead.pk: "present"}


def test_lead_adds_and_minutes_an_agenda_item(as_lead, network, meeting, member):
    as_lead.post(url("agenda-item-create", network, meeting.pk),
                 {"title": "Data pack", "owner": member.pk})
    item = meeting.agenda_items.get()
    as_lead.post(url("agenda-item-edit", network, meeting.pk, item.pk),
                 {"title": "Data pack", "position": 2, "minutes": "Noted."})

    item.refresh_from_db()
    assert (item.position, item.minutes, item.owner) == (2, "Noted.", None)


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("run.exe", b"MZ", "is not a file type we accept"),
        ("fake.pdf", b"not a pdf", "is not a real PDF file"),
        ("notes.txt", b"", "The submitted file is empty"),
    ],
)
def test_paper_of_the_wrong_kind_is_refused_by_name(as_lead, network, meeting, name,
                                                     body, message):
    item = actions.save_agenda_item(meeting=meeting, by=None, title="Pathway")
    upload = pdf_upload(name=name, body=body)

    response = as_lead.post(url("paper-upload", network, meeting.pk, item.pk),
                            {"file": upload})

    assert message in response.content.decode()
    assert not Paper.objects.exists()


def test_paper_over_20_mb_is_refused(as_lead, network, meeting, monkeypatch):
    monkeypatch.setattr(forms, "PAPER_MAX_BYTES", 10)
    item = actions.save_agenda_item(meeting=meeting, by=None, title="Pathway")

    response = as_lead.post(url("paper-upload", network, meeting.pk, item.pk),
                            {"file": pdf_upload()})

    assert "is larger than 20 MB" in response.content.decode()


def test_member_downloads_an_attached_paper(as_lead, client, member, network, meeting):
    item = actions.save_agenda_item(meeting=meeting, by=None, title="Pathway")
    as_lead.post(url("paper-upload", network, meeting.pk, item.pk),
                 {"file": pdf_upload()})
    paper = Paper.objects.get()
    client.force_login(member)

    response = client.get(paper.get_absolute_url())

    assert response.content.startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]


# Decisions and actions ------------------------------------------------------


def test_lead_records_a_decision_and_it_is_in_the_log(as_lead, network, meeting):
    as_lead.post(url("decision-create", network, meeting.pk),
                 {"text": "Adopt the back pain pathway."})
    other = make_meeting(make_group(network, name="Falls group"))
    actions.record_decision(meeting=other, by=None, text="Start a falls audit.")

    found = as_lead.get(url("decision-list", network), {"q": "pathway"})
    by_group = as_lead.get(url("decision-list", network), {"group": "falls-group"})
    by_ref = as_lead.get(url("decision-list", network), {"q": "D-2025-002"})

    assert [d.text for d in found.context["page"]] == ["Adopt the back pain pathway."]
    assert [d.text for d in by_group.context["page"]] == ["Start a falls audit."]
    assert [d.text for d in by_ref.context["page"]] == ["Start a falls audit."]


def test_decision_page_by_reference_and_unknown_reference(as_lead, network, meeting):
    decision = actions.record_decision(meeting=meeting, by=None, text="Adopt.")

    assert as_lead.get(decision.get_absolute_url()).status_code == 200
    assert as_lead.get(url("decision-detail", network, "D-1999-001")).status_code == 404
    assert as_lead.get(url("decision-detail", network, "nonsense")).status_code == 404


@pytest.mark.parametrize("decisions", [2, 6])
def test_decision_log_query_count_does_not_grow(as_lead, network, meeting, decisions):
    for n in range(decisions):
        actions.record_decision(meeting=meeting, by=None, text=f"Decision {n}")
    as_lead.get(url("decision-list", network))  # warm the session

    response, queries = queries_of(lambda: as_lead.get(url("decision-list", network)))

    assert len(queries) == 8  # with the two-factor check
    assert len(response.context["page"].object_list) == decisions


def test_lead_records_an_action_and_an_outsider_cannot_own_it(as_lead, network,
                                                              meeting, member,
                                                              outsider):
    create = url("action-create", network, meeting.pk)
    refused = as_lead.post(create, {"description": "x", "owner": outsider.pk,
                                    "due_on": "2025-04-30"})
    as_lead.post(create, {"description": "Share the data", "owner": member.pk,
                          "due_on": "2025-04-30"})

    assert "Choose the owner from the list" in refused.content.decode()
    assert Action.objects.get().owner == member


def test_owner_sees_overdue_action_and_marks_it_done(client, network, meeting, member):
    action = actions.record_action(meeting=meeting, by=None, owner=member,
                                   description="Share the data",
                                   due_on=date(2020, 1, 1))
    client.force_login(member)

    page = client.get(url("my-actions", network)).content.decode()
    response = client.post(url("action-status", network, action.pk),
                           {"status": "done", "next": "https://evil.example/"})

    assert "Overdue" in page and "1 open action is overdue" in page
    assert response["Location"] == url("my-actions", network)
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE


def test_action_status_must_be_chosen(client, network, meeting, member):
    action = actions.record_action(meeting=meeting, by=None, owner=member,
                                   description="Share", due_on=date(2025, 1, 1))
    client.force_login(member)

    response = client.post(url("action-status", network, action.pk), {})

    assert "Choose a status" in response.content.decode()


# Timeline -------------------------------------------------------------------


def test_timeline_shows_on_its_page_and_the_about_page(client, network):
    actions.save_phase(network=network, by=None, title="Scoping",
                       starts_on=date(2022, 7, 1), ends_on=date(2022, 11, 30),
                       status="complete")

    about = client.get(reverse("network-about", args=[network.slug])).content.decode()
    page = client.get(url("timeline", network)).content.decode()

    assert "Scoping</strong>: Jul 2022 to Nov 2022 (complete)" in about
    assert "Scoping" in page and "Complete" in page


def test_lead_adds_a_phase_and_a_phase_ending_before_it_starts_is_refused(as_lead,
                                                                         network):
    create = url("phase-create", network)
    refused = as_lead.post(create, {"title": "Set-up", "starts_on": "2023-04-30",
                                    "ends_on": "2022-11-01", "status": "complete"})
    as_lead.post(create, {"title": "Go live", "starts_on": "2023-04-01",
                          "status": "in_progress"})
    phase = Phase.objects.get()
    as_lead.post(url("phase-edit", network, phase.pk), {
        "title": "Go live", "starts_on": "2023-04-01", "status": "complete"})

    assert "must end on or after its start" in refused.content.decode()
    phase.refresh_from_db()
    assert phase.status == "complete" and phase.ends_on is None


def test_lead_adds_and_ticks_off_a_milestone(as_lead, network):
    as_lead.post(url("milestone-create", network),
                 {"title": "Launch", "due_on": "2023-04-19"})
    milestone = Milestone.objects.get()
    as_lead.post(url("milestone-edit", network, milestone.pk),
                 {"title": "Launch", "due_on": "2023-04-19", "done": "on"})

    milestone.refresh_from_db()
    assert milestone.done


def test_decisions_link_back_to_their_meeting(network, meeting):
    decision = actions.record_decision(meeting=meeting, by=None, text="Adopt.")

    assert Decision.objects.get().get_absolute_url() == (
        f"/n/{network.slug}/decisions/{decision.reference}/")
    assert meeting.get_absolute_url() == f"/n/{network.slug}/meetings/{meeting.pk}/"
