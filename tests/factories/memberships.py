import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from msknet.members.models import Membership, Profession, Role, Sector

from .networks import NetworkFactory
from .users import UserFactory


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    network = factory.SubFactory(NetworkFactory)
    role = Role.MEMBER
    sector = Sector.PRIMARY_CARE
    profession = Profession.PHYSIOTHERAPIST
    joined_at = factory.LazyFunction(timezone.now)
    directory_listed = True

    @factory.post_generation
    def interests(self, create, extracted, **kwargs):
        if create and extracted:
            self.interests.set(extracted)
