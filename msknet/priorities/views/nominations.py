"""Nominating, a nomination's page, comments, supports and the lead's decision."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from msknet.core.gate import gate
from msknet.members.models import Network
from msknet.members.permissions import Permission, has_permission

from .. import actions, queries
from ..forms import CommentForm, DecisionForm, NominationForm
from ..models import Nomination, Round, RoundStatus
from .common import crumbs, load_nomination, load_round


@gate(Permission.NOMINATE, load=load_round, as_="round")
def nominate(request: HttpRequest, network: Network, round: Round) -> HttpResponse:
    terms = actions.term_lengths(network)
    form = NominationForm(request.POST if request.method == "POST" else None, network=network, terms=terms)
    if round.is_open and request.method == "POST" and form.is_valid():
        try:
            nomination = actions.nominate(round=round, by=request.user,
                                          **form.cleaned_data)
        except actions.Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Your nomination is in. You can change it "
                             "until the round closes.")
            return redirect(nomination)
    context = {"network": network, "round": round, "form": form,
               "crumbs": crumbs(network, round)}
    return TemplateResponse(request, "priorities/nomination_form.html", context)


@gate(Permission.EDIT_NOMINATION, load=load_nomination, as_="nomination")
def nomination_edit(request: HttpRequest, network: Network,
                    nomination: Nomination) -> HttpResponse:
    terms = actions.term_lengths(network)
    form = NominationForm(request.POST if request.method == "POST" else None, network=network, terms=terms,
                          instance=Nomination.objects.get(pk=nomination.pk))
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_nomination(nomination=nomination, by=request.user,
                                      **form.cleaned_data)
        except actions.Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Your nomination is saved.")
            return redirect(nomination)
    context = {"network": network, "round": nomination.round, "form": form,
               "nomination": nomination,
               "crumbs": crumbs(network, nomination.round)}
    return TemplateResponse(request, "priorities/nomination_form.html", context)


@gate(Permission.VIEW_PRIORITIES, load=load_nomination, as_="nomination")
def nomination_detail(request: HttpRequest, network: Network,
                      nomination: Nomination) -> HttpResponse:
    user = request.user
    round = nomination.round
    see_scores = has_permission(user, Permission.SEE_NOMINATION_SCORES, network,
                                nomination)
    supported = queries.supported_by(round, user)
    may_score = round.status == RoundStatus.SCREENING and has_permission(
        user, Permission.SCORE_NOMINATIONS, network, nomination)
    context = {
        "network": network,
        "round": round,
        "nomination": nomination,
        "term_description": actions.term_lengths(network).describe(nomination.term),
        "icbs": nomination.icbs.all(),
        "serves": nomination.serves.select_related("icb", "network"),
        "comments": nomination.comments.select_related("author"),
        "support_count": nomination.supports.count(),
        "i_support": nomination.pk in supported,
        "supports_left": round.supports_per_member - len(supported),
        "comment_form": CommentForm(),
        "may_take_part": round.is_open
        and has_permission(user, Permission.NOMINATE, network),
        "may_comment": has_permission(user, Permission.NOMINATE, network),
        "may_edit": has_permission(user, Permission.EDIT_NOMINATION, network,
                                   nomination),
        "may_score": may_score,
        "has_scored": nomination.scorecards.filter(panellist_id=user.pk).exists(),
        "see_scores": see_scores,
        "scorecards": queries.scorecards_for(nomination) if see_scores else [],
        "criteria": round.criteria.all(),
        "may_decide": round.nominations_closed
        and has_permission(user, Permission.DECIDE_NOMINATIONS, network),
        "crumbs": crumbs(network, round),
    }
    return TemplateResponse(request, "priorities/nomination_detail.html", context)


@gate(Permission.NOMINATE, load=load_nomination, as_="nomination")
@require_POST
def support(request: HttpRequest, network: Network,
            nomination: Nomination) -> HttpResponse:
    try:
        actions.support(nomination=nomination, by=request.user)
    except actions.Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"You support '{nomination.title}'.")
    return redirect(request.POST.get("next") == "round" and nomination.round
                    or nomination)


@gate(Permission.NOMINATE, load=load_nomination, as_="nomination")
@require_POST
def support_withdraw(request: HttpRequest, network: Network,
                     nomination: Nomination) -> HttpResponse:
    try:
        actions.withdraw_support(nomination=nomination, by=request.user)
    except actions.Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"You no longer support '{nomination.title}'.")
    return redirect(request.POST.get("next") == "round" and nomination.round
                    or nomination)


@gate(Permission.NOMINATE, load=load_nomination, as_="nomination")
def comment(request: HttpRequest, network: Network,
            nomination: Nomination) -> HttpResponse:
    form = CommentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        actions.add_comment(nomination=nomination, by=request.user,
                            body=form.cleaned_data["body"])
        messages.success(request, "Your comment is added.")
        return redirect(f"{nomination.get_absolute_url()}#comments")
    context = {"network": network, "round": nomination.round,
               "nomination": nomination, "form": form,
               "crumbs": crumbs(network, nomination.round)}
    return TemplateResponse(request, "priorities/comment_form.html", context)


@gate(Permission.DECIDE_NOMINATIONS, load=load_nomination, as_="nomination")
def decide(request: HttpRequest, network: Network,
           nomination: Nomination) -> HttpResponse:
    initial = {"decision": nomination.decision or None,
               "reason": nomination.decision_reason,
               "meeting": nomination.decision_meeting,
               "meeting_on": nomination.decision_meeting_on,
               "minute_reference": nomination.decision_minute_reference}
    form = DecisionForm(request.POST if request.method == "POST" else None,
                        initial=initial, network=network)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_decision(nomination=nomination, by=request.user,
                                    **form.cleaned_data)
        except actions.Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"Decision on '{nomination.title}' recorded: "
                             f"{nomination.get_decision_display().lower()}.")
            return redirect("priorities-results", network_slug=network.slug,
                            round_id=nomination.round_id)
    context = {"network": network, "round": nomination.round,
               "nomination": nomination, "form": form,
               "crumbs": crumbs(network, nomination.round)}
    return TemplateResponse(request, "priorities/decision_form.html", context)
