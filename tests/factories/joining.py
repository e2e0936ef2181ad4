import hashlib
import secrets

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from msknet.members.models import (
    INVITATION_LIFETIME,
    Invitation,
    JoinRequest,
    Profession,
    Sector,
)

from .networks import NetworkFactory


class JoinRequestFactory(DjangoModelFactory):
    class Meta:
        model = JoinRequest

    network = factory.SubFactory(NetworkFactory)
    email = factory.Sequence(lambda n: f"applicant{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    sector = Sector.COMMUNITY
    profession = Profession.PHYSIOTHERAPIST
    reason = "I run a community MSK service and want to share what works."


class InvitationFactory(DjangoModelFactory):
    class Meta:
        model = Invitation

    network = factory.SubFactory(NetworkFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    token_hash = factory.LazyFunction(
        lambda: hashlib.sha256(secrets.token_bytes(16)).hexdigest()
    )
    expires_at = factory.LazyFunction(lambda: timezone.now() + INVITATION_LIFETIME)
