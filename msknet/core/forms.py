"""NHS.UK design-system rendering for every Django form.

`NHSFormRenderer` renders each field with the NHS form-group markup (label,
hint, error message, error classes) and `NHSForm` adds the error summary.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting

WIDGET_CLASSES: dict[type[forms.Widget], str] = {
    forms.Textarea: "nhsuk-textarea",
    forms.Select: "nhsuk-select",
    forms.ClearableFileInput: "nhsuk-file-upload",
    forms.FileInput: "nhsuk-file-upload",
    forms.CheckboxInput: "nhsuk-checkboxes__input",
    forms.CheckboxSelectMultiple: "nhsuk-checkboxes__input",
    forms.RadioSelect: "nhsuk-radios__input",
}
ERROR_CLASSES = {
    "nhsuk-input": "nhsuk-input--error",
    "nhsuk-textarea": "nhsuk-textarea--error",
    "nhsuk-select": "nhsuk-select--error",
    "nhsuk-file-upload": "nhsuk-file-upload--error",
}


def widget_kind(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    return "input"


def base_class(widget: forms.Widget) -> str:
    for widget_type in type(widget).__mro__:
        if widget_type in WIDGET_CLASSES:
            return WIDGET_CLASSES[widget_type]
    return "nhsuk-input"


DJANGO_EMPTY_LABEL = "---------"
# Initialisms read letter by letter: those whose first letter sounds like a vowel.
VOWEL_SOUND_LETTERS = set("AEFHILMNORSX")


def field_phrase(label: str) -> str:
    """A field's label as it reads mid-sentence: "Full name" -> "full name".

    Initialisms keep their capitals ("ICB" stays "ICB").
    """
    label = str(label).strip()
    first = label.split(" ", 1)[0]
    if len(first) > 1 and first[1:2].isupper():
        return label
    return label[:1].lower() + label[1:]


def with_article(phrase: str) -> str:
    """ "organisation" -> "an organisation", "ICB" -> "an ICB", "role" -> "a role"."""
    first = phrase.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        vowel = first[0] in VOWEL_SOUND_LETTERS
    else:
        vowel = first[:1].lower() in set("aeiou")
    return f"{'an' if vowel else 'a'} {phrase}"


def empty_choice_label(label: str) -> str:
    return f"Choose {with_article(field_phrase(label))}"


def tidy_field(field: forms.Field, name: str) -> None:
    """Replace Django's raw defaults with words that follow NHS.UK guidance.

    The "---------" empty choice becomes "Choose a …", and the length messages
    say what to do in the service's voice ("Full name must be 150 characters or
    fewer") instead of Django's "Ensure this value has at most 150 characters".
    """
    label = str(field.label or name.replace("_", " ").capitalize())
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == DJANGO_EMPTY_LABEL:
            field.empty_label = empty_choice_label(label)
    elif isinstance(field, forms.ChoiceField) and not isinstance(
        field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple
    ):
        choices = list(field.choices)
        if any(value == "" and text == DJANGO_EMPTY_LABEL for value, text in choices):
            field.choices = [
                (value, empty_choice_label(label))
                if value == "" and text == DJANGO_EMPTY_LABEL
                else (value, text)
                for value, text in choices
            ]
    elif isinstance(field, forms.ChoiceField):
        # Radios and checkboxes need no "choose one" option at all.
        choices = list(field.choices)
        if any(value == "" and text == DJANGO_EMPTY_LABEL for value, text in choices):
            field.choices = [
                (value, text) for value, text in choices
                if not (value == "" and text == DJANGO_EMPTY_LABEL)
            ]
    # A field's error_messages take over from its validators' messages with the
    # same code, so this replaces Django's wording without losing the check.
    max_length = getattr(field, "max_length", None)
    if max_length and "max_length" not in field.error_messages:
        field.error_messages["max_length"] = (
            f"{label} must be {max_length} characters or fewer"
        )
    min_length = getattr(field, "min_length", None)
    if min_length and "min_length" not in field.error_messages:
        field.error_messages["min_length"] = (
            f"{label} must be {min_length} characters or more"
        )


class NHSBoundField(forms.BoundField):
    def __init__(self, form: forms.BaseForm, field: forms.Field, name: str) -> None:
        # Bound fields are made after the form's own __init__ has added or
        # changed its fields, and both rendering and cleaning go through them.
        tidy_field(field, name)
        super().__init__(form, field, name)

    @property
    def kind(self) -> str:
        return widget_kind(self.field.widget)

    @property
    def marked_optional(self) -> bool:
        """Whether the label says "(optional)".

        A form whose every question may be left (`all_optional = True`) says so
        once in its introduction instead of on every row, and a field needed
        only with some answers (`field.required_when = "..."`) says when in its
        hint instead.
        """
        return (
            not self.field.required
            and not getattr(self.field, "required_when", None)
            and not getattr(self.form, "all_optional", False)
        )

    @property
    def hint_id(self) -> str:
        return f"{self.auto_id}-hint"

    @property
    def error_id(self) -> str:
        return f"{self.auto_id}-error"

    def build_widget_attrs(
        self, attrs: dict[str, Any], widget: forms.Widget | None = None
    ) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        css = base_class(widget)
        classes = [css, attrs.get("class", "")]
        if self.errors and css in ERROR_CLASSES:
            classes.append(ERROR_CLASSES[css])
        attrs["class"] = " ".join(c for c in classes if c)
        if self.kind in {"input", "checkbox"}:
            described = []
            if self.help_text:
                described.append(self.hint_id)
            if self.errors:
                described.append(self.error_id)
            if described:
                attrs["aria-describedby"] = " ".join(described)
            else:
                attrs.pop("aria-describedby", None)
        return attrs


class SearchableSelect(forms.Select):
    """A <select> that becomes a searchable combobox when JavaScript runs.

    msknet/static/msknet/autocomplete.js enhances it with accessible-autocomplete;
    without JavaScript it is an ordinary select, so the form always works.
    """

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Any = ()) -> None:
        super().__init__({"data-autocomplete": "", **(attrs or {})}, choices)


class NHSFormRenderer(TemplatesSetting):
    form_template_name = "nhsuk/forms/form.html"
    field_template_name = "nhsuk/forms/field.html"


class NHSFormMixin:
    """Mix into every form: NHS field markup and the error-summary list."""

    bound_field_class = NHSBoundField

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor, message) pairs for the NHS error summary, in field order."""
        form: Any = self
        items: list[tuple[str, str]] = []
        for error in form.non_field_errors():
            items.append(("", error))
        for name in form.fields:
            if name in form.errors:
                bound = form[name]
                anchor = bound.auto_id
                if bound.kind in {"checkboxes", "radios"}:
                    anchor = f"{bound.auto_id}_0"
                for error in form.errors[name]:
                    items.append((anchor, error))
        return items


class NHSForm(NHSFormMixin, forms.Form):
    pass


class NHSModelForm(NHSFormMixin, forms.ModelForm):
    pass
