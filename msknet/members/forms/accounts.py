from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from msknet.core import emails
from msknet.core.forms import NHSForm, NHSFormMixin, NHSModelForm

from ..models import Membership, User
from .memberships import MembershipDetailsForm, nhs_password_error

EMAIL_ERRORS = {
    "required": "Enter your email address",
    "invalid": "Enter an email address in the correct format, like name@example.com",
}
CHOOSING_HINT = (
    "Use at least 10 characters. Avoid common passwords, passwords made only of "
    "numbers, and anything like your name or email address."
)


class SignInForm(NHSForm):
    email = forms.EmailField(
        label="Email address",
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    @classmethod
    def refused(cls, email: str, message: str) -> SignInForm:
        """The form again with the email filled in (never the password) and
        `message` as its error: for a sign-in refused at the code step."""
        form = cls({"email": email, "password": "-"})
        form.is_valid()
        form.add_error(None, message)
        return form


class PasswordResetRequestForm(NHSFormMixin, PasswordResetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["email"]
        field.label = "Email address"
        field.help_text = "The email address you use to sign in"
        field.error_messages.update(EMAIL_ERRORS)

    def get_users(self, email: str) -> Any:
        """Active, not erased accounts with this email.

        Unlike Django's, it includes accounts without a password yet: people
        whose first set-password link expired create one this way.
        """
        return User.objects.filter(
            email__iexact=email, is_active=True, erased_at__isnull=True
        )

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        """Through the email task like every other email (retried if the mail
        server cannot take it), not sent during the request."""
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        emails.queue(subject=subject, body=body, to=to_email)


class NewPasswordForm(NHSFormMixin, SetPasswordForm):
    error_messages: ClassVar[dict[str, str]] = {
        "password_mismatch": "Enter the same password twice"
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        first, second = self.fields["new_password1"], self.fields["new_password2"]
        first.label = "New password"
        first.help_text = CHOOSING_HINT
        first.error_messages["required"] = "Enter a new password"
        second.label = "Confirm new password"
        second.help_text = "Type the same password again"
        second.error_messages["required"] = "Confirm your new password"

    def validate_password_for_user(
        self,
        user: Any,
        password_field_name: str = "new_password1",  # noqa: S107 - a field name
    ) -> None:
        # Errors about the password go against the field where it was chosen.
        password = self.cleaned_data.get("new_password1")
        if not password or "new_password1" in self.errors:
            return
        try:
            password_validation.validate_password(password, user)
        except ValidationError as errors:
            for error in errors.error_list:
                self.add_error("new_password1", nhs_password_error(error))


class AccountDetailsForm(NHSModelForm):
    class Meta:
        model = User
        # The email address changes on its own page, confirmed by a link.
        fields = ["full_name", "phone", "job_title"]
        labels = {
            "full_name": "Full name",
            "phone": "Phone number",
            "job_title": "Job title",
        }
        help_texts = {
            "phone": "Only shown to other members if you choose to share it in a "
            "network's directory",
            "job_title": "For example, Advanced practice physiotherapist. Leave it "
            "blank if you joined as a person with lived experience and prefer not "
            "to say.",
        }
        error_messages = {
            "full_name": {
                "required": "Enter your full name",
                "max_length": "Full name must be 150 characters or fewer",
            },
            "phone": {"max_length": "Phone number must be 40 characters or fewer"},
            "job_title": {"max_length": "Job title must be 150 characters or fewer"},
        }
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }



class MembershipForm(MembershipDetailsForm):
    """A member's details and sharing in one of their networks."""

    def __init__(self, *args: Any, instance: Membership, **kwargs: Any) -> None:
        super().__init__(*args, instance=instance, network=instance.network, **kwargs)
        self.fields["profession"].help_text = (
            "Choose 'Not applicable' if you joined as a person with lived experience."
        )


class TokenForm(NHSForm):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="What you will use it for, so you recognise it later. For "
        "example, 'Monthly measures report'.",
        error_messages={
            "required": "Enter a name for the token",
            "max_length": "Token name must be 100 characters or fewer",
        },
    )


class CurrentPasswordForm(NHSForm):
    """A form that asks for the person's current password to check it is them,
    unless a fresh single sign-on already has (`ask_password=False`)."""

    password = forms.CharField(
        label="Your current password",
        strip=False,
        help_text="To check it is you",
        error_messages={"required": "Enter your current password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(
        self, *args: Any, user: User, ask_password: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not ask_password:  # a fresh single sign-on checks it is them instead
            del self.fields["password"]

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(
                "The password is not correct. Enter your current password"
            )
        return password


class DeleteAccountForm(CurrentPasswordForm):
    pass
