from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError

from msknet.core.forms import NHSForm, NHSFormMixin, NHSModelForm

from ..models import Membership, User
from .memberships import clean_organisation, network_choices

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


def nhs_password_error(error: ValidationError) -> str:
    """A password validator's message, written the NHS way."""
    params = error.params or {}
    messages = {
        "password_too_short": "Your password must be at least "
        f"{params.get('min_length')} characters",
        "password_too_common": "Your password is too easy to guess. Choose a "
        "less common password",
        "password_entirely_numeric": "Your password must include letters or "
        "symbols, not only numbers",
        "password_too_similar": "Your password is too like your "
        f"{params.get('verbose_name')}. Choose a different password",
    }
    return messages.get(error.code or "", " ".join(error.messages))


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
        fields = ["full_name", "email", "phone", "job_title"]
        labels = {
            "full_name": "Full name",
            "email": "Email address",
            "phone": "Phone number",
            "job_title": "Job title",
        }
        help_texts = {
            "email": "You sign in with this. We send network emails to it.",
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
            "email": EMAIL_ERRORS,
            "phone": {"max_length": "Phone number must be 40 characters or fewer"},
            "job_title": {"max_length": "Job title must be 150 characters or fewer"},
        }
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        taken = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(
                "Another account already uses this email address. Enter a different one"
            )
        return email

    def validate_unique(self) -> None:
        """clean_email checks the email address, with a clearer message."""


SHARING_FIELDS = [
    "share_email",
    "share_phone",
    "share_organisation",
    "share_profession",
    "share_sector",
    "share_icb",
    "share_interests",
]


class MembershipForm(NHSModelForm):
    class Meta:
        model = Membership
        fields = [
            "sector",
            "profession",
            "organisation",
            "organisation_other",
            "icb",
            "interests",
            "leadership",
            "directory_listed",
            *SHARING_FIELDS,
        ]
        labels = {
            "sector": "Which best describes you?",
            "profession": "Profession",
            "organisation": "Organisation",
            "organisation_other": "If your organisation is not listed, its name",
            "icb": "Integrated care board you mostly work or live in",
            "interests": "Topics you are interested in",
            "leadership": "Do you lead MSK work, or want to?",
            "directory_listed": "List me in the network's member directory",
            "share_email": "Show my email address",
            "share_phone": "Show my phone number",
            "share_organisation": "Show my organisation",
            "share_profession": "Show my profession",
            "share_sector": "Show which best describes me (my sector)",
            "share_icb": "Show my integrated care board",
            "share_interests": "Show the topics I am interested in",
        }
        help_texts = {
            "profession": "Choose 'Not applicable' if you joined as a person with "
            "lived experience.",
            "directory_listed": "Other members of this network can then find you by "
            "name. Only the details you tick below are shown with your name.",
            "share_email": "So that members can contact you. Only if you are listed.",
            "share_phone": "Add a phone number to your details first. Only if you "
            "are listed.",
            "share_sector": "For example, 'Person with lived experience' or "
            "'Primary care'",
        }
        error_messages = {
            "sector": {"required": "Select which best describes you"},
            "profession": {"required": "Select your profession"},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        network_choices(self, self.instance.network)
        self.fields["icb"].required = False
        self.fields["icb"].empty_label = "Choose an integrated care board"
        self.fields["profession"].choices = [
            ("", "Choose your profession"),
            *[c for c in self.fields["profession"].choices if c[0]],
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        clean_organisation(cleaned, self)
        # The database refuses contact details for people not listed; say why.
        if not cleaned.get("directory_listed"):
            for name, what in (
                ("share_email", "email address"),
                ("share_phone", "phone number"),
            ):
                if cleaned.get(name):
                    self.add_error(
                        name,
                        f"You can only show your {what} if you are listed in the "
                        "directory. Tick 'List me in the network's member directory', "
                        f"or untick 'Show my {what}'",
                    )
        return cleaned


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


class DeleteAccountForm(NHSForm):
    password = forms.CharField(
        label="Your current password",
        strip=False,
        help_text="To check it is you",
        error_messages={"required": "Enter your current password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(
                "The password is not correct. Enter your current password"
            )
        return password
