from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from msknet.core.charts import csv_safe
from msknet.core.confirm import confirm
from msknet.core.gate import gate, public
from msknet.members.models import Network
from msknet.members.permissions import Permission, has_permission, permissions_for

from .. import calendars, feeds, queries
from ..actions import events as actions
from ..forms import AttendanceForm, EventForm, MaterialForm
from ..models import Event, EventMaterial, RegistrationStatus


def load_event(*, network: Network, kwargs: dict[str, Any]) -> Event:
    return get_object_or_404(
        Event.objects.select_related("network", "organiser"),
        network=network, pk=kwargs.pop("pk"),
    )


def crumbs(network: Network, event: Event | None = None) -> list[tuple[str, str]]:
    trail = [
        (network.short_name, network.get_absolute_url()),
        ("Events", reverse("event-list", args=[network.slug])),
    ]
    if event is not None:
        trail.append((event.title, event.get_absolute_url()))
    return trail


def calendar_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@public
def event_list(request: HttpRequest, network: Network) -> HttpResponse:
    events = queries.with_own_status(
        queries.visible_events(request.user, network).with_counts(), request.user
    )
    now = timezone.now()
    context = {
        "network": network,
        "upcoming": events.upcoming(now),
        "past": events.past(now)[:20],
        "can_create": has_permission(request.user, Permission.CREATE_EVENT, network),
        "personal_feed": (
            reverse("event-feed-personal",
                    args=[network.slug, feeds.feed_token(request.user, network)])
            if Permission.VIEW_EVENT in permissions_for(request.user, network)
            else None
        ),
        "crumbs": [(network.short_name, network.get_absolute_url())],
    }
    return TemplateResponse(request, "community/event_list.html", context)


@public
def event_feed(request: HttpRequest, network: Network) -> HttpResponse:
    """Every event the reader may see, for calendar apps to subscribe to."""
    events = queries.visible_events(request.user, network).order_by("starts_at", "pk")
    return calendar_response(calendars.feed(network, events), f"{network.slug}-events.ics")


@public
def event_feed_personal(request: HttpRequest, network: Network, token: str) -> HttpResponse:
    """A member's own feed, members-only events included, for calendar apps."""
    user = feeds.feed_user(token, network)
    if user is None:
        raise Http404("This calendar link is not valid: copy it again from the events page")
    events = queries.visible_events(user, network).order_by("starts_at", "pk")
    return calendar_response(calendars.feed(network, events), f"{network.slug}-events.ics")


@gate(Permission.VIEW_EVENT, load=load_event, as_="event")
def event_detail(request: HttpRequest, network: Network, event: Event) -> HttpResponse:
    registration = queries.registration_for(request.user, event)
    can_manage = has_permission(request.user, Permission.MANAGE_EVENT, network, event)
    taken = queries.places_taken(event)
    context = {
        "network": network,
        "event": event,
        "registration": registration,
        "position": registration.waiting_position() if registration else None,
        "can_register": request.user.is_authenticated and has_permission(
            request.user, Permission.REGISTER_FOR_EVENT, network, event
        ),
        "can_manage": can_manage,
        "show_online_link": bool(event.online_url)
        and (can_manage or (registration is not None and registration.is_registered)),
        "started": event.has_started(),
        "finished": event.has_finished(),
        "places_left": None if event.capacity is None else max(event.capacity - taken, 0),
        "waiting_count": queries.waiting_list(event).count(),
        "materials": event.materials.all(),
        "crumbs": crumbs(network),
        "feedback": event_feedback(request, network, event),
    }
    return TemplateResponse(request, "community/event_detail.html", context)


def event_feedback(request: HttpRequest, network: Network, event: Event) -> list | None:
    """The event's feedback surveys at a glance, for those who run surveys."""
    if not has_permission(request.user, Permission.MANAGE_SURVEYS, network):
        return None
    from msknet.surveys.results_queries import event_feedback as feedback

    return feedback(event)


