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


QUESTION_WORDS = ("what", "who", "which", "how", "why", "when", "where", "whether")


def django_default_messages(field: forms.Field) -> dict[str, str]:
    """The error messages Django gives a field of this kind unless told otherwise."""
    messages: dict[str, str] = {}
    for cls in reversed(type(field).__mro__):
        messages.update(
            {code: str(text) for code, text in
             getattr(cls, "default_error_messages", {}).items()}
        )
    return messages


def replace_django_defaults(field: forms.Field, label: str) -> None:
    """Say what to do, as NHS.UK error messages do, where a form did not.

    'This field is required.' becomes 'Enter the lowest score on the scale' (or
    'Choose ...' for a choice), 'Ensure this value is greater than or equal to
    0.' becomes 'Capacity must be 0 or more', and so on.
    """
    defaults = django_default_messages(field)
    phrase = field_phrase(label)
    the = phrase if phrase.lower().startswith(QUESTION_WORDS) else f"the {phrase}"
    choosing = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
    multiple = isinstance(
        field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
    if isinstance(field, forms.BooleanField):
        required = f"Tick '{label}' to continue"
    elif isinstance(field, forms.FileField):
        required = f"Choose {the} to upload"
    elif multiple:
        required = f"Choose at least one {phrase}"
    else:
        required = f"Choose {the}" if choosing else f"Enter {the}"
    ours = {
        "required": required,
        "invalid_choice": f"Choose {the} from the list",
        "min_value": f"{label} must be %(limit_value)s or more",
        "max_value": f"{label} must be %(limit_value)s or less",
    }
    if isinstance(field, forms.DecimalField | forms.FloatField):  # before Integer:
        ours["invalid"] = f"Enter {the} as a number, like 2.5"  # they subclass it
    elif isinstance(field, forms.IntegerField):
        ours["invalid"] = f"Enter {the} as a whole number, like 5"
    elif isinstance(field, forms.DateTimeField):
        ours["invalid"] = f"Enter {the} as a real date and time"
    elif isinstance(field, forms.DateField):
        ours["invalid"] = f"Enter {the} as a real date"
    elif isinstance(field, forms.EmailField):
        ours["invalid"] = ("Enter an email address in the correct format, like "
                           "name@example.com")
    elif isinstance(field, forms.URLField):
        ours["invalid"] = f"Enter {the} as a web address, like https://www.nhs.uk"
    numeric = isinstance(field, forms.IntegerField | forms.DecimalField
                         | forms.FloatField)
    for code, message in ours.items():
        current = field.error_messages.get(code)
        from_validator = (numeric and code in {"min_value", "max_value"}) or (
            code == "invalid"
            and isinstance(field, forms.EmailField | forms.URLField))
        if current is None and from_validator:
            # The limits' messages come from validators (the field's own, or
            # the model field's); a message under the same code replaces theirs.
            field.error_messages[code] = message
        elif current is not None and str(current) == defaults.get(code):
            field.error_messages[code] = message


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
    replace_django_defaults(field, label)
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
