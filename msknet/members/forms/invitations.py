"""Inviting people (one, a pasted list or a CSV file) and accepting an invitation."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from msknet.core.forms import NHSForm
from msknet.core.request_limits import max_post_size

from ..actions.invitations import (
    Invitee,
    already_invited_message,
    already_member_message,
    invited_emails,
    member_emails,
    refusal_reason,
)
from ..models import Invitation, Network, Role, User
from .memberships import (
    MembershipDetailsForm,
    nhs_password_error,
)

MAX_ROWS = 1000
MAX_CSV_BYTES = 1024 * 1024
CSV_COLUMNS = ("email", "name", "role")
NAME_MAX_LENGTH = Invitation._meta.get_field("full_name").max_length or 150
# Offered in this order: most people are invited as members.
ROLE_CHOICES = [
    (Role.MEMBER.value, Role.MEMBER.label),
    (Role.STEERING.value, Role.STEERING.label),
    (Role.LEAD.value, Role.LEAD.label),
]
ROLE_NAMES = {
    **{role.value: role.value for role in Role},
    **{role.label.lower(): role.value for role in Role},
    "steering group": Role.STEERING.value,
}
EMAIL_ERRORS = {
    "required": "Enter their email address",
    "invalid": "Enter an email address in the correct format, like name@example.com",
}
ANGLE_ADDRESS = re.compile(r"^(?P<name>.*?)\s*<(?P<email>[^<>]*)>$")
ONE_LINE_NAME = "the name must be on one line: remove the line break"


def breaks_lines(text: str) -> bool:
    """Whether text holds a line break or another control character.

    Names go into email greetings and forms as one line; a line break could
    make an email say something the lead never wrote.
    """
    return any(unicodedata.category(c) in {"Cc", "Zl", "Zp"} for c in text)


def too_big_message() -> str:
    return (
        f"The list is too long to send in one go: paste at most {MAX_ROWS:,} "
        f"people (less than {max_post_size()}) at a time, and split a longer list"
    )


class InvitationForm(NHSForm):
    email = forms.EmailField(label="Email address", error_messages=EMAIL_ERRORS)
    full_name = forms.CharField(
        label="Full name",
        required=False,
        max_length=NAME_MAX_LENGTH,
        help_text="We use it to greet them in the email and to fill in their form.",
        error_messages={
            "max_length": f"Full name must be {NAME_MAX_LENGTH} characters or fewer"
        },
    )
    role = forms.ChoiceField(
        label="Role in the network",
        choices=ROLE_CHOICES,
        initial=Role.MEMBER,
        widget=forms.RadioSelect,
        error_messages={"required": "Select their role in the network"},
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.network = network
        self.fields["email"].widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false"}
        )

    def clean_full_name(self) -> str:
        full_name: str = self.cleaned_data["full_name"]
        if breaks_lines(full_name):
            raise ValidationError("Full name must be on one line")
        return full_name

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        reason = refusal_reason(network=self.network, email=email)
        if reason:
            raise ValidationError(reason)
        return email


@dataclass
class Row:
    """One person read from a pasted list or CSV file, before checking."""

    line: int
    email: str
    full_name: str = ""
    role: str = ""


def parse_pasted(text: str) -> list[Row]:
    """`email`, `name, email` or `name <email>`, one person a line."""
    rows = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if match := ANGLE_ADDRESS.match(line):
            name, email = match["name"], match["email"]
        elif "\t" in line or "," in line:
            separator = "\t" if "\t" in line else ","
            name, _, email = line.rpartition(separator)
        else:
            name, email = "", line
        rows.append(Row(line=number, email=email.strip(), full_name=clean_name(name)))
    return rows


def clean_name(name: str) -> str:
    return name.strip().strip("\"'").strip()


class BadFile(Exception):
    """The uploaded file is not a CSV we can read, with the message to show."""


def parse_csv(upload: Any) -> list[Row]:
    if not upload.name.lower().endswith(".csv"):
        raise BadFile("The selected file must be a CSV")
    if upload.size > MAX_CSV_BYTES:
        raise BadFile("The selected file must be smaller than 1 MB")
    data = upload.read()
    try:
        # utf-8-sig reads files with and without the byte order mark that
        # Excel puts at the start of "CSV UTF-8" files.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadFile(
            "The selected file must be saved as CSV UTF-8 (in Excel: Save as, "
            "CSV UTF-8)"
        ) from exc
    if "\x00" in text:
        raise BadFile("The selected file must be a CSV")
    if not text.strip():
        raise BadFile("The selected file is empty")
    # newline="" keeps line breaks inside quoted values, so that they are
    # refused by line rather than silently joined (and line numbers hold).
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [column.strip().lower() for column in next(reader)]
        unknown = [column for column in header if column not in CSV_COLUMNS]
        if "email" not in header:
            raise BadFile(
                "Line 1: the first line must name the columns, including 'email' "
                "(and optionally 'name' and 'role')"
            )
        if unknown:
            raise BadFile(
                f"Line 1: '{unknown[0]}' is not a column we know; use email, name "
                "and role"
            )
        if len(set(header)) != len(header):
            raise BadFile("Line 1: each column can only appear once")
        rows = []
        while True:
            first_line = reader.line_num + 1  # where a record spanning lines starts
            values = next(reader, None)
            if values is None:
                break
            if not any(value.strip() for value in values):
                continue
            record = dict(zip(header, values, strict=False))
            rows.append(
                Row(
                    line=first_line,
                    email=record.get("email", "").strip(),
                    full_name=clean_name(record.get("name", "")),
                    role=record.get("role", "").strip(),
                )
            )
    except csv.Error as exc:
        raise BadFile(f"Line {reader.line_num}: {exc}") from exc
    return rows


def check_rows(
    rows: list[Row], *, network: Network, default_role: str
) -> tuple[list[Invitee], list[str]]:
    """Every row checked, all problems reported by line: (invitees, errors)."""
    errors: list[str] = []
    if not rows:
        return [], ["There is no one to invite: add at least one email address"]
    if len(rows) > MAX_ROWS:
        too_many = (
            f"There are {len(rows):,} people in the list: invite at most "
            f"{MAX_ROWS:,} at a time"
        )
        return [], [too_many]
    seen: dict[str, int] = {}
    candidates: list[tuple[Row, Invitee]] = []
    for row in rows:
        problems = []
        email = row.email.lower()
        if not email:
            problems.append(f"Line {row.line}: enter an email address")
        else:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(
                    f"Line {row.line}: '{row.email}' is not a valid email address"
                )
            else:
                if email in seen:
                    problems.append(
                        f"Line {row.line}: {email} is also on line {seen[email]}"
                    )
                else:
                    seen[email] = row.line
        if breaks_lines(row.full_name):
            problems.append(f"Line {row.line}: {ONE_LINE_NAME}")
        elif len(row.full_name) > NAME_MAX_LENGTH:
            problems.append(
                f"Line {row.line}: the name must be {NAME_MAX_LENGTH} characters "
                "or fewer"
            )
        role = ROLE_NAMES.get(row.role.lower()) if row.role else default_role
        if role is None:
            problems.append(
                f"Line {row.line}: '{row.role}' is not a role; use member, "
                "steering or lead"
            )
        errors.extend(problems)
        if not problems and role is not None:
            candidates.append(
                (row, Invitee(email=email, full_name=row.full_name, role=role))
            )
    members = member_emails(network, seen)
    invited = invited_emails(network, seen)
    invitees = []
    for row, invitee in candidates:
        if invitee.email in members:
            errors.append(f"Line {row.line}: {already_member_message(invitee.email)}")
        elif invitee.email in invited:
            errors.append(f"Line {row.line}: {already_invited_message(invitee.email)}")
        else:
            invitees.append(invitee)
    errors.sort(key=line_number)
    return invitees, errors


def line_number(error: str) -> int:
    match = re.match(r"Line (\d+):", error)
    return int(match[1]) if match else 0


class BulkInvitationForm(NHSForm):
    people = forms.CharField(
        label="Paste a list of people",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text="One person a line, as an email address, 'name, email' or "
        "'name <email>'.",
    )
    csv_file = forms.FileField(
        label="Or upload a CSV file",
        required=False,
        help_text="The first line names the columns: 'email' (required), 'name' "
        "and 'role' (optional: member, steering or lead). Save it as CSV UTF-8. "
        f"At most {MAX_ROWS:,} people, and smaller than 1 MB.",
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={
            "empty": "The selected file is empty",
            "invalid": "The selected file must be a CSV",
            "missing": "Select a CSV file",
        },
    )
    role = forms.ChoiceField(
        label="Role in the network",
        help_text="For everyone in the list, and for rows of the file without a "
        "role.",
        choices=ROLE_CHOICES,
        initial=Role.MEMBER,
        widget=forms.RadioSelect,
        error_messages={"required": "Select their role in the network"},
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.network = network

    def add_too_big_error(self) -> None:
        """The lead's list was too big for the site to read: say so here."""
        self.cleaned_data = {}
        self.add_error("people", too_big_message())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        text = cleaned.get("people", "").strip()
        upload = cleaned.get("csv_file")
        if "csv_file" in self.errors:
            return cleaned
        if text and upload:
            self.add_error(
                "people", "Either paste a list or upload a CSV file, not both"
            )
            return cleaned
        if not text and not upload:
            self.add_error("people", "Paste a list of people or upload a CSV file")
            return cleaned
        field = "csv_file" if upload else "people"
        try:
            rows = parse_csv(upload) if upload else parse_pasted(text)
        except BadFile as bad:
            self.add_error(field, str(bad))
            return cleaned
        if "role" not in cleaned:
            return cleaned
        invitees, errors = check_rows(
            rows, network=self.network, default_role=cleaned["role"]
        )
        if errors:
            self.add_error(field, errors)
        cleaned["invitees"] = invitees
        return cleaned


