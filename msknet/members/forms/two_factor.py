from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from msknet.core.forms import NHSForm

from ..actions.two_factor import normalise_code

APP_CODE_HINT = "The 6-digit code your authenticator app shows for msknet now"


def code_input(**attrs: str) -> forms.TextInput:
    """A box for a one-time code, which browsers and phones may fill in."""
    return forms.TextInput(
        attrs={
            "autocomplete": "one-time-code",
            "spellcheck": "false",
            "class": "nhsuk-input--width-10",
            **attrs,
        }
    )


class AppCodeForm(NHSForm):
    """The code that confirms a newly added authenticator app."""

    code = forms.CharField(
        label="Code from your authenticator app",
        help_text=APP_CODE_HINT,
        max_length=20,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=code_input(inputmode="numeric"),
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if not (len(code) == 6 and code.isdigit()):
            raise ValidationError(
                "Enter the 6-digit code from your authenticator app, like 123456"
            )
        return code


class SecurityCodeForm(NHSForm):
    """The second step of signing in: a code from the app, or a recovery code."""

    code = forms.CharField(
        label="Security code",
        help_text=f"{APP_CODE_HINT}, or one of your recovery codes if you do not "
        "have your app",
        max_length=40,
        error_messages={"required": "Enter the security code from your authenticator app"},
        widget=code_input(autocapitalize="none"),
    )


class TurnOffForm(NHSForm):
    """Turning two-factor authentication off needs a code or the password."""

    code = forms.CharField(
        label="Security code",
        help_text=f"{APP_CODE_HINT}, or one of your recovery codes",
        max_length=40,
        required=False,
        widget=code_input(autocapitalize="none"),
    )
    password = forms.CharField(
        label="Or your password",
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean(self) -> dict[str, str]:
        data = super().clean() or {}
        if not data.get("code") and not data.get("password"):
            raise ValidationError("Enter a security code or your password")
        return data
