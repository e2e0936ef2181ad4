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


class NHSBoundField(forms.BoundField):
    @property
    def kind(self) -> str:
        return widget_kind(self.field.widget)

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
