from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from msknet.core.forms import NHSForm

from ..models import User
from .accounts import EMAIL_ERRORS


class EmailChangeForm(NHSForm):
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
    password = forms.CharField(
        label="Your current password",
        strip=False,
        help_text="To check it is you",
        error_messages={"required": "Enter your current password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(
        self, *args: Any, user: User, password_needed: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not password_needed:  # a fresh single sign-on vouches for the person
            del self.fields["password"]

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        if email == self.user.email.lower():
            raise ValidationError(
                "This is already your email address. Enter a different one"
            )
        return email

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.has_usable_password():
            raise ValidationError(
                "Your account has no password. Sign in again with single sign-on, "
                "then change your email address within 10 minutes"
            )
        if not self.user.check_password(password):
            raise ValidationError(
                "The password is not correct. Enter your current password"
            )
        return password
