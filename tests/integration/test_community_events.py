import os
from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from msknet.community.actions import events as actions
from msknet.community.models import (
    Attendance,
    Event,
    EventMaterial,
    Registration,
    RegistrationStatus,
    Visibility,
)
from msknet.members.models import Role
from tests.factories.community import EventFactory, in_days
from tests.factories.memberships import MembershipFactory
from tests.queries import queries_of
from tests.unit.community.files import pdf, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def public_event(network):
    return EventFactory(network=network, title="Back pain event", capacity=2,
                        visibility=Visibility.PUBLIC,
                        online_url="https://meet.example.org/back-pain")


@pytest.fixture
def members_event(network):
    return EventFactory(network=network, title="Pain CoP: members",
                        visibility=Visibility.MEMBERS)


def url(name, event, **more):
    return reverse(name, kwargs={"network_slug": event.network.slug, "pk": event.pk,
                                 **more})


def test_visitors_see_public_events_only(client, network, public_event, members_event):
    response = client.get(reverse("event-list", args=[network.slug]))

    assert response.status_code == 200
    assert "Back pain event" in response.text
    assert "Pain CoP: members" not in response.text
    assert "Arrange an event" not in response.text


def test_members_see_members_only_events_too(client, member, network, public_event,
                                             members_event):
    client.force_login(member)

    response = client.get(reverse("event-list", args=[network.slug]))

    assert "Pain CoP: members" in response.text
    assert "Members only" in response.text


@pytest.mark.parametrize("more", [0, 4])
def test_event_list_queries_do_not_grow_with_events(client, member, network,
                                                    public_event, members_event, more):
    for _ in range(more):
        actions.register(event=EventFactory(network=network), by=member)
    client.force_login(member)

    response, queries = queries_of(
        lambda: client.get(reverse("event-list", args=[network.slug])))

    assert len(queries) == 7  # with the two-factor check
    assert len(response.context["upcoming"]) == 2 + more


def test_list_shows_which_events_one_is_registered_for(client, member, public_event):
    actions.register(event=public_event, by=member)
    client.force_login(member)

    response = client.get(reverse("event-list", args=[public_event.network.slug]))

    assert "You are registered" in response.text


def test_past_events_are_listed_apart(client, network):
    EventFactory(network=network, title="Autumn CoP", visibility=Visibility.PUBLIC,
                 starts_at=in_days(-30))

    response = client.get(reverse("event-list", args=[network.slug]))

    assert response.context["past"][0].title == "Autumn CoP"
    assert not response.context["upcoming"]


def test_steering_group_sees_arrange_an_event(client, steering, network):
    client.force_login(steering)

    response = client.get(reverse("event-list", args=[network.slug]))

    assert "Arrange an event" in response.text


def test_feed_for_visitors_holds_public_events_only(client, network, public_event,
                                                    members_event):
    response = client.get(reverse("event-feed", args=[network.slug]))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    parsed = icalendar.Calendar.from_ical(response.content)
    assert [str(e["SUMMARY"]) for e in parsed.walk("VEVENT")] == ["Back pain event"]


def test_feed_for_members_holds_members_only_events(client, member, network,
                                                    public_event, members_event):
    client.force_login(member)

    response = client.get(reverse("event-feed", args=[network.slug]))

    summaries = {str(e["SUMMARY"]) for e in
                 icalendar.Calendar.from_ical(response.content).walk("VEVENT")}
    assert summaries == {"Back pain event", "Pain CoP: members"}


def test_personal_feed_link_works_without_signing_in(client, member, network,
                                                    public_event, members_event):
    client.force_login(member)
    link = client.get(reverse("event-list", args=[network.slug])).context["personal_feed"]
    client.logout()

    response = client.get(link)

    summaries = {str(e["SUMMARY"]) for e in
                 icalendar.Calendar.from_ical(response.content).walk("VEVENT")}
    assert summaries == {"Back pain event", "Pain CoP: members"}


def test_personal_feed_link_is_withdrawn_by_a_new_password(client, member, network):
    client.force_login(member)
    link = client.get(reverse("event-list", args=[network.slug])).context["personal_feed"]
    member.set_password("another-long-password")
    member.save()

    assert client.get(link).status_code == 404
    assert client.get(link.replace(f"/{member.pk}-", "/x-")).status_code == 404


def test_visitors_get_no_personal_feed_link(client, network):
    response = client.get(reverse("event-list", args=[network.slug]))

    assert response.context["personal_feed"] is None


def test_visitor_is_asked_to_sign_in_to_register(client, public_event):
    response = client.get(url("event-detail", public_event))

    assert "Sign in to register" in response.text
    assert "meet.example.org" not in response.text


