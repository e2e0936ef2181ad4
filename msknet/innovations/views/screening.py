"""Screening: the lead's set-up (scale, criteria, panel), the panel's list and
scorecard, the ranking and its CSV twin, everyone's scores, and the decision."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from msknet.core.charts import csv_safe
from msknet.core.confirm import confirm
from msknet.core.gate import gate
from msknet.members.models import Network
from msknet.members.permissions import Permission, has_permission

from .. import screening_queries as queries
from ..actions import screening as actions
from ..actions.common import Refused
from ..models import Criterion, Innovation, Stage
from ..screening_forms import (
    CriterionEditForm,
    CriterionForm,
    InnovationDecisionForm,
    PanelForm,
    ScaleForm,
    ScoreForm,
)
from .common import crumbs, load_innovation


def _screening_crumbs(network: Network) -> list[tuple[str, str]]:
    return [*crumbs(network),
            ("Screening", reverse("innovation-screening", args=[network.slug]))]


def _criteria_url(network: Network) -> str:
    return reverse("innovation-criteria", args=[network.slug])


def _refuse(form: Any, refused: Refused) -> None:
    """Put the refusal beside its field when the form has that field."""
    field = refused.field if refused.field in form.fields else None
    form.add_error(field, str(refused))


# Set-up ------------------------------------------------------------------------


@gate(Permission.MANAGE_INNOVATIONS)
def criteria(request: HttpRequest, network: Network) -> HttpResponse:
    panel = actions.set_up(network=network)
    posted = request.POST if request.method == "POST" else None
    scale_posted = posted is not None and "scale-score_min" in posted
    scale_form = ScaleForm.of(panel, posted if scale_posted else None)
    form = CriterionForm(posted if posted is not None and not scale_posted else None)
    if scale_posted and scale_form.is_valid():
        try:
            actions.update_scale(network=network, by=request.user,
                                 **scale_form.cleaned_data)
        except Refused as refused:
            _refuse(scale_form, refused)
        else:
            messages.success(request, "The scale is saved.")
            return redirect(_criteria_url(network))
    elif posted is not None and not scale_posted and form.is_valid():
        try:
            criterion = actions.add_criterion(network=network, by=request.user,
                                              **form.cleaned_data)
        except Refused as refused:
            _refuse(form, refused)
        else:
            messages.success(request, f"Criterion '{criterion.name}' added.")
            return redirect(_criteria_url(network))
    context = {"network": network, "panel": panel, "form": form,
               "scale_form": scale_form,
               "criteria": queries.criteria(network),
               "scored": actions.scoring_started(network),
               "crumbs": _screening_crumbs(network)}
    return TemplateResponse(request, "innovations/screening_criteria.html", context)


@gate(Permission.MANAGE_INNOVATIONS)
def criterion_edit(request: HttpRequest, network: Network,
                   criterion_id: int) -> HttpResponse:
    criterion = get_object_or_404(Criterion, network=network, pk=criterion_id)
    position = list(queries.criteria(network).values_list("pk", flat=True)).index(
        criterion.pk) + 1
    initial = {"name": criterion.name, "description": criterion.description,
               "weight": criterion.weight, "position": position}
    form = CriterionEditForm(request.POST if request.method == "POST" else None,
                             initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_criterion(criterion=criterion, by=request.user,
                                     **form.cleaned_data)
        except Refused as refused:
            _refuse(form, refused)
        else:
            messages.success(request, f"Criterion '{criterion.name}' saved.")
            return redirect(_criteria_url(network))
    context = {"network": network, "form": form, "criterion": criterion,
               "crumbs": [*_screening_crumbs(network),
                          ("Criteria", _criteria_url(network))]}
    return TemplateResponse(request, "innovations/screening_criterion_form.html",
                            context)


@gate(Permission.MANAGE_INNOVATIONS)
@require_http_methods(["GET", "POST"])
def criterion_delete(request: HttpRequest, network: Network,
                     criterion_id: int) -> HttpResponse:
    criterion = get_object_or_404(Criterion, network=network, pk=criterion_id)
    back = _criteria_url(network)
    if request.method != "POST":
        return confirm(
            request, question=f"Remove the criterion '{criterion.name}'?",
            explanation="The panel will no longer score innovations against it. "
            "A criterion that anything has been scored on cannot be removed.",
            button="Remove the criterion", back_url=back,
            crumbs=[*_screening_crumbs(network), ("Criteria", back)])
    try:
        actions.remove_criterion(criterion=criterion, by=request.user)
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"Criterion '{criterion.name}' removed.")
    return redirect(back)


@gate(Permission.MANAGE_INNOVATIONS)
def panel_edit(request: HttpRequest, network: Network) -> HttpResponse:
    panel = actions.set_up(network=network)
    form = PanelForm(request.POST if request.method == "POST" else None,
                     network=network, round=panel)
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_panel(network=network, by=request.user,
                              panellists=form.chosen())
        except Refused as refused:
            form.add_error(None, str(refused))
        else:
            added = form.cleaned_data.get("add")
            if added:  # back to the panel, to add the next person
                messages.success(request, f"{added.display_name} is on the panel. "
                                 "Add someone else, or go back to screening.")
                return redirect("innovation-panel", network_slug=network.slug)
            messages.success(request, "The screening panel is saved.")
            return redirect("innovation-screening", network_slug=network.slug)
    context = {"network": network, "form": form,
               "crumbs": _screening_crumbs(network)}
    return TemplateResponse(request, "innovations/screening_panel_form.html", context)


# The panel's list and the ranking -----------------------------------------------


def _may_screen(request: HttpRequest, network: Network) -> tuple[bool, bool]:
    """(may score, may see the ranking); refused if neither.

    The list is for the panel (SCORE_INNOVATIONS on the network: its named
    members, or the steering group and leads when nobody is named) and for
    whoever sees results (steering and leads), named panel or not. The gate
    lets members through (VIEW_INNOVATIONS); this asks the two permissions.
    """
    may_score = has_permission(request.user, Permission.SCORE_INNOVATIONS, network,
                               network)
    may_rank = has_permission(request.user, Permission.VIEW_INNOVATION_RESULTS,
                              network)
    if not (may_score or may_rank):
        raise PermissionDenied(Permission.SCORE_INNOVATIONS)
    return may_score, may_rank


@gate(Permission.VIEW_INNOVATIONS)
def screening(request: HttpRequest, network: Network) -> HttpResponse:
    may_score, may_rank = _may_screen(request, network)
    panel = queries.panel_of(network)
    rows = queries.ranking(network, request.user)
    named = queries.is_named(panel)
    context = {
        "network": network, "panel": panel, "rows": rows,
        "by_name": sorted(rows, key=lambda row: row.innovation.name.lower()),
        "hidden": sum(1 for row in rows if not row.visible),
        "scorers": queries.scorers(network, panel, named=named).count(),
        "named": named,
        "may_score": may_score, "may_rank": may_rank,
        "may_manage": has_permission(request.user, Permission.MANAGE_INNOVATIONS,
                                     network),
        "crumbs": crumbs(network),
    }
    return TemplateResponse(request, "innovations/screening_list.html", context)


@gate(Permission.VIEW_INNOVATION_RESULTS)
def screening_csv(request: HttpRequest, network: Network) -> HttpResponse:
    """The ranking as the reader sees it: hidden ones unranked, without scores."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"innovation-screening-{network.slug}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(["Rank", "Innovation", "Weighted score", "Lowest", "Highest",
                     "Standard deviation", "Panellists scored", "Your scores"])
    for row in queries.ranking(network, request.user):
        result = row.result

        def number(value: float | None) -> str:
            return "" if value is None else f"{value:.2f}"

        writer.writerow([csv_safe(cell) for cell in (
            result.rank, row.innovation.name, number(result.score),
            number(result.low), number(result.high), number(row.sd), row.scored,
            "Scored" if row.scored_by_me else
            ("Hidden until you score it" if not row.visible else "Not scored"),
        )])
    return response


