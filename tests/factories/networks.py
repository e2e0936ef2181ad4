import factory
from factory.django import DjangoModelFactory

from msknet.members.models import ICB, Network, Region, Topic


def icb(ods_code: str) -> ICB:
    return ICB.objects.get(ods_code=ods_code)


class NetworkFactory(DjangoModelFactory):
    class Meta:
        model = Network
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"network-{n}")
    name = factory.Sequence(lambda n: f"Test MSK Network {n}")
    short_name = factory.Sequence(lambda n: f"Test network {n}")
    summary = "A network for people improving musculoskeletal health."
    vision = "Everyone with an MSK condition gets timely, equitable care."
    objectives = "Map local MSK services\nSpread proven innovations"

    @factory.post_generation
    def icbs(self, create, extracted, **kwargs):
        if create and extracted:
            self.icbs.set(extracted)


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = Topic

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


def london_network() -> Network:
    """The London network with its five ICBs and two topics."""
    network = NetworkFactory(
        slug="london",
        name="London MSK Health Improvement Network",
        short_name="London MSK",
        region=Region.objects.get(code="Y56"),
        icbs=list(ICB.objects.filter(region__code="Y56")),
    )
    TopicFactory(network=network, name="Spinal services", slug="spinal-services")
    TopicFactory(
        network=network, name="Primary and community MSK", slug="primary-community"
    )
    return network