@gate(Permission.VIEW_EVENT, load=load_event, as_="event")
def event_invite(request: HttpRequest, network: Network, event: Event) -> HttpResponse:
    registration = queries.registration_for(request.user, event)
    with_link = (registration is not None and registration.is_registered) or (
        has_permission(request.user, Permission.MANAGE_EVENT, network, event)
    )
    text = calendars.invite(event, with_online_link=with_link)
    return calendar_response(text, f"{network.slug}-event-{event.pk}.ics")


@gate(Permission.REGISTER_FOR_EVENT, load=load_event, as_="event")
@require_POST
def event_register(request: HttpRequest, network: Network, event: Event) -> HttpResponse:
    try:
        registration = actions.register(event=event, by=request.user)
    except actions.RegistrationRefused as refused:
        messages.error(request, str(refused))
    else:
        if registration.is_registered:
            messages.success(request, "You are registered. We have emailed you the "
                             "details and a calendar invite.")
        else:
            messages.success(
                request, "The event is full, so you are on the waiting list at number "
                f"{registration.waiting_position()}. We will email you if a place "
                "comes free."
            )
    return redirect(event)


@gate(Permission.REGISTER_FOR_EVENT, load=load_event, as_="event")
def event_cancel(request: HttpRequest, network: Network, event: Event) -> HttpResponse:
    registration = queries.registration_for(request.user, event)
    if registration is None:
        messages.error(request, "You are not registered for this event.")
        return redirect(event)
    if request.method == "POST":
        try:
            actions.cancel_registration(registration=registration, by=request.user)
        except actions.RegistrationRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                "You have cancelled your place." if registration.is_registered
                else "You have left the waiting list.",
            )
        return redirect(event)
    context = {
        "network": network,
        "event": event,
        "registration": registration,
        "crumbs": crumbs(network, event),
    }
    return TemplateResponse(request, "community/event_cancel.html", context)


@gate(Permission.CREATE_EVENT)
def event_create(request: HttpRequest, network: Network) -> HttpResponse:
    form = EventForm(request.POST or None, network=network,
                     initial={"organiser": request.user})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["organiser"] = data["organiser"] or request.user
        event = actions.create_event(network=network, by=request.user, **data)
        messages.success(request, f"{event.title} is now listed.")
        return redirect(event)
    context = {"network": network, "form": form, "crumbs": crumbs(network)}
    return TemplateResponse(request, "community/event_form.html", context)


@gate(Permission.MANAGE_EVENT, load=load_event, as_="event")
def event_edit(request: HttpRequest, network: Network, event: Event) -> HttpResponse:
    form = EventForm(request.POST or None, instance=event, network=network)
    if request.method == "POST" and form.is_valid():
        # The form has written its values to `event`: the action compares
        # them with the stored row.
        actions.update_event(event=Event.objects.get(pk=event.pk), by=request.user,
                             **form.cleaned_data)
        messages.success(request, "Your changes are saved.")
        return redirect(event)
    context = {
        "network": network, "form": form, "event": event,
        "crumbs": crumbs(network, Event.objects.get(pk=event.pk)),
    }
    return TemplateResponse(request, "community/event_form.html", context)


@gate(Permission.MANAGE_EVENT, load=load_event, as_="event")
def event_registrations(
    request: HttpRequest, network: Network, event: Event
) -> HttpResponse:
    registrations = queries.registrations_with_shared_email(event)
    placed = [r for r in registrations if r.status == RegistrationStatus.REGISTERED]
    form = None
    if event.has_started():
        form = AttendanceForm(request.POST or None, registrations=placed)
        if request.method == "POST" and form.is_valid():
            changed = actions.record_attendance(
                event=event, by=request.user, attendance=form.attendance()
            )
            messages.success(request, f"Attendance saved ({changed} changed).")
            return redirect("event-registrations", network.slug, event.pk)
    context = {
        "network": network,
        "event": event,
        "placed": placed,
        "waiting": [r for r in registrations if r.status == RegistrationStatus.WAITING],
        "cancelled": [r for r in registrations
                      if r.status == RegistrationStatus.CANCELLED],
        "form": form,
        "crumbs": crumbs(network, event),
    }
    return TemplateResponse(request, "community/event_registrations.html", context)


