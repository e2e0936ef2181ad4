"""Rounds: the list, a round's page, and the lead's pages that run it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from msknet.core.confirm import confirm
from msknet.core.gate import gate
from msknet.members.models import Network
from msknet.members.permissions import Permission, has_permission

from .. import actions, queries
from ..forms import CriterionForm, PanelForm, RoundForm, TermLengthsForm
from ..models import Round, RoundStatus
from .common import crumbs, load_round


@gate(Permission.VIEW_PRIORITIES)
def round_list(request: HttpRequest, network: Network) -> HttpResponse:
    rounds = Round.objects.for_network(network).select_related("network")
    context = {
        "network": network,
        "rounds": rounds,
        "terms": actions.term_lengths(network),
        "crumbs": crumbs(network)[:1],
    }
    return TemplateResponse(request, "priorities/round_list.html", context)


@gate(Permission.RUN_PRIORITY_ROUNDS)
def round_create(request: HttpRequest, network: Network) -> HttpResponse:
    form = RoundForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        round = actions.create_round(network=network, by=request.user,
                                     **form.cleaned_data)
        messages.success(request, f"Round '{round.title}' created with the default "
                         "screening criteria.")
        return redirect(round)
    context = {"network": network, "form": form, "crumbs": crumbs(network)}
    return TemplateResponse(request, "priorities/round_form.html", context)


@gate(Permission.RUN_PRIORITY_ROUNDS, load=load_round, as_="round")
def round_edit(request: HttpRequest, network: Network, round: Round) -> HttpResponse:
    form = RoundForm(request.POST if request.method == "POST" else None, instance=Round.objects.get(pk=round.pk))
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_round(round=round, by=request.user, **form.cleaned_data)
        except actions.Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "The round's details are saved.")
            return redirect(round)
    context = {"network": network, "round": round, "form": form,
               "crumbs": crumbs(network, round)}
    return TemplateResponse(request, "priorities/round_form.html", context)


@gate(Permission.VIEW_PRIORITIES, load=load_round, as_="round")
def round_detail(request: HttpRequest, network: Network, round: Round) -> HttpResponse:
    user = request.user
    supported = queries.supported_by(round, user)
    context = {
        "network": network,
        "round": round,
        "status": round.status,
        "nominations": queries.nominations(round),
        "supported": supported,
        "supports_used": len(supported),
        "criteria": round.criteria.all(),
        "panel": round.panel.order_by("full_name"),
        "terms": actions.term_lengths(network),
        "may_nominate": round.is_open
        and has_permission(user, Permission.NOMINATE, network),
        "may_score": round.status == RoundStatus.SCREENING
        and has_permission(user, Permission.SCORE_NOMINATIONS, network, round),
        "may_see_results": has_permission(user, Permission.VIEW_PRIORITY_RESULTS,
                                          network),
        "may_run": has_permission(user, Permission.RUN_PRIORITY_ROUNDS, network),
        "crumbs": crumbs(network),
    }
    return TemplateResponse(request, "priorities/round_detail.html", context)


def _refused_or(request: HttpRequest, action, success: str, **kwargs) -> None:
    try:
        action(by=request.user, **kwargs)
    except actions.Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, success)


@gate(Permission.RUN_PRIORITY_ROUNDS, load=load_round, as_="round")
@require_http_methods(["GET", "POST"])
def round_close(request: HttpRequest, network: Network, round: Round) -> HttpResponse:
    if request.method != "POST":
        return confirm(
            request, question=f"Close {round.title} to nominations now?",
            explanation=[
                (f"Nominations were due to close on {round.closes_on:%-d %B %Y}. "
                 "Once you close them, members can no longer nominate, change "
                 "their nominations or add support, and the panel starts screening."),
                "You cannot open the round to nominations again.",
            ],
            button="Close nominations", back_url=round.get_absolute_url(),
            crumbs=crumbs(network, round))
    _refused_or(request, actions.close_nominations, "Nominations are closed: "
                "screening has started.", round=round)
    return redirect(round)


@gate(Permission.RUN_PRIORITY_ROUNDS, load=load_round, as_="round")
@require_http_methods(["GET", "POST"])
def screening_close(request: HttpRequest, network: Network,
                    round: Round) -> HttpResponse:
    if request.method != "POST":
        return confirm(
            request, question=f"Close screening for {round.title}?",
            explanation=[
                ("The panel's scores become final: panellists can no longer "
                 "score or change their scores, and the ranking is fixed."),
                "You cannot open screening again.",
            ],
            button="Close screening", back_url=round.get_absolute_url(),
            crumbs=crumbs(network, round))
    _refused_or(request, actions.close_screening, "Screening is closed: the scores "
                "are final.", round=round)
    return redirect(round)


@gate(Permission.RUN_PRIORITY_ROUNDS)
def terms_edit(request: HttpRequest, network: Network) -> HttpResponse:
    form = TermLengthsForm(request.POST if request.method == "POST" else None,
                           instance=actions.term_lengths(network))
    if request.method == "POST" and form.is_valid():
        actions.set_term_lengths(network=network, by=request.user,
                                 **form.cleaned_data)
        messages.success(request, "Term lengths saved.")
        return redirect("priorities", network_slug=network.slug)
    context = {"network": network, "form": form, "crumbs": crumbs(network)}
    return TemplateResponse(request, "priorities/terms_form.html", context)


@gate(Permission.RUN_PRIORITY_ROUNDS, load=load_round, as_="round")
def criteria(request: HttpRequest, network: Network, round: Round) -> HttpResponse:
    form = CriterionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            criterion = actions.add_criterion(round=round, by=request.user,
                                              **form.cleaned_data)
        except actions.Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"Criterion '{criterion.name}' added.")
            return redirect("priorities-criteria", network_slug=network.slug,
                            round_id=round.pk)
    context = {"network": network, "round": round, "form": form,
               "criteria": round.criteria.all(),
               "locked": actions.scoring_started(round),
               "crumbs": crumbs(network, round)}
    return TemplateResponse(request, "priorities/criteria.html", context)


@gate(Permission.RUN_PRIORITY_ROUNDS, load=load_round, as_="round")
def criterion_edit(request: HttpRequest, network: Network, round: Round,
                   criterion_id: int) -> HttpResponse:
    criterion = get_object_or_404(round.criteria, pk=criterion_id)
    initial = {"name": criterion.name, "description": criterion.description,
               "weight": criterion.weight}
    form = CriterionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_criterion(criterion=criterion, by=request.user,
                                     **form.cleaned_data)
        except actions.Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"Criterion '{criterion.name}' saved.")
            return redirect("priorities-criteria", network_slug=network.slug,
                            round_id=round.pk)
    context = {"network": network, "round": round, "form": form,
               "criterion": criterion,
               "crumbs": [*crumbs(network, round),
                          ("Criteria", reverse("priorities-criteria",
                                               args=[network.slug, round.pk]))]}
    return TemplateResponse(request, "priorities/criterion_form.html", context)


@gate(Permission.RUN_PRIORITY_ROUNDS, load=load_round, as_="round")
@require_http_methods(["GET", "POST"])
def criterion_delete(request: HttpRequest, network: Network, round: Round,
                     criterion_id: int) -> HttpResponse:
    criterion = get_object_or_404(round.criteria, pk=criterion_id)
    criteria_url = reverse("priorities-criteria", args=[network.slug, round.pk])
    if request.method != "POST":
        return confirm(
            request, question=f"Remove the criterion '{criterion.name}'?",
            explanation="The panel will no longer score nominations against it.",
            button="Remove the criterion", back_url=criteria_url,
            crumbs=[*crumbs(network, round), ("Criteria", criteria_url)])
    _refused_or(request, actions.remove_criterion,
                f"Criterion '{criterion.name}' removed.", criterion=criterion)
    return redirect("priorities-criteria", network_slug=network.slug,
                    round_id=round.pk)


@gate(Permission.RUN_PRIORITY_ROUNDS, load=load_round, as_="round")
def panel_edit(request: HttpRequest, network: Network, round: Round) -> HttpResponse:
    form = PanelForm(request.POST if request.method == "POST" else None, network=network,
                     round=round)
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_panel(round=round, by=request.user, panellists=form.chosen())
        except actions.Refused as refused:
            form.add_error(None, str(refused))
        else:
            added = form.cleaned_data.get("add")
            if added:  # back to the panel, to add the next person
                messages.success(request, f"{added.display_name} is on the panel. "
                                 "Add someone else, or go back to the round.")
                return redirect("priorities-panel", network_slug=network.slug,
                                round_id=round.pk)
            messages.success(request, "The screening panel is saved.")
            return redirect(round)
    context = {"network": network, "round": round, "form": form,
               "crumbs": crumbs(network, round)}
    return TemplateResponse(request, "priorities/panel_form.html", context)
