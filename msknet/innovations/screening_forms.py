"""Forms for innovation screening: parsing and checking input, no side effects.

The criterion, panel and score forms are the priorities app's, given the
network's `ScreeningPanel` where they expect a round (it has the same scale,
labels and `panel`); the decision form is the priorities one with the
innovation's decisions in place of a nomination's.
"""

from __future__ import annotations

from typing import Any

from django import forms

from msknet.core.forms import NHSForm
from msknet.priorities.forms import (
    CriterionForm,
    DecisionForm,
    PanelForm,
    ScoreForm,
)

from .models import DECISION_STAGES, ScreeningPanel, Stage

__all__ = ["CriterionEditForm", "CriterionForm", "InnovationDecisionForm",
           "PanelForm", "ScaleForm", "ScoreForm"]


def _whole(label: str, name: str, hint: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=0, max_value=10, help_text=hint,
        error_messages={"required": f"Enter the {name}",
                        "invalid": f"Enter the {name} as a whole number",
                        "min_value": f"Enter a {name} of 0 or more",
                        "max_value": f"Enter a {name} of at most 10"},
    )


class ScaleForm(NHSForm):
    """The scale panellists score on; `initial` comes from the network's."""

    score_min = _whole(
        "Lowest score on the scale", "lowest score",
        "Panellists score each criterion on a whole-number scale, by default "
        "from 1 to 5. The scale cannot change once anything has been scored.")
    score_max = _whole("Highest score on the scale", "highest score", "At most 10.")
    score_min_label = forms.CharField(
        label="What the lowest score means", max_length=60,
        error_messages={"required": "Say what the lowest score means"})
    score_max_label = forms.CharField(
        label="What the highest score means", max_length=60,
        error_messages={"required": "Say what the highest score means"})

    @classmethod
    def of(cls, panel: ScreeningPanel, data: Any = None) -> ScaleForm:
        return cls(data, initial={name: getattr(panel, name) for name in cls.base_fields},
                   prefix="scale")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        low, high = data.get("score_min"), data.get("score_max")
        if low is not None and high is not None and high <= low:
            self.add_error("score_max", "The highest score must be above the lowest")
        return data


class CriterionEditForm(CriterionForm):
    position = forms.IntegerField(
        label="Place in the list", min_value=1,
        help_text="1 puts it first. The scorecard asks the questions in this order.",
        error_messages={"required": "Enter its place in the list",
                        "invalid": "Enter its place as a whole number, like 2",
                        "min_value": "Enter a place of 1 or more"},
    )


class InnovationDecisionForm(DecisionForm):
    """Recommended for spread, on hold or not taken forward, at a meeting."""

    decision = forms.ChoiceField(
        label="Decision", choices=[(s.value, s.label) for s in DECISION_STAGES],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose recommended for spread, on hold or "
                                    "not taken forward"},
    )
    reason = forms.CharField(
        label="Reason", required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed if it is not taken forward. Members can read it.",
    )
    reason.required_when = Stage.NOT_TAKEN_FORWARD.value  # no "(optional)"
    meeting_on = None
    minute_reference = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].help_text = (
            "A meeting recorded in this network's groups. Members see which "
            "meeting decided.")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (data.get("decision") == Stage.NOT_TAKEN_FORWARD
                and not data.get("reason", "").strip()):
            self.add_error("reason", "Say why it is not taken forward")
        return data
