from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from msknet.community.models import (
    Event,
    EventKind,
    Registration,
    RegistrationStatus,
    Resource,
    ResourceKind,
    Visibility,
)

from .networks import NetworkFactory
from .users import UserFactory


def in_days(days: float, hour: int = 13):
    moment = timezone.localtime() + timedelta(days=days)
    return moment.replace(hour=hour, minute=30, second=0, microsecond=0)


class EventFactory(DjangoModelFactory):
    class Meta:
        model = Event

    network = factory.SubFactory(NetworkFactory)
    title = factory.Sequence(lambda n: f"Persistent pain community of practice {n}")
    kind = EventKind.COMMUNITY_OF_PRACTICE
    description = "Sharing what works in persistent pain services."
    starts_at = factory.LazyFunction(lambda: in_days(14))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    place = "Civic Centre, Newcastle upon Tyne"
    visibility = Visibility.MEMBERS


class RegistrationFactory(DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    status = RegistrationStatus.REGISTERED
    registered_at = factory.LazyFunction(timezone.now)


class ResourceFactory(DjangoModelFactory):
    class Meta:
        model = Resource

    network = factory.SubFactory(NetworkFactory)
    title = factory.Sequence(lambda n: f"Resource {n}")
    summary = "Something members found useful."
    kind = ResourceKind.GUIDANCE
    url = "https://www.nice.org.uk/guidance/ng59"
    visibility = Visibility.MEMBERS


def matrix_objects(network, users):
    """Objects the role matrix's community rows name, for any network: a
    members-only event organised by `users["organiser"]`, with a file of
    slides and a place for `users["member"]` when there is one, and a
    members-only resource with a file, added by `users["author"]` (a
    colleague stands in for either when the dict has none, so no role walked
    organises or wrote them)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from msknet.community.actions import events, resources

    organiser = users.get("organiser") or UserFactory()
    author = users.get("author") or UserFactory()
    event = EventFactory(network=network, organiser=organiser)
    if users.get("member"):
        events.register(event=event, by=users["member"])  # the member has a place
    material = events.add_material(
        event=event, by=organiser, kind="slides", title="Matrix slides",
        upload=SimpleUploadedFile("slides.pdf", b"%PDF-1.4\n% slides\n",
                                  content_type="application/pdf"))
    resource = resources.add_resource(
        network=network, by=author, title="Matrix resource",
        summary="A members-only leaflet.", kind=ResourceKind.GUIDANCE,
        visibility=Visibility.MEMBERS,
        upload=SimpleUploadedFile("leaflet.txt", b"Back pain leaflet\n",
                                  content_type="text/plain"))
    return {
        "community-event": event.pk,
        "community-material": material.pk,
        "community-resource": resource.pk,
    }
