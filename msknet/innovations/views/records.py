"""The innovation record: the catalogue, an innovation's page, proposing (members
and the public form), review, changes, triage moves, evidence, files, measures
and following."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from msknet.community.views.events import file_response
from msknet.core.confirm import confirm
from msknet.core.gate import gate, public
from msknet.members import ratelimits
from msknet.members.models import Network
from msknet.members.permissions import Permission, has_permission

from .. import catalogue_csv, detail_parts, queries
from ..actions import records as actions
from ..actions.common import Refused
from ..forms import (
    AttachmentForm,
    CatalogueFilterForm,
    EvidenceForm,
    InnovationForm,
    MeasureForm,
    ReviewForm,
    StageForm,
    SuggestionForm,
    stage_moves,
)
from ..models import Innovation, InnovationMeasure
from .common import crumbs, load_innovation

PAGE_SIZE = 20


def refused_into(form: Any, refused: Refused) -> None:
    """Put a refusal beside its field when the form has it, else on top."""
    field = refused.field if refused.field in form.fields else None
    form.add_error(field, str(refused))


def catalogue_filters(request: HttpRequest, network: Network
                      ) -> tuple[CatalogueFilterForm, queries.Filters]:
    form = CatalogueFilterForm(request.GET or None, network=network,
                               stages=queries.stage_choices(request.user, network))
    filters = queries.Filters()
    if form.is_valid():
        data = form.cleaned_data
        filters = queries.Filters(q=data["q"].strip(), kind=data["kind"],
                                  stage=data["stage"], priority=data["priority"],
                                  icb=data["icb"])
    return form, filters


@public
def innovation_list(request: HttpRequest, network: Network) -> HttpResponse:
    form, filters = catalogue_filters(request, network)
    innovations = queries.catalogue(request.user, network, filters)
    page = Paginator(innovations, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    user = request.user
    manages = has_permission(user, Permission.MANAGE_INNOVATIONS, network)
    context = {
        "network": network,
        "form": form,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(
            page.number, on_each_side=2, on_ends=1),
        "params": params.urlencode(),
        "members_view": queries.sees_every_stage(user, network),
        "may_propose": has_permission(user, Permission.PROPOSE_INNOVATION, network),
        "awaiting_review": queries.awaiting_review(network).count() if manages
        else None,
        # Where else members go from here: the spread, and screening for
        # the panel and those who see its ranking.
        "may_see_spread": has_permission(user, Permission.VIEW_INNOVATIONS, network),
        "may_screen": has_permission(user, Permission.SCORE_INNOVATIONS, network,
                                     network)
        or has_permission(user, Permission.VIEW_INNOVATION_RESULTS, network),
        "manages": manages,
        "crumbs": [(network.short_name, network.get_absolute_url())],
    }
    return TemplateResponse(request, "innovations/innovation_list.html", context)


@public
def catalogue_download(request: HttpRequest, network: Network) -> HttpResponse:
    _, filters = catalogue_filters(request, network)
    innovations = queries.for_export(queries.catalogue(request.user, network, filters))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"innovations-{network.slug}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    catalogue_csv.write(response, innovations, settings.SITE_URL)
    return response


@gate(Permission.VIEW_INNOVATION, load=load_innovation, as_="innovation")
def innovation_detail(request: HttpRequest, network: Network,
                      innovation: Innovation) -> HttpResponse:
    user = request.user
    may_edit = has_permission(user, Permission.EDIT_INNOVATION, network, innovation)
    manages = has_permission(user, Permission.MANAGE_INNOVATIONS, network)
    context = {
        "network": network,
        "innovation": innovation,
        "serves": innovation.serves.select_related("icb", "network"),
        "evidence": innovation.evidence.all(),
        "attachments": innovation.attachments.all(),
        "measures": innovation.measures.all(),
        "stage_changes": innovation.stage_changes.select_related(
            "by", "meeting__group__network"),
        "members_view": queries.sees_every_stage(user, network),
        "may_edit": may_edit,
        "may_move": manages and bool(stage_moves(innovation))
        and not innovation.awaiting_review,
        "may_review": manages and innovation.awaiting_review,
        "may_follow": has_permission(user, Permission.FOLLOW_INNOVATION, network),
        "following": queries.is_following(innovation, user),
        "crumbs": crumbs(network),
    }
    context.update(detail_parts.screening_context(innovation, user))
    context.update(detail_parts.adoption_context(innovation, user))
    return TemplateResponse(request, "innovations/innovation_detail.html", context)


@gate(Permission.PROPOSE_INNOVATION)
def innovation_propose(request: HttpRequest, network: Network) -> HttpResponse:
    form = InnovationForm(request.POST if request.method == "POST" else None,
                          network=network)
    if request.method == "POST" and form.is_valid():
        try:
            innovation = actions.propose(network=network, by=request.user,
                                         **form.action_fields())
        except Refused as refused:
            refused_into(form, refused)
        else:
            messages.success(request, f"{innovation.name} is proposed. The network's "
                             "leads will look at it, and you will hear when it "
                             "moves on.")
            return redirect(innovation)
    context = {"network": network, "form": form, "crumbs": crumbs(network)}
    return TemplateResponse(request, "innovations/innovation_form.html", context)


@public
def innovation_suggest(request: HttpRequest, network: Network) -> HttpResponse:
    form = SuggestionForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            actions.suggest(network=network, client=ratelimits.client_address(request),
                            **form.cleaned_data)
        except actions.TooManySuggestions as refused:
            form.add_error(None, str(refused))
            status = 429
        except Refused as refused:
            refused_into(form, refused)
        else:
            return redirect("innovation-suggest-sent", network_slug=network.slug)
    context = {"network": network, "form": form, "crumbs": crumbs(network)}
    return TemplateResponse(request, "innovations/suggest_form.html", context,
                            status=status)


@public
def innovation_suggest_sent(request: HttpRequest, network: Network) -> HttpResponse:
    context = {"network": network, "crumbs": crumbs(network)}
    return TemplateResponse(request, "innovations/suggest_sent.html", context)


@gate(Permission.MANAGE_INNOVATIONS)
def review_list(request: HttpRequest, network: Network) -> HttpResponse:
    context = {"network": network, "proposals": queries.awaiting_review(network),
               "crumbs": crumbs(network)}
    return TemplateResponse(request, "innovations/review_list.html", context)


@gate(Permission.MANAGE_INNOVATIONS, load=load_innovation, as_="innovation")
def review_decide(request: HttpRequest, network: Network,
                  innovation: Innovation) -> HttpResponse:
    if not innovation.awaiting_review:
        raise Http404("This proposal has been reviewed")
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        name = innovation.name
        try:
            if form.cleaned_data["decision"] == "accept":
                actions.accept_proposal(innovation=innovation, by=request.user)
                messages.success(request, f"{name} is accepted: it is now a "
                                 "proposed innovation members can see.")
                return redirect(innovation)
            actions.turn_away_proposal(innovation=innovation, by=request.user,
                                       reason=form.cleaned_data["reason"])
        except Refused as refused:
            refused_into(form, refused)
        else:
            messages.success(request, f"{name} is turned away and deleted.")
            return redirect("innovation-review", network_slug=network.slug)
    context = {"network": network, "innovation": innovation, "form": form,
               "crumbs": [*crumbs(network),
                          ("Proposals to review",
                           reverse("innovation-review", args=[network.slug]))]}
    return TemplateResponse(request, "innovations/review_decide.html", context)


@gate(Permission.EDIT_INNOVATION, load=load_innovation, as_="innovation")
def innovation_edit(request: HttpRequest, network: Network,
                    innovation: Innovation) -> HttpResponse:
    stored = Innovation.objects.get(pk=innovation.pk)
    form = InnovationForm(request.POST if request.method == "POST" else None,
                          instance=innovation, network=network)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_innovation(innovation=stored, by=request.user,
                                      **form.action_fields())
        except Refused as refused:
            refused_into(form, refused)
        else:
            messages.success(request, "Your changes are saved.")
            return redirect(stored)
    context = {"network": network, "form": form, "innovation": stored,
               "crumbs": crumbs(network, stored)}
    return TemplateResponse(request, "innovations/innovation_form.html", context)


@gate(Permission.MANAGE_INNOVATIONS, load=load_innovation, as_="innovation")
def innovation_stage(request: HttpRequest, network: Network,
                     innovation: Innovation) -> HttpResponse:
    form = StageForm(request.POST if request.method == "POST" else None,
                     innovation=innovation)
    moves = stage_moves(innovation)
    if request.method == "POST" and moves and form.is_valid():
        try:
            change = actions.change_stage(innovation=innovation, by=request.user,
                                          **form.cleaned_data)
        except Refused as refused:
            refused_into(form, refused)
        else:
            messages.success(request, f"{innovation.name} is now "
                             f"{change.get_stage_to_display().lower()}.")
            return redirect(innovation)
    context = {"network": network, "innovation": innovation, "form": form,
               "moves": moves, "crumbs": crumbs(network, innovation)}
    return TemplateResponse(request, "innovations/stage_form.html", context)


@gate(Permission.EDIT_INNOVATION, load=load_innovation, as_="innovation")
def evidence_add(request: HttpRequest, network: Network,
                 innovation: Innovation) -> HttpResponse:
    form = EvidenceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        actions.add_evidence(innovation=innovation, by=request.user,
                             **form.cleaned_data)
        messages.success(request, "The evidence is added.")
        return redirect(f"{innovation.get_absolute_url()}#evidence")
    context = {"network": network, "innovation": innovation, "form": form,
               "heading": "Add evidence", "button": "Add the evidence",
               "crumbs": crumbs(network, innovation)}
    return TemplateResponse(request, "innovations/part_form.html", context)


@gate(Permission.EDIT_INNOVATION, load=load_innovation, as_="innovation")
def evidence_remove(request: HttpRequest, network: Network, innovation: Innovation,
                    evidence_id: int) -> HttpResponse:
    evidence = get_object_or_404(innovation.evidence, pk=evidence_id)
    if request.method == "POST":
        actions.remove_evidence(evidence=evidence, by=request.user)
        messages.success(request, f"'{evidence.title}' is removed.")
        return redirect(f"{innovation.get_absolute_url()}#evidence")
    return confirm(
        request, question=f"Remove '{evidence.title}'?",
        explanation="The link is removed from the innovation's evidence.",
        button="Remove the evidence", back_url=innovation.get_absolute_url(),
        crumbs=crumbs(network, innovation),
    )


@gate(Permission.EDIT_INNOVATION, load=load_innovation, as_="innovation")
def attachment_add(request: HttpRequest, network: Network,
                   innovation: Innovation) -> HttpResponse:
    posted = request.method == "POST"
    form = AttachmentForm(request.POST if posted else None,
                          request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            actions.add_attachment(innovation=innovation, by=request.user,
                                   title=form.cleaned_data["title"],
                                   upload=form.cleaned_data["file"])
        except Refused as refused:
            refused_into(form, refused)
        else:
            messages.success(request, "The document is attached.")
            return redirect(f"{innovation.get_absolute_url()}#files")
    context = {"network": network, "innovation": innovation, "form": form,
               "heading": "Attach a document", "button": "Attach the document",
               "multipart": True, "crumbs": crumbs(network, innovation)}
    return TemplateResponse(request, "innovations/part_form.html", context)


@gate(Permission.VIEW_INNOVATION, load=load_innovation, as_="innovation")
def attachment_download(request: HttpRequest, network: Network,
                        innovation: Innovation, attachment_id: int) -> HttpResponse:
    attachment = get_object_or_404(innovation.attachments, pk=attachment_id)
    return file_response(attachment.file, attachment.filename, attachment.content_type)


@gate(Permission.EDIT_INNOVATION, load=load_innovation, as_="innovation")
def attachment_remove(request: HttpRequest, network: Network, innovation: Innovation,
                      attachment_id: int) -> HttpResponse:
    attachment = get_object_or_404(innovation.attachments, pk=attachment_id)
    if request.method == "POST":
        actions.remove_attachment(attachment=attachment, by=request.user)
        messages.success(request, f"'{attachment.title}' is removed.")
        return redirect(f"{innovation.get_absolute_url()}#files")
    return confirm(
        request, question=f"Remove '{attachment.title}'?",
        explanation="The document is deleted. You cannot undo this.",
        button="Remove the document", back_url=innovation.get_absolute_url(),
        crumbs=crumbs(network, innovation),
    )


def measure_form(request: HttpRequest, network: Network, innovation: Innovation,
                 measure: InnovationMeasure | None) -> HttpResponse:
    form = MeasureForm(request.POST if request.method == "POST" else None,
                       instance=measure, innovation=innovation)
    if request.method == "POST" and form.is_valid():
        try:
            if measure is None:
                actions.add_measure(innovation=innovation, by=request.user,
                                    **form.cleaned_data)
            else:
                actions.update_measure(measure=measure, by=request.user,
                                       **form.cleaned_data)
        except Refused as refused:
            refused_into(form, refused)
        else:
            messages.success(request, "The measure is saved.")
            return redirect(f"{innovation.get_absolute_url()}#measures")
    context = {"network": network, "innovation": innovation, "form": form,
               "heading": "Add a measure" if measure is None else "Change the measure",
               "button": "Save the measure", "crumbs": crumbs(network, innovation),
               "intro": "Measures a spread project starts with, so every site "
               "measures the same way."}
    return TemplateResponse(request, "innovations/part_form.html", context)


@gate(Permission.EDIT_INNOVATION, load=load_innovation, as_="innovation")
def measure_add(request: HttpRequest, network: Network,
                innovation: Innovation) -> HttpResponse:
    return measure_form(request, network, innovation, None)


@gate(Permission.EDIT_INNOVATION, load=load_innovation, as_="innovation")
def measure_edit(request: HttpRequest, network: Network, innovation: Innovation,
                 measure_id: int) -> HttpResponse:
    measure = get_object_or_404(innovation.measures, pk=measure_id)
    return measure_form(request, network, innovation, measure)


@gate(Permission.EDIT_INNOVATION, load=load_innovation, as_="innovation")
def measure_remove(request: HttpRequest, network: Network, innovation: Innovation,
                   measure_id: int) -> HttpResponse:
    measure = get_object_or_404(innovation.measures, pk=measure_id)
    if request.method == "POST":
        actions.remove_measure(measure=measure, by=request.user)
        messages.success(request, f"'{measure.name}' is removed.")
        return redirect(f"{innovation.get_absolute_url()}#measures")
    return confirm(
        request, question=f"Remove the measure '{measure.name}'?",
        explanation="Spread projects started from now on will not include it.",
        button="Remove the measure", back_url=innovation.get_absolute_url(),
        crumbs=crumbs(network, innovation),
    )


def _visible_or_404(request: HttpRequest, network: Network,
                    innovation: Innovation) -> None:
    if not has_permission(request.user, Permission.VIEW_INNOVATION, network,
                          innovation):
        raise Http404("No such innovation")


@gate(Permission.FOLLOW_INNOVATION, load=load_innovation, as_="innovation")
@require_POST
def innovation_follow(request: HttpRequest, network: Network,
                      innovation: Innovation) -> HttpResponse:
    _visible_or_404(request, network, innovation)
    actions.follow(innovation=innovation, by=request.user)
    messages.success(request, f"You follow {innovation.name}: you will hear when "
                     "it moves stage.")
    return redirect(innovation)


@gate(Permission.FOLLOW_INNOVATION, load=load_innovation, as_="innovation")
@require_POST
def innovation_unfollow(request: HttpRequest, network: Network,
                        innovation: Innovation) -> HttpResponse:
    _visible_or_404(request, network, innovation)
    actions.unfollow(innovation=innovation, by=request.user)
    messages.success(request, f"You no longer follow {innovation.name}.")
    return redirect(innovation)
