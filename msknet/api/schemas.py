"""What the API reads and writes: one schema per shape, named for the reader."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints, field_validator

from msknet.members.models import (
    ICB,
    JoinRequest,
    Leadership,
    Membership,
    OrganisationType,
    Profession,
    Role,
    Sector,
    Topic,
)

# Field lengths follow the models'; free text the models leave unbounded
# gets a generous bound so a request cannot carry megabytes of it.
MAX_TEXT = 5000
MAX_INTERESTS = 50


def no_null_characters(value: str) -> str:
    # PostgreSQL cannot store NUL; Django's forms refuse it the same way.
    if "\x00" in value:
        raise ValueError("Remove the null character (\\x00)")
    return value


#: The largest id any database here stores: bigger numbers are 422, not a crash.
MAX_ID = 2**31 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def text(max_length: int, min_length: int = 0) -> Any:
    """A stripped string of bounded length, without null characters."""
    return Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, min_length=min_length, max_length=max_length
        ),
        AfterValidator(no_null_characters),
    ]


SearchText = text(200)
Code = text(30)
Slug = text(60)
EmailText = text(254, min_length=1)
FullName = text(150, min_length=1)
OrganisationName = text(200)
ODSCode = text(3)
LongText = text(MAX_TEXT)
RequiredLongText = text(MAX_TEXT, min_length=1)


class ErrorOut(Schema):
    detail: str = Field(description="What went wrong, in words to show a person")


class FieldErrorOut(Schema):
    field: str = Field(description="The field (or parameter) that has the error")
    message: str


class ValidationErrorOut(ErrorOut):
    errors: list[FieldErrorOut]


# Reference data ------------------------------------------------------------


class RegionOut(Schema):
    code: str = Field(description="NHS England region code, like Y56")
    ons_code: str = Field(description="ONS E40 code")
    name: str


class RegionRef(Schema):
    code: str
    name: str


class ICBRef(Schema):
    ods_code: str = Field(description="ODS code of the integrated care board")
    name: str


class ICBOut(ICBRef):
    ons_code: str = Field(description="ONS E54 code")
    short_name: str
    region_code: str

    @staticmethod
    def resolve_region_code(obj: ICB) -> str:
        return obj.region.code


class OrganisationOut(Schema):
    id: int
    name: str
    type: OrganisationType
    ods_code: str | None
    icb: ICBRef | None
    region: RegionRef | None


class TopicOut(Schema):
    slug: str
    name: str
    description: str


class TopicRef(Schema):
    slug: str
    name: str


class NetworkOut(Schema):
    slug: str
    name: str
    short_name: str
    region: RegionRef | None
    icbs: list[ICBRef]
    summary: str
    vision: str
    mission: str
    objectives: list[str] = Field(alias="objective_list")
    topics: list[TopicOut]
    open_to_join: bool
    member_count: int = Field(description="Active members, listed or not")


class NetworkRef(Schema):
    slug: str
    name: str


# Members -------------------------------------------------------------------


class MemberOut(Schema):
    """A directory entry: null wherever the member has not agreed to share."""

    id: int = Field(description="The membership's id in this network")
    full_name: str
    role: Role
    email: str | None
    phone: str | None
    organisation: str | None
    organisation_id: int | None
    profession: Profession | None
    sector: Sector | None
    icb: ICBRef | None
    interests: list[TopicRef] | None

    # Each detail is read through the member's consent, never around it.

    @staticmethod
    def resolve_full_name(obj: Membership) -> str:
        return obj.user.display_name

    @staticmethod
    def resolve_email(obj: Membership) -> str | None:
        return obj.user.email if obj.share_email else None

    @staticmethod
    def resolve_phone(obj: Membership) -> str | None:
        return (obj.user.phone or None) if obj.share_phone else None

    @staticmethod
    def resolve_organisation(obj: Membership) -> str | None:
        return (obj.organisation_display or None) if obj.share_organisation else None

    @staticmethod
    def resolve_organisation_id(obj: Membership) -> int | None:
        return obj.organisation_id if obj.share_organisation else None

    @staticmethod
    def resolve_profession(obj: Membership) -> str | None:
        return obj.profession if obj.share_profession else None

    @staticmethod
    def resolve_sector(obj: Membership) -> str | None:
        return obj.sector if obj.share_sector else None

    @staticmethod
    def resolve_icb(obj: Membership) -> ICB | None:
        return obj.icb if obj.share_icb else None

    @staticmethod
    def resolve_interests(obj: Membership) -> list[Topic] | None:
        return list(obj.interests.all()) if obj.share_interests else None


class MembershipOut(Schema):
    network: NetworkRef
    role: Role
    sector: Sector
    profession: Profession
    organisation: str = Field(alias="organisation_display")
    organisation_id: int | None
    icb: ICBRef | None
    interests: list[TopicRef]
    leadership: Leadership
    directory_listed: bool
    share_email: bool
    share_phone: bool
    share_organisation: bool
    share_profession: bool
    share_sector: bool
    share_icb: bool
    share_interests: bool
    joined_at: datetime


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    phone: str
    job_title: str
    memberships: list[MembershipOut]


# Joining -------------------------------------------------------------------


class JoinRequestIn(Schema):
    email: EmailText = Field(json_schema_extra={"format": "email"})
    full_name: FullName
    sector: Sector
    profession: Profession
    organisation_id: int | None = Field(
        None, description="An organisation from GET /api/organisations"
    )
    organisation_other: OrganisationName = Field(
        "", description="An organisation that is not in the list"
    )
    icb: ODSCode | None = Field(
        None, description="ODS code of the ICB you mostly work or live in"
    )
    interests: list[Slug] = Field(
        [], max_length=MAX_INTERESTS, description="Slugs of the network's topics"
    )
    leadership: Leadership = Leadership.NOT_NOW
    reason: LongText = Field("", description="Why you would like to join")

    @field_validator("email")
    @classmethod
    def email_is_valid(cls, value: str) -> str:
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValueError(
                "Enter an email address in the correct format, like name@example.com"
            ) from None
        return value.lower()


class JoinRequestReceivedOut(Schema):
    detail: str = Field(
        description="The same for every request, new or not: what happens next "
        "is emailed to the address given"
    )


class JoinRequestOut(Schema):
    id: int
    email: str
    full_name: str
    sector: Sector
    profession: Profession
    organisation: str = Field(alias="organisation_display")
    organisation_id: int | None
    icb: ICBRef | None
    interests: list[TopicRef]
    leadership: Leadership
    reason: str
    status: JoinRequest.Status
    created_at: datetime
    decided_at: datetime | None
    decided_by: str | None = Field(description="The lead who decided")
    decision_reason: str

    @staticmethod
    def resolve_decided_by(obj: JoinRequest) -> str | None:
        return obj.decided_by.display_name if obj.decided_by else None


class DeclineIn(Schema):
    reason: RequiredLongText = Field(description="Why, sent to the person by email")
