"""Leads' pages for the network itself: its about page, topics and members."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from msknet.core import tasks
from msknet.core.forms import with_article
from msknet.core.gate import gate

from ..actions import memberships as membership_actions
from ..actions import networks as actions
from ..forms.manage import NetworkForm, RoleForm, TopicForm
from ..models import Network, Role
from ..permissions import Permission


def crumbs(network: Network) -> list[tuple[str, str]]:
    return [(network.short_name, network.get_absolute_url())]


@gate(Permission.EDIT_NETWORK)
def network_edit(request: HttpRequest, network: Network) -> HttpResponse:
    form = NetworkForm(request.POST or None, instance=Network.objects.get(pk=network.pk))
    if request.method == "POST" and form.is_valid():
        actions.update_network(network=network, by=request.user, **form.cleaned_data)
        messages.success(request, "The network's details are saved.")
        return redirect("network-about", network_slug=network.slug)
    context = {"network": network, "form": form, "crumbs": crumbs(network),
               "topics": network.topics.all(), "topic_form": TopicForm(network=network)}
    return TemplateResponse(request, "members/manage/network_edit.html", context)


@gate(Permission.EDIT_NETWORK)
def topic_create(request: HttpRequest, network: Network) -> HttpResponse:
    form = TopicForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        actions.add_topic(network=network, by=request.user, **form.cleaned_data)
        messages.success(request, f"Topic '{form.cleaned_data['name']}' added.")
        return redirect("network-edit", network_slug=network.slug)
    context = {"network": network, "form": form, "crumbs": crumbs(network)}
    return TemplateResponse(request, "members/manage/topic_create.html", context)


@gate(Permission.MANAGE_MEMBERS)
def member_list(request: HttpRequest, network: Network) -> HttpResponse:
    memberships = (
        network.memberships.active().select_related("user").order_by("user__full_name")
    )
    q = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    if q:
        memberships = memberships.filter(
            Q(user__full_name__icontains=q) | Q(user__email__icontains=q)
        )
    if role in Role.values:
        memberships = memberships.filter(role=role)
    page = Paginator(memberships, 50).get_page(request.GET.get("page"))
    context = {"network": network, "page": page, "q": q, "role": role,
               "roles": Role.choices, "crumbs": crumbs(network)}
    return TemplateResponse(request, "members/manage/member_list.html", context)


@gate(Permission.MANAGE_MEMBERS)
def member_role(request: HttpRequest, network: Network, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        network.memberships.active().select_related("user"), pk=pk
    )
    form = RoleForm(request.POST or None, initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        try:
            membership_actions.change_role(
                membership=membership, role=form.cleaned_data["role"], by=request.user
            )
        except membership_actions.LastLead:
            form.add_error("role", "The network needs at least one lead: make someone "
                           "else a lead first")
        else:
            messages.success(request, f"{membership.user.display_name} is now "
                             f"{with_article(Role(membership.role).label.lower())}.")
            return redirect("member-list", network_slug=network.slug)
    context = {
        "network": network, "membership": membership, "form": form,
        "crumbs": [*crumbs(network),
                   ("Members", reverse("member-list", args=[network.slug]))],
    }
    return TemplateResponse(request, "members/manage/member_role.html", context)


#: Failed tasks shown on a page; older ones are counted.
FAILED_TASKS_SHOWN = 100


@gate(Permission.VIEW_FAILED_TASKS)
def failed_tasks(request: HttpRequest, network: Network) -> HttpResponse:
    failures = tasks.failed_tasks(network.pk)
    shown = [
        {"name": f.name, "stopped": f.stopped, "error": tasks.short_error(f.result)}
        for f in failures.only("name", "stopped", "result")[:FAILED_TASKS_SHOWN]
    ]
    context = {
        "network": network,
        "failures": shown,
        "more": max(failures.count() - len(shown), 0) if shown else 0,
        "crumbs": crumbs(network),
    }
    return TemplateResponse(request, "members/manage/failed_tasks.html", context)


urlpatterns = [
    path("n/<slug:network_slug>/manage/about/", network_edit, name="network-edit"),
    path("n/<slug:network_slug>/manage/topics/new/", topic_create, name="topic-create"),
    path("n/<slug:network_slug>/manage/members/", member_list, name="member-list"),
    path("n/<slug:network_slug>/manage/failed-tasks/", failed_tasks, name="failed-tasks"),
    path("n/<slug:network_slug>/manage/members/<int:pk>/role/", member_role,
         name="member-role"),
]
