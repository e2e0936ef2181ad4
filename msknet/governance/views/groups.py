"""Groups, their members and their terms of reference."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from msknet.core.confirm import confirm
from msknet.core.forms import with_article
from msknet.core.gate import gate
from msknet.members.models import Network, Role
from msknet.members.permissions import Permission, has_permission

from .. import actions, queries
from ..diff import diff_text
from ..forms import (
    GroupCreateForm,
    GroupForm,
    GroupMemberForm,
    TermsApproveForm,
    TermsDraftForm,
)
from ..models import Group, GroupKind, GroupRole, TermsStatus
from .common import group_crumbs, load_group, network_crumbs


@gate(Permission.VIEW_GOVERNANCE)
def group_list(request: HttpRequest, network: Network) -> HttpResponse:
    context = {
        "network": network,
        "groups": queries.groups(network),
        "crumbs": network_crumbs(network),
    }
    return TemplateResponse(request, "governance/group_list.html", context)


@gate(Permission.MANAGE_GROUPS)
def group_create(request: HttpRequest, network: Network) -> HttpResponse:
    form = GroupCreateForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        group = actions.create_group(network=network, by=request.user,
                                     **form.cleaned_data)
        messages.success(request, f"{group.name} created.")
        return redirect(group)
    context = {"network": network, "form": form, "crumbs": [
        *network_crumbs(network), ("Groups", reverse("group-list", args=[network.slug]))
    ]}
    return TemplateResponse(request, "governance/group_create.html", context)


@gate(Permission.VIEW_GOVERNANCE, load=load_group, as_="group")
def group_detail(request: HttpRequest, network: Network, group: Group) -> HttpResponse:
    memberships = list(group.memberships.all())
    not_in_group = []
    if group.kind == GroupKind.STEERING:
        # The steering group's members are managed here; members with the
        # network's steering or lead role who are not yet in it are shown to
        # leads, so the two stay in step.
        in_group = {m.user_id for m in memberships}
        not_in_group = [
            m.user for m in network.memberships.active()
            .filter(role__in=[Role.STEERING, Role.LEAD]).select_related("user")
            if m.user_id not in in_group
        ]
    context = {
        "network": network,
        "group": group,
        "memberships": memberships,
        "not_in_group": not_in_group,
        "terms": queries.current_terms(group),
        "draft": group.terms_versions.filter(status=TermsStatus.DRAFT).first(),
        "meetings": group.meetings.all()[:20],
        "may_run": has_permission(request.user, Permission.RUN_GROUP_MEETINGS,
                                  network, group),
        "crumbs": group_crumbs(group)[:-1],
    }
    return TemplateResponse(request, "governance/group_detail.html", context)


@gate(Permission.MANAGE_GROUPS)
def group_edit(request: HttpRequest, network: Network, group_slug: str) -> HttpResponse:
    group = queries.get_group(network, group_slug)
    form = GroupForm(request.POST or None, network=network, group=group,
                     initial={"name": group.name, "purpose": group.purpose})
    if request.method == "POST" and form.is_valid():
        actions.update_group(group=group, by=request.user, **form.cleaned_data)
        messages.success(request, f"{group.name} saved.")
        return redirect(group)
    context = {"network": network, "group": group, "form": form,
               "crumbs": group_crumbs(group)}
    return TemplateResponse(request, "governance/group_edit.html", context)


@gate(Permission.MANAGE_GROUPS)
def group_member_add(
    request: HttpRequest, network: Network, group_slug: str
) -> HttpResponse:
    group = queries.get_group(network, group_slug)
    form = GroupMemberForm(request.POST or None, network=network,
                           initial={"user": request.GET.get("user")})
    if request.method == "POST" and form.is_valid():
        user = form.cleaned_data["user"]
        actions.set_group_member(group=group, by=request.user, user=user,
                                 role=form.cleaned_data["role"])
        role = GroupRole(form.cleaned_data["role"]).label.lower()
        messages.success(request, f"{user.display_name} is {role} of {group.name}.")
        return redirect(group)
    context = {"network": network, "group": group, "form": form,
               "crumbs": group_crumbs(group)}
    return TemplateResponse(request, "governance/group_member_add.html", context)


@gate(Permission.MANAGE_GROUPS)
@require_http_methods(["GET", "POST"])
def group_member_remove(
    request: HttpRequest, network: Network, group_slug: str, user_pk: int
) -> HttpResponse:
    group = queries.get_group(network, group_slug)
    membership = get_object_or_404(group.memberships.select_related("user"),
                                   user_id=user_pk)
    role = membership.get_role_display().lower()
    if request.method != "POST":
        return confirm(
            request,
            question=f"Remove {membership.user.display_name} from {group.name}?",
            explanation=f"They will no longer be {with_article(role)} of the "
            "group. You can add them again later.",
            button="Remove them", back_url=group.get_absolute_url(),
            crumbs=group_crumbs(group))
    actions.remove_group_member(group=group, by=request.user, user=membership.user)
    messages.success(request, f"{membership.user.display_name} removed from "
                     f"{group.name}.")
    return redirect(group)


# Terms of reference ---------------------------------------------------------


@gate(Permission.VIEW_GOVERNANCE, load=load_group, as_="group")
def terms_list(request: HttpRequest, network: Network, group: Group) -> HttpResponse:
    versions = list(group.terms_versions.select_related("approval_recorded_by"))
    context = {
        "network": network, "group": group, "versions": versions,
        "may_run": has_permission(request.user, Permission.RUN_GROUP_MEETINGS,
                                  network, group),
        "crumbs": group_crumbs(group),
    }
    return TemplateResponse(request, "governance/terms_list.html", context)


@gate(Permission.VIEW_GOVERNANCE, load=load_group, as_="group")
def terms_detail(
    request: HttpRequest, network: Network, group: Group, number: int
) -> HttpResponse:
    terms = get_object_or_404(
        group.terms_versions.select_related("approval_recorded_by"), number=number
    )
    previous = group.terms_versions.filter(number__lt=number).order_by("-number").first()
    context = {
        "network": network, "group": group, "terms": terms, "previous": previous,
        "may_run": has_permission(request.user, Permission.RUN_GROUP_MEETINGS,
                                  network, group),
        "crumbs": [*group_crumbs(group), ("Terms of reference",
                   reverse("terms-list", args=[network.slug, group.slug]))],
    }
    return TemplateResponse(request, "governance/terms_detail.html", context)


@gate(Permission.RUN_GROUP_MEETINGS, load=load_group, as_="group")
def terms_edit(request: HttpRequest, network: Network, group: Group) -> HttpResponse:
    """Edit the draft, or start one from the latest version."""
    draft = group.terms_versions.filter(status=TermsStatus.DRAFT).first()
    start = draft or group.terms_versions.order_by("-number").first()
    initial = {"text": start.text if start else "",
               "change_summary": draft.change_summary if draft else ""}
    form = TermsDraftForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        terms = actions.save_terms_draft(group=group, by=request.user,
                                         **form.cleaned_data)
        messages.success(request, f"Draft version {terms.number} saved.")
        return redirect(terms)
    context = {"network": network, "group": group, "form": form, "draft": draft,
               "crumbs": [*group_crumbs(group), ("Terms of reference",
                          reverse("terms-list", args=[network.slug, group.slug]))]}
    return TemplateResponse(request, "governance/terms_edit.html", context)


@gate(Permission.APPROVE_TERMS)
def terms_approve(
    request: HttpRequest, network: Network, group_slug: str, number: int
) -> HttpResponse:
    group = queries.get_group(network, group_slug)
    terms = get_object_or_404(group.terms_versions, number=number,
                              status=TermsStatus.DRAFT)
    steering = network.groups.filter(kind=GroupKind.STEERING).first()
    form = TermsApproveForm(request.POST or None, initial={
        "approved_by_group": steering.name if steering else group.name})
    if request.method == "POST" and form.is_valid():
        actions.approve_terms(terms=terms, by=request.user, **form.cleaned_data)
        messages.success(request, f"Version {terms.number} recorded as approved.")
        return redirect(terms)
    context = {"network": network, "group": group, "terms": terms, "form": form,
               "crumbs": [*group_crumbs(group), (f"Version {terms.number}",
                          terms.get_absolute_url())]}
    return TemplateResponse(request, "governance/terms_approve.html", context)


@gate(Permission.VIEW_GOVERNANCE, load=load_group, as_="group")
def terms_compare(request: HttpRequest, network: Network, group: Group) -> HttpResponse:
    versions = list(group.terms_versions.order_by("number"))
    by_number = {v.number: v for v in versions}

    def chosen(name: str, default: int | None) -> int | None:
        value = request.GET.get(name, "")
        return int(value) if value.isdigit() and int(value) in by_number else default

    newest = versions[-1].number if versions else None
    older = versions[-2].number if len(versions) > 1 else newest
    a, b = chosen("from", older), chosen("to", newest)
    diff = None
    if a is not None and b is not None:
        diff = diff_text(by_number[a].text, by_number[b].text)
    context = {
        "network": network, "group": group, "versions": versions,
        "a": by_number.get(a), "b": by_number.get(b), "diff": diff,
        "crumbs": [*group_crumbs(group), ("Terms of reference",
                   reverse("terms-list", args=[network.slug, group.slug]))],
    }
    return TemplateResponse(request, "governance/terms_compare.html", context)


G = "n/<slug:network_slug>/groups/"
urlpatterns = [
    path(G, group_list, name="group-list"),
    path(f"{G}new/", group_create, name="group-create"),
    path(f"{G}<slug:group_slug>/", group_detail, name="group-detail"),
    path(f"{G}<slug:group_slug>/edit/", group_edit, name="group-edit"),
    path(f"{G}<slug:group_slug>/members/add/", group_member_add,
         name="group-member-add"),
    path(f"{G}<slug:group_slug>/members/<int:user_pk>/remove/", group_member_remove,
         name="group-member-remove"),
    path(f"{G}<slug:group_slug>/terms/", terms_list, name="terms-list"),
    path(f"{G}<slug:group_slug>/terms/draft/", terms_edit, name="terms-edit"),
    path(f"{G}<slug:group_slug>/terms/compare/", terms_compare, name="terms-compare"),
    path(f"{G}<slug:group_slug>/terms/<int:number>/", terms_detail,
         name="terms-detail"),
    path(f"{G}<slug:group_slug>/terms/<int:number>/approve/", terms_approve,
         name="terms-approve"),
]
