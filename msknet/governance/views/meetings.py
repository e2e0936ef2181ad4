"""Meetings: arranging them, the agenda and its papers, attendance, minutes,
decisions and actions."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header

from msknet.core.gate import gate
from msknet.members.models import Network
from msknet.members.permissions import Permission, has_permission

from .. import actions, queries
from ..forms import (
    ActionForm,
    AgendaItemForm,
    AttendanceForm,
    DecisionForm,
    MeetingForm,
    PaperForm,
)
from ..models import AttendanceStatus, Group, Meeting, Paper
from .common import (
    group_crumbs,
    load_group,
    load_meeting,
    meeting_crumbs,
    network_crumbs,
)


@gate(Permission.VIEW_GOVERNANCE)
def meeting_list(request: HttpRequest, network: Network) -> HttpResponse:
    groups = list(network.groups.all())
    meetings = queries.meetings(network)
    group = next((g for g in groups if g.slug == request.GET.get("group")), None)
    if group is not None:
        meetings = meetings.filter(group=group)
    page = Paginator(meetings, 50).get_page(request.GET.get("page"))
    context = {"network": network, "page": page, "groups": groups, "group": group,
               "now": timezone.now(), "crumbs": network_crumbs(network)}
    return TemplateResponse(request, "governance/meeting_list.html", context)


@gate(Permission.RUN_GROUP_MEETINGS, load=load_group, as_="group")
def meeting_create(request: HttpRequest, network: Network, group: Group) -> HttpResponse:
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = actions.create_meeting(group=group, by=request.user,
                                         **form.cleaned_data)
        messages.success(request, f"{meeting.title} arranged. Add the agenda next.")
        return redirect(meeting)
    context = {"network": network, "group": group, "form": form,
               "crumbs": group_crumbs(group)}
    return TemplateResponse(request, "governance/meeting_form.html", context)


@gate(Permission.VIEW_GOVERNANCE)
def meeting_detail(request: HttpRequest, network: Network, meeting_pk: int
                   ) -> HttpResponse:
    meeting = queries.get_meeting(network, meeting_pk)
    attendance = list(meeting.attendance.select_related("user"))
    context = {
        "network": network,
        "meeting": meeting,
        "group": meeting.group,
        "items": meeting.agenda_items.select_related("owner").prefetch_related(
            "papers"),
        "present": [a.user for a in attendance if a.status == AttendanceStatus.PRESENT],
        "apologies": [a.user for a in attendance
                      if a.status == AttendanceStatus.APOLOGIES],
        "absent": [a.user for a in attendance if a.status == AttendanceStatus.ABSENT],
        "decisions": meeting.decisions.select_related("network", "item"),
        "actions": meeting.actions.select_related("owner", "network"),
        "today": timezone.localdate(),
        "may_run": has_permission(request.user, Permission.RUN_GROUP_MEETINGS,
                                  network, meeting),
        "crumbs": group_crumbs(meeting.group),
    }
    return TemplateResponse(request, "governance/meeting_detail.html", context)


@gate(Permission.RUN_GROUP_MEETINGS, load=load_meeting, as_="meeting")
def meeting_edit(request: HttpRequest, network: Network, meeting: Meeting
                 ) -> HttpResponse:
    initial = {name: getattr(meeting, name) for name in actions.MEETING_FIELDS}
    for name in ("starts_at", "ends_at"):
        if initial[name] is not None:
            initial[name] = timezone.localtime(initial[name])
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.update_meeting(meeting=meeting, by=request.user, **form.cleaned_data)
        messages.success(request, f"{meeting.title} saved.")
        return redirect(meeting)
    context = {"network": network, "group": meeting.group, "meeting": meeting,
               "form": form, "crumbs": meeting_crumbs(meeting)}
    return TemplateResponse(request, "governance/meeting_form.html", context)


@gate(Permission.RUN_GROUP_MEETINGS, load=load_meeting, as_="meeting")
def meeting_attendance(request: HttpRequest, network: Network, meeting: Meeting
                       ) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = AttendanceForm(data, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        actions.record_attendance(meeting=meeting, by=request.user,
                                  statuses=form.statuses())
        messages.success(request, "Attendance saved.")
        return redirect(meeting)
    context = {"network": network, "meeting": meeting, "form": form,
               "crumbs": meeting_crumbs(meeting)}
    return TemplateResponse(request, "governance/meeting_attendance.html", context)


@gate(Permission.RUN_GROUP_MEETINGS, load=load_meeting, as_="meeting")
def agenda_item_create(request: HttpRequest, network: Network, meeting: Meeting
                       ) -> HttpResponse:
    form = AgendaItemForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        item = actions.save_agenda_item(meeting=meeting, by=request.user,
                                        **form.cleaned_data)
        messages.success(request, f"Item {item.position} added to the agenda.")
        return redirect(meeting)
    context = {"network": network, "meeting": meeting, "form": form, "item": None,
               "crumbs": meeting_crumbs(meeting)}
    return TemplateResponse(request, "governance/agenda_item_form.html", context)


@gate(Permission.RUN_GROUP_MEETINGS, load=load_meeting, as_="meeting")
def agenda_item_edit(request: HttpRequest, network: Network, meeting: Meeting,
                     item_pk: int) -> HttpResponse:
    item = get_object_or_404(meeting.agenda_items.prefetch_related("papers"),
                             pk=item_pk)
    form = AgendaItemForm(request.POST or None, network=network, initial={
        "title": item.title, "position": item.position, "owner": item.owner_id,
        "minutes": item.minutes})
    if request.method == "POST" and form.is_valid():
        actions.save_agenda_item(meeting=meeting, by=request.user, item=item,
                                 **form.cleaned_data)
        messages.success(request, f"Item {item.position} saved.")
        return redirect(meeting)
    context = {"network": network, "meeting": meeting, "form": form, "item": item,
               "paper_form": PaperForm(), "crumbs": meeting_crumbs(meeting)}
    return TemplateResponse(request, "governance/agenda_item_form.html", context)


@gate(Permission.RUN_GROUP_MEETINGS, load=load_meeting, as_="meeting")
def paper_upload(request: HttpRequest, network: Network, meeting: Meeting,
                 item_pk: int) -> HttpResponse:
    item = get_object_or_404(meeting.agenda_items, pk=item_pk)
    form = PaperForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        paper = actions.add_paper(item=item, by=request.user,
                                  upload=form.cleaned_data["file"])
        messages.success(request, f"{paper.file_name} attached to item "
                         f"{item.position}.")
        return redirect(meeting)
    context = {"network": network, "meeting": meeting, "item": item, "form": form,
               "crumbs": meeting_crumbs(meeting)}
    return TemplateResponse(request, "governance/paper_upload.html", context)


@gate(Permission.VIEW_GOVERNANCE)
def paper_download(request: HttpRequest, network: Network, meeting_pk: int,
                   paper_pk: int) -> HttpResponse:
    paper = get_object_or_404(
        Paper.objects.filter(item__meeting__group__network=network,
                             item__meeting_id=meeting_pk),
        pk=paper_pk,
    )
    # Papers are at most 20 MB: read whole, so no file is left open when a
    # client stops reading.
    try:
        with paper.file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        raise Http404("The paper's file is missing") from None
    content_type = mimetypes.guess_type(paper.file_name)[0]
    return HttpResponse(content, content_type=content_type or "application/octet-stream",
                        headers={"Content-Disposition": content_disposition_header(
                            as_attachment=True, filename=paper.file_name)})


@gate(Permission.RUN_GROUP_MEETINGS, load=load_meeting, as_="meeting")
def decision_create(request: HttpRequest, network: Network, meeting: Meeting
                    ) -> HttpResponse:
    form = DecisionForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        decision = actions.record_decision(meeting=meeting, by=request.user,
                                           **form.cleaned_data)
        messages.success(request, f"Decision {decision.reference} recorded.")
        return redirect(meeting)
    context = {"network": network, "meeting": meeting, "form": form,
               "crumbs": meeting_crumbs(meeting)}
    return TemplateResponse(request, "governance/decision_form.html", context)


@gate(Permission.RUN_GROUP_MEETINGS, load=load_meeting, as_="meeting")
def action_create(request: HttpRequest, network: Network, meeting: Meeting
                  ) -> HttpResponse:
    form = ActionForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        action = actions.record_action(meeting=meeting, by=request.user,
                                       **form.cleaned_data)
        messages.success(request, f"Action for {action.owner.display_name} recorded.")
        return redirect(meeting)
    context = {"network": network, "meeting": meeting, "form": form,
               "crumbs": meeting_crumbs(meeting)}
    return TemplateResponse(request, "governance/action_form.html", context)


M = "n/<slug:network_slug>/meetings/"
urlpatterns = [
    path(M, meeting_list, name="meeting-list"),
    path("n/<slug:network_slug>/groups/<slug:group_slug>/meetings/new/",
         meeting_create, name="meeting-create"),
    path(f"{M}<int:meeting_pk>/", meeting_detail, name="meeting-detail"),
    path(f"{M}<int:meeting_pk>/edit/", meeting_edit, name="meeting-edit"),
    path(f"{M}<int:meeting_pk>/attendance/", meeting_attendance,
         name="meeting-attendance"),
    path(f"{M}<int:meeting_pk>/items/new/", agenda_item_create,
         name="agenda-item-create"),
    path(f"{M}<int:meeting_pk>/items/<int:item_pk>/", agenda_item_edit,
         name="agenda-item-edit"),
    path(f"{M}<int:meeting_pk>/items/<int:item_pk>/papers/", paper_upload,
         name="paper-upload"),
    path(f"{M}<int:meeting_pk>/papers/<int:paper_pk>/", paper_download,
         name="paper-download"),
    path(f"{M}<int:meeting_pk>/decisions/new/", decision_create,
         name="decision-create"),
    path(f"{M}<int:meeting_pk>/actions/new/", action_create, name="action-create"),
]
