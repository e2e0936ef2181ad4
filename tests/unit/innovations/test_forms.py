"""Forms for the innovation record: what each accepts and how it says no."""

import pytest

from msknet.innovations.forms import (
    AttachmentForm,
    InnovationForm,
    ReviewForm,
    StageForm,
    stage_moves,
)
from msknet.innovations.models import Stage
from tests.factories.innovations import innovation
from tests.unit.community.files import pdf, upload

pytestmark = pytest.mark.django_db


def test_turning_away_needs_a_reason():
    form = ReviewForm({"decision": "turn_away", "reason": "  "})

    assert form.errors == {"reason": ["Say why you are turning it away"]}


def test_accepting_needs_no_reason():
    assert ReviewForm({"decision": "accept"}).is_valid()


@pytest.mark.parametrize(("stage", "moves"), [
    (Stage.PROPOSED, [Stage.SCREENING, Stage.ON_HOLD, Stage.NOT_TAKEN_FORWARD]),
    (Stage.SCREENING, []),  # the decision is the screening part's
    (Stage.NOT_TAKEN_FORWARD, [Stage.SCREENING]),
])
def test_stage_form_offers_the_moves_triage_allows(network, stage, moves):
    made = innovation(network, stage=stage)

    form = StageForm(innovation=made)

    assert stage_moves(made) == moves
    assert [value for value, _ in form.fields["stage"].choices] == moves


def test_stage_form_refuses_a_move_out_of_screening(network):
    made = innovation(network, stage=Stage.SCREENING)

    form = StageForm({"stage": Stage.RECOMMENDED}, innovation=made)

    assert not form.is_valid()
    assert "stage" in form.errors


def test_attachment_must_be_what_it_claims():
    form = AttachmentForm({"title": "Case"}, {"file": upload("case.pdf", b"not pdf")})

    assert not form.is_valid()
    assert form.errors["file"][0].startswith("The file is called .pdf but it is not")


def test_attachment_accepts_a_real_pdf():
    assert AttachmentForm({"title": "Case"}, {"file": pdf()}).is_valid()


def test_innovation_form_refuses_a_name_the_network_has(network):
    innovation(network, name="Spinal triage")

    form = InnovationForm({"name": "spinal TRIAGE"}, network=network)

    assert form.errors["name"] == [
        "The network already has an innovation with this name"]


def test_innovation_form_lets_an_innovation_keep_its_name(network):
    made = innovation(network, name="Spinal triage")

    form = InnovationForm({"name": "Spinal triage"}, instance=made, network=network)

    assert "name" not in form.errors
