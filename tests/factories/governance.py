"""Governance objects for tests, made through the actions as a user would."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from msknet.governance import actions
from msknet.governance.models import GroupKind, GroupRole

LONDON_TZ = ZoneInfo("Europe/London")


def make_group(network, *, chair=None, members=(), name="Back pain pathway group",
               kind=GroupKind.SUBGROUP):
    group = actions.create_group(network=network, by=None, name=name, kind=kind,
                                 purpose="Agrees one pathway for back pain.",
                                 chair=chair)
    for user in members:
        actions.set_group_member(group=group, by=None, user=user,
                                 role=GroupRole.MEMBER)
    return group


def make_meeting(group, *, starts_at=None, title="Quarterly meeting"):
    return actions.create_meeting(
        group=group, by=None, title=title,
        starts_at=starts_at or datetime(2025, 3, 12, 14, 0, tzinfo=LONDON_TZ),
        online_link="https://teams.example.nhs.uk/meeting/1",
    )


def pdf_upload(name="paper.pdf", body=b"%PDF-1.4\n% a test paper\n"):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def governance_objects(network, users, chair, *, group_name="Back pain pathway group",
                       decisions=1):
    """The objects the role matrix visits, in any network: a group chaired by
    `chair`, with a draft of its terms, a meeting with an item, a paper,
    `decisions` decisions (the last one named) and an action owned by the
    member. Groups and decisions are found by slug and reference within their
    network, so another network's must differ to be told apart."""
    group = make_group(network, chair=chair, members=[users["member"]],
                       name=group_name)
    actions.save_terms_draft(group=group, by=chair, text="Purpose\nTo agree a pathway.")
    meeting = make_meeting(group)
    item = actions.save_agenda_item(meeting=meeting, by=chair, title="Pathway draft")
    paper = actions.add_paper(item=item, by=chair, upload=pdf_upload())
    for _ in range(decisions):
        decision = actions.record_decision(meeting=meeting, by=chair,
                                           text="Adopt the pathway.")
    action = actions.record_action(meeting=meeting, by=chair, owner=users["member"],
                                   description="Circulate the pathway",
                                   due_on=date(2025, 4, 30))
    phase = actions.save_phase(network=network, by=None, title="Scoping",
                               starts_on=date(2022, 7, 1), status="complete")
    milestone = actions.save_milestone(network=network, by=None, title="Launch",
                                       due_on=date(2023, 4, 19))
    return {
        "gov-group": group.slug,
        "gov-meeting": meeting.pk,
        "gov-item": item.pk,
        "gov-paper": paper.pk,
        "gov-decision": decision.reference,
        "gov-action": action.pk,
        "gov-phase": phase.pk,
        "gov-milestone": milestone.pk,
    }