def test_signed_in_outsider_registers_for_a_public_event(client, outsider, public_event,
                                                         sent_on_commit):
    client.force_login(outsider)

    with sent_on_commit():
        response = client.post(url("event-register", public_event), follow=True)

    assert "You are registered." in response.text
    assert "https://meet.example.org/back-pain" in response.text
    assert mail.outbox[0].to == [outsider.email]


def test_register_needs_post(client, member, public_event):
    client.force_login(member)

    assert client.get(url("event-register", public_event)).status_code == 405


def test_full_event_offers_the_waiting_list_and_shows_the_position(
    client, member, network, public_event
):
    for _ in range(2):
        actions.register(event=public_event, by=MembershipFactory(network=network).user)
    client.force_login(member)

    page = client.get(url("event-detail", public_event))
    response = client.post(url("event-register", public_event), follow=True)

    assert "Join the waiting list" in page.text
    assert "on the waiting list at number 1" in response.text
    assert "You are number 1 on the waiting list." in response.text
    assert "https://meet.example.org/back-pain" not in response.text


def test_registration_refused_after_the_start_says_why(client, member, network):
    event = EventFactory(network=network, starts_at=timezone.now() - timedelta(hours=1))
    client.force_login(member)

    response = client.post(url("event-register", event), follow=True)

    assert "registration has closed" in response.text
    assert not Registration.objects.exists()


def test_cancel_asks_first_then_gives_the_place_away(client, member, network,
                                                     public_event, sent_on_commit):
    actions.register(event=public_event, by=member)
    actions.register(event=public_event, by=MembershipFactory(network=network).user)
    waiting = MembershipFactory(network=network).user
    actions.register(event=public_event, by=waiting)
    client.force_login(member)

    confirm = client.get(url("event-cancel", public_event))
    with sent_on_commit():
        response = client.post(url("event-cancel", public_event), follow=True)

    assert "Cancel your place" in confirm.text
    assert "You have cancelled your place." in response.text
    assert Registration.objects.get(user=waiting).status == RegistrationStatus.REGISTERED
    assert mail.outbox[-1].to == [waiting.email]


def test_leaving_the_waiting_list_says_so(client, member, network, public_event):
    for _ in range(2):
        actions.register(event=public_event, by=MembershipFactory(network=network).user)
    actions.register(event=public_event, by=member)
    client.force_login(member)

    response = client.post(url("event-cancel", public_event), follow=True)

    assert "You have left the waiting list." in response.text


def test_cancel_without_a_place_goes_back_to_the_event(client, member, public_event):
    client.force_login(member)

    response = client.get(url("event-cancel", public_event), follow=True)

    assert response.redirect_chain[-1][0] == url("event-detail", public_event)
    assert "You are not registered for this event." in response.text


def test_invite_downloads_as_ics(client, member, public_event):
    client.force_login(member)
    actions.register(event=public_event, by=member)

    response = client.get(url("event-invite", public_event))

    assert response["Content-Disposition"] == (
        f'attachment; filename="london-event-{public_event.pk}.ics"'
    )
    entry = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(entry["SUMMARY"]) == "Back pain event"
    assert "Join online: https://meet.example.org/back-pain" in entry["DESCRIPTION"]


def event_data(**overrides):
    starts = in_days(30)
    return {
        "title": "Persistent pain webinar",
        "kind": "webinar",
        "description": "NICE NG193 in primary care.",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "place": "",
        "online_url": "https://meet.example.org/ng193",
        "capacity": "100",
        "visibility": "public",
        "organiser": "",
        **overrides,
    }


def test_create_event_lists_it_with_the_creator_as_organiser(client, steering, network):
    client.force_login(steering)

    response = client.post(reverse("event-create", args=[network.slug]), event_data())

    event = Event.objects.get()
    assert response["Location"] == event.get_absolute_url()
    assert event.organiser == steering
    assert event.starts_at.tzinfo is not None
    assert timezone.localtime(event.starts_at).strftime("%H:%M") == "13:30"


def test_create_event_with_errors_shows_them(client, steering, network):
    client.force_login(steering)

    response = client.post(
        reverse("event-create", args=[network.slug]),
        event_data(ends_at=in_days(29).strftime("%Y-%m-%dT%H:%M"), online_url="",
                   title=""),
    )

    assert response.status_code == 200
    assert "<title>Error: Arrange an event" in response.text
    assert "Enter the event&#x27;s title" in response.text
    assert "The event must end after it starts" in response.text
    assert "Enter where the event is, an online joining link, or both" in response.text
    assert not Event.objects.exists()


