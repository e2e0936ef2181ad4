from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from .accounts import EMAIL_ERRORS, CurrentPasswordForm


class EmailChangeForm(CurrentPasswordForm):
    email = forms.EmailField(
        label="New email address",
        help_text="We will email a link to it. Your address changes when you "
        "follow the link.",
        error_messages={
            "required": "Enter your new email address",
            "invalid": EMAIL_ERRORS["invalid"],
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    field_order = ["email", "password"]

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        if email == self.user.email.lower():
            raise ValidationError(
                "This is already your email address. Enter a different one"
            )
        return email

    def clean_password(self) -> str:
        if not self.user.has_usable_password():
            raise ValidationError(
                "Your account has no password. Sign in again with single sign-on, "
                "then change your email address within 10 minutes"
            )
        return super().clean_password()