# One innovation ------------------------------------------------------------------


@gate(Permission.SCORE_INNOVATIONS, load=load_innovation, as_="innovation")
def score(request: HttpRequest, network: Network,
          innovation: Innovation) -> HttpResponse:
    panel = actions.set_up(network=network)
    criteria = list(queries.criteria(network))
    mine = innovation.scorecards.filter(panellist=request.user).first()
    initial = ({s.criterion_id: (s.value, s.comment) for s in mine.scores.all()}
               if mine else {})
    form = ScoreForm(request.POST if request.method == "POST" else None, round=panel,
                     criteria=criteria, initial_scores=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.submit_scores(innovation=innovation, by=request.user,
                                  scores=form.scores())
        except Refused as refused:
            _refuse(form, refused)
        else:
            messages.success(request, f"Your scores for '{innovation.name}' are "
                             "saved. You can now see the panel's scores.")
            return redirect("innovation-scorecards", network_slug=network.slug,
                            innovation_id=innovation.pk)
    context = {"network": network, "innovation": innovation, "panel": panel,
               "form": form, "rescoring": mine is not None,
               "crumbs": crumbs(network, innovation)}
    return TemplateResponse(request, "innovations/screening_score_form.html", context)


@gate(Permission.SEE_INNOVATION_SCORES, load=load_innovation, as_="innovation")
def scorecards(request: HttpRequest, network: Network,
               innovation: Innovation) -> HttpResponse:
    context = {"network": network, "innovation": innovation,
               "panel": queries.panel_of(network),
               "scores": queries.scorecards(innovation),
               "state": queries.state(innovation, request.user),
               "crumbs": crumbs(network, innovation)}
    return TemplateResponse(request, "innovations/screening_scorecards.html", context)


@gate(Permission.DECIDE_INNOVATIONS, load=load_innovation, as_="innovation")
def decide(request: HttpRequest, network: Network,
           innovation: Innovation) -> HttpResponse:
    form = InnovationDecisionForm(request.POST if request.method == "POST" else None,
                                  network=network)
    in_screening = innovation.stage == Stage.SCREENING
    if in_screening and request.method == "POST" and form.is_valid():
        try:
            actions.decide(innovation=innovation, by=request.user,
                           stage=form.cleaned_data["decision"],
                           reason=form.cleaned_data["reason"],
                           meeting=form.cleaned_data["meeting"])
        except Refused as refused:
            _refuse(form, refused)
        else:
            messages.success(request, f"The decision on '{innovation.name}' is "
                             "recorded, and its followers are told.")
            return redirect(innovation)
    context = {"network": network, "innovation": innovation, "form": form,
               "in_screening": in_screening,
               "scored": innovation.scorecards.count(),
               "may_see_scores": has_permission(
                   request.user, Permission.SEE_INNOVATION_SCORES, network,
                   innovation),
               "crumbs": crumbs(network, innovation)}
    return TemplateResponse(request, "innovations/screening_decision_form.html",
                            context)
