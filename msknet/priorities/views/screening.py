"""Screening: a panellist's list and score form; the ranking and portfolio."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from msknet.core.gate import gate
from msknet.members.models import Network
from msknet.members.permissions import Permission, has_permission

from .. import actions, queries
from ..forms import ScoreForm
from ..models import Nomination, Round, RoundStatus, Scorecard
from .common import crumbs, load_nomination, load_round


@gate(Permission.SCORE_NOMINATIONS, load=load_round, as_="round")
def screening(request: HttpRequest, network: Network, round: Round) -> HttpResponse:
    scored = set(Scorecard.objects.filter(
        nomination__round=round, panellist=request.user
    ).values_list("nomination_id", flat=True))
    context = {"network": network, "round": round,
               "nominations": queries.nominations(round), "scored": scored,
               "open": round.status == RoundStatus.SCREENING,
               "crumbs": crumbs(network, round)}
    return TemplateResponse(request, "priorities/screening.html", context)


@gate(Permission.SCORE_NOMINATIONS, load=load_nomination, as_="nomination")
def score(request: HttpRequest, network: Network,
          nomination: Nomination) -> HttpResponse:
    round = nomination.round
    criteria = list(round.criteria.all())
    mine = Scorecard.objects.filter(nomination=nomination,
                                    panellist=request.user).first()
    initial = ({s.criterion_id: (s.value, s.comment) for s in mine.scores.all()}
               if mine else {})
    form = ScoreForm(request.POST if request.method == "POST" else None, round=round, criteria=criteria,
                     initial_scores=initial)
    is_open = round.status == RoundStatus.SCREENING
    if is_open and request.method == "POST" and form.is_valid():
        try:
            actions.submit_scores(nomination=nomination, by=request.user,
                                  scores=form.scores())
        except actions.Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"Your scores for '{nomination.title}' are "
                             "saved. You can now see the panel's scores.")
            return redirect(nomination)
    context = {"network": network, "round": round, "nomination": nomination,
               "form": form, "open": is_open, "rescoring": mine is not None,
               "crumbs": crumbs(network, round)}
    return TemplateResponse(request, "priorities/score_form.html", context)


@gate(Permission.VIEW_PRIORITY_RESULTS, load=load_round, as_="round")
def results(request: HttpRequest, network: Network, round: Round) -> HttpResponse:
    rows = queries.results(round, request.user)
    context = {"network": network, "round": round, "rows": rows,
               "hidden": sum(1 for row in rows if not row.visible),
               "criteria": round.criteria.all(),
               "may_decide": round.nominations_closed
               and has_permission(request.user, Permission.DECIDE_NOMINATIONS,
                                  network),
               "crumbs": crumbs(network, round)}
    return TemplateResponse(request, "priorities/results.html", context)


@gate(Permission.VIEW_PRIORITY_RESULTS, load=load_round, as_="round")
def portfolio(request: HttpRequest, network: Network, round: Round) -> HttpResponse:
    view = queries.portfolio(round, request.user)
    context = {"network": network, "round": round, "portfolio": view,
               "terms": actions.term_lengths(network),
               "crumbs": crumbs(network, round)}
    return TemplateResponse(request, "priorities/portfolio.html", context)