@gate(Permission.MANAGE_EVENT, load=load_event, as_="event")
def event_registrations_csv(
    request: HttpRequest, network: Network, event: Event
) -> HttpResponse:
    """The registrants as CSV, with email addresses only where shared."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"registrations-{event.starts_at:%Y-%m-%d}-{event.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(["Name", "Email (if shared)", "Status", "Asked on",
                     "Attendance"])
    for registration in queries.registrations_with_shared_email(event):
        writer.writerow([csv_safe(cell) for cell in (
            registration.user.display_name,
            registration.shared_email or "",
            registration.get_status_display(),
            timezone.localtime(registration.queued_at).strftime("%Y-%m-%d %H:%M"),
            registration.get_attendance_display()
            if registration.status == RegistrationStatus.REGISTERED else "",
        )])
    return response


@gate(Permission.MANAGE_EVENT, load=load_event, as_="event")
def material_create(request: HttpRequest, network: Network, event: Event) -> HttpResponse:
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.add_material(
            event=event, by=request.user, kind=data["kind"], title=data["title"],
            url=data["url"], upload=data["file"] or None,
        )
        messages.success(request, f"{data['title']} is attached to the event.")
        return redirect(event)
    context = {"network": network, "event": event, "form": form,
               "crumbs": crumbs(network, event)}
    return TemplateResponse(request, "community/material_form.html", context)


@gate(Permission.MANAGE_EVENT, load=load_event, as_="event")
@require_http_methods(["GET", "POST"])
def material_remove(
    request: HttpRequest, network: Network, event: Event, material_pk: int
) -> HttpResponse:
    material = get_object_or_404(EventMaterial, event=event, pk=material_pk)
    if request.method != "POST":
        return confirm(
            request, question=f"Remove {material.title}?",
            explanation="It will no longer be attached to the event"
            + (", and its file will be deleted." if material.file else "."),
            button="Remove it", back_url=event.get_absolute_url(),
            crumbs=crumbs(network, event))
    actions.remove_material(material=material, by=request.user)
    messages.success(request, f"{material.title} is no longer attached to the event.")
    return redirect(event)


@gate(Permission.VIEW_EVENT, load=load_event, as_="event")
def material_file(
    request: HttpRequest, network: Network, event: Event, material_pk: int
) -> HttpResponse:
    material = get_object_or_404(EventMaterial, event=event, pk=material_pk)
    if not material.file:
        raise Http404("This material is a link, not a file")
    return file_response(material.file, material.file_name, material.content_type)


def file_response(file: Any, name: str, content_type: str) -> FileResponse:
    """A stored upload, always as a download with the type its check found."""
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing") from None
    response = FileResponse(handle, as_attachment=True, filename=name,
                            content_type=content_type)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


urlpatterns = [
    path("n/<slug:network_slug>/events/", event_list, name="event-list"),
    path("n/<slug:network_slug>/events/new/", event_create, name="event-create"),
    path("n/<slug:network_slug>/events/calendar.ics", event_feed, name="event-feed"),
    path("n/<slug:network_slug>/events/calendar/<str:token>.ics", event_feed_personal,
         name="event-feed-personal"),
    path("n/<slug:network_slug>/events/<int:pk>/", event_detail, name="event-detail"),
    path("n/<slug:network_slug>/events/<int:pk>/edit/", event_edit, name="event-edit"),
    path("n/<slug:network_slug>/events/<int:pk>/invite.ics", event_invite,
         name="event-invite"),
    path("n/<slug:network_slug>/events/<int:pk>/register/", event_register,
         name="event-register"),
    path("n/<slug:network_slug>/events/<int:pk>/cancel/", event_cancel,
         name="event-cancel"),
    path("n/<slug:network_slug>/events/<int:pk>/registrations/", event_registrations,
         name="event-registrations"),
    path("n/<slug:network_slug>/events/<int:pk>/registrations.csv",
         event_registrations_csv, name="event-registrations-csv"),
    path("n/<slug:network_slug>/events/<int:pk>/materials/new/", material_create,
         name="event-material-create"),
    path("n/<slug:network_slug>/events/<int:pk>/materials/<int:material_pk>/file",
         material_file, name="event-material-file"),
    path("n/<slug:network_slug>/events/<int:pk>/materials/<int:material_pk>/remove/",
         material_remove, name="event-material-remove"),
]