class InvitedMembershipForm(MembershipDetailsForm):
    """The membership an invited person sets up (no phone number to share yet)."""

    class Meta(MembershipDetailsForm.Meta):
        fields = [
            name for name in MembershipDetailsForm.Meta.fields if name != "share_phone"
        ]


class NewAccountForm(InvitedMembershipForm):
    """Create an account for the invited address and join the network."""

    full_name = forms.CharField(
        label="Full name",
        max_length=User._meta.get_field("full_name").max_length,
        error_messages={
            "required": "Enter your full name",
            "max_length": "Full name must be 150 characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password = forms.CharField(
        label="Create a password",
        strip=False,
        help_text="At least 10 characters. A few unrelated words make a strong, "
        "memorable password.",
        error_messages={"required": "Enter a password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirmation = forms.CharField(
        label="Confirm your password",
        strip=False,
        error_messages={"required": "Enter your password again"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    field_order: ClassVar[list[str]] = ["full_name", "password", "password_confirmation"]

    def __init__(self, *args: Any, invitation: Invitation, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"full_name": invitation.full_name})
        super().__init__(*args, network=invitation.network, **kwargs)
        self.invitation = invitation

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        password = cleaned.get("password")
        confirmation = cleaned.get("password_confirmation")
        if password and confirmation and password != confirmation:
            self.add_error(
                "password_confirmation", "The passwords you entered do not match"
            )
        if password:
            account = User(
                email=self.invitation.email, full_name=cleaned.get("full_name", "")
            )
            try:
                password_validation.validate_password(password, user=account)
            except ValidationError as invalid:
                self.add_error("password", [nhs_password_error(e) for e in invalid.error_list])
        return cleaned

    def account_details(self) -> dict[str, Any]:
        return {
            "full_name": self.cleaned_data["full_name"],
            "password": self.cleaned_data["password"],
            **self.membership_details(),
        }
