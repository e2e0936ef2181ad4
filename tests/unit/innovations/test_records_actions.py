"""Writes for the innovation record: refusals write nothing."""

import pytest

from msknet.core.models import AuditEvent
from msknet.innovations.actions import records as actions
from msknet.innovations.actions.common import Refused
from msknet.innovations.models import Attachment, Innovation, Stage, StageChange
from msknet.priorities import strategic_actions
from msknet.priorities.models import Source
from tests.factories.innovations import innovation, public_proposal
from tests.unit.community.files import upload

pytestmark = pytest.mark.django_db

FIELDS = {"name": "Knee class", "kind": "self_management", "summary": "Exercise.",
          "problem": "Knee pain.", "who_for": "Adults."}


def test_propose_refuses_a_retired_priority(network, member, lead):
    retired = strategic_actions.add_priority(network=network, by=lead,
                                             source=Source.NATIONAL, title="Old")
    strategic_actions.retire_priority(priority=retired, by=lead)

    with pytest.raises(Refused) as refused:
        actions.propose(network=network, by=member, serves=[retired], **FIELDS)

    assert refused.value.field == "serves"
    assert not Innovation.objects.exists()


def test_turn_away_needs_a_reason_and_keeps_the_proposal(network, lead):
    pending = public_proposal(network)

    with pytest.raises(Refused) as refused:
        actions.turn_away_proposal(innovation=pending, by=lead, reason=" ")

    assert refused.value.field == "reason"
    assert Innovation.objects.filter(pk=pending.pk).exists()
    assert not AuditEvent.objects.exists()


def test_accepting_twice_is_refused(network, lead):
    pending = public_proposal(network)
    actions.accept_proposal(innovation=pending, by=lead)

    with pytest.raises(Refused, match="already been reviewed"):
        actions.accept_proposal(innovation=pending, by=lead)


def test_accepting_starts_its_stage_history(network, lead):
    pending = public_proposal(network)

    actions.accept_proposal(innovation=pending, by=lead)

    assert list(StageChange.objects.values_list("stage_from", "stage_to")) == [
        ("", Stage.PROPOSED)]


def test_change_stage_refuses_a_move_out_of_screening(network, lead):
    made = innovation(network, stage=Stage.SCREENING)

    with pytest.raises(Refused) as refused:
        actions.change_stage(innovation=made, by=lead, stage=Stage.ON_HOLD)

    made.refresh_from_db()
    assert refused.value.field == "stage"
    assert made.stage == Stage.SCREENING


def test_add_attachment_checks_the_content_again(network, member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    made = innovation(network, by=member)

    with pytest.raises(Refused) as refused:
        actions.add_attachment(innovation=made, by=member, title="Fake",
                               upload=upload("fake.docx", b"plain text"))

    assert refused.value.field == "file"
    assert not Attachment.objects.exists()
    assert not list(tmp_path.rglob("*.docx"))


def test_update_records_which_fields_changed(network, member):
    made = innovation(network, by=member)

    actions.update_innovation(innovation=made, by=member, cost="£20 a session",
                              name=made.name)

    event = AuditEvent.objects.get()
    assert event.data["changed"] == ["cost"]


def test_following_twice_is_one_follow(network, member):
    made = innovation(network)

    assert actions.follow(innovation=made, by=member) is True
    assert actions.follow(innovation=made, by=member) is False
    assert made.follows.count() == 1


def test_add_attachment_refuses_a_file_over_the_size_limit(network, member, settings,
                                                           tmp_path, monkeypatch):
    from msknet.community import uploads

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 10)
    made = innovation(network, by=member)

    with pytest.raises(Refused) as refused:
        actions.add_attachment(innovation=made, by=member, title="Big",
                               upload=upload("big.txt", b"x" * 11))

    assert str(refused.value).startswith("The file must be smaller than")
    assert not Attachment.objects.exists()