def test_organiser_changes_their_event(client, member, network):
    event = EventFactory(network=network, organiser=member)
    client.force_login(member)
    page = client.get(url("event-edit", event))

    response = client.post(url("event-edit", event),
                           event_data(title="Changed title", organiser=member.pk))

    event.refresh_from_db()
    assert page.status_code == 200
    assert response.status_code == 302
    assert event.title == "Changed title"
    assert event.sequence == 1


def test_invalid_change_keeps_the_stored_event(client, lead, network):
    event = EventFactory(network=network, title="Kept")
    client.force_login(lead)

    response = client.post(url("event-edit", event), event_data(title=""))

    event.refresh_from_db()
    assert response.status_code == 200
    assert event.title == "Kept"


def test_registrations_page_lists_places_and_the_queue(client, lead, network):
    event = EventFactory(network=network, capacity=1)
    first = MembershipFactory(network=network, user__full_name="Ada Okafor").user
    second = MembershipFactory(network=network, user__full_name="Ben Hall").user
    actions.register(event=event, by=first)
    actions.register(event=event, by=second)
    client.force_login(lead)

    response = client.get(url("event-registrations", event))

    assert [r.user for r in response.context["placed"]] == [first]
    assert [r.user for r in response.context["waiting"]] == [second]
    assert response.context["form"] is None


def test_attendance_is_recorded_after_the_event(client, lead, network):
    event = EventFactory(network=network, starts_at=in_days(1))
    came = actions.register(event=event, by=MembershipFactory(network=network).user)
    event.starts_at, event.ends_at = in_days(-1), in_days(-1) + timedelta(hours=2)
    event.save()
    client.force_login(lead)

    response = client.post(url("event-registrations", event),
                           {f"r{came.pk}": Attendance.DID_NOT_ATTEND}, follow=True)

    came.refresh_from_db()
    assert came.attendance == Attendance.DID_NOT_ATTEND
    assert "Attendance saved (1 changed)." in response.text


def test_slides_are_uploaded_and_served_only_through_the_gate(client, lead, member,
                                                              members_event):
    client.force_login(lead)

    response = client.post(url("event-material-create", members_event),
                           {"kind": "slides", "title": "Slides", "file": pdf("s.pdf")})

    material = EventMaterial.objects.get()
    assert response.status_code == 302
    file_url = url("event-material-file", members_event, material_pk=material.pk)
    client.logout()
    assert client.get(file_url).status_code == 302  # visitors sign in first
    client.force_login(member)
    download = client.get(file_url)
    assert download["Content-Disposition"] == 'attachment; filename="s.pdf"'
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_recording_link_is_attached(client, lead, members_event):
    client.force_login(lead)

    client.post(url("event-material-create", members_event),
                {"kind": "recording", "title": "Recording",
                 "url": "https://video.example.org/cop"})

    material = EventMaterial.objects.get()
    assert material.url == "https://video.example.org/cop"
    assert client.get(url("event-material-file", members_event,
                          material_pk=material.pk)).status_code == 404


def test_organiser_removes_a_material(client, member, network, sent_on_commit):
    event = EventFactory(network=network, organiser=member)
    material = actions.add_material(event=event, by=member, kind="slides",
                                    title="Old slides", upload=pdf())
    path = material.file.path
    client.force_login(member)

    with sent_on_commit():
        response = client.post(url("event-material-remove", event,
                                   material_pk=material.pk), follow=True)

    assert "Old slides is no longer attached to the event." in response.text
    assert not EventMaterial.objects.exists()
    assert not os.path.exists(path)


def test_disallowed_material_is_refused_naming_the_allowed_types(client, lead,
                                                                 members_event):
    client.force_login(lead)

    response = client.post(url("event-material-create", members_event),
                           {"kind": "slides", "title": "Slides",
                            "file": upload("slides.key", b"keynote")})

    assert response.status_code == 200
    assert ("The file must be a PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), "
            "plain text (.txt) or CSV (.csv) file") in response.text
    assert not EventMaterial.objects.exists()


def test_material_needs_a_file_or_a_link_not_both(client, lead, members_event):
    client.force_login(lead)

    response = client.post(url("event-material-create", members_event),
                           {"kind": "slides", "title": "Slides"})

    assert "Choose a file or enter a link, not both" in response.text


def test_outsider_cannot_see_a_members_only_event(client, outsider, members_event):
    client.force_login(outsider)

    assert client.get(url("event-detail", members_event)).status_code == 403


def test_other_members_do_not_manage_the_event(client, network, members_event):
    other = MembershipFactory(network=network, role=Role.MEMBER).user
    client.force_login(other)

    response = client.get(url("event-detail", members_event))

    assert "Change the event" not in response.text
    assert client.get(url("event-edit", members_event)).status_code == 403
