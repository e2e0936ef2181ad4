"""Answering surveys: the surveys open to me, a survey's start page (also
reached by its link for anyone), its sections one at a time with skip
logic, checking and sending the answers, and the thank-you page.

Signed-in people's half-finished answers are kept in their Draft; a
visitor's (allowed only on an anonymous survey open to anyone with the link,
reached through that link) in their browser session.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format

from msknet.core.gate import gate
from msknet.members.models import Network
from msknet.members.permissions import Permission, has_permission

from .. import answering_queries as queries
from ..actions import answering as actions
from ..actions.common import Refused
from ..answering_forms import SectionForm, field_name
from ..models import Audience, Survey, SurveyStatus

LINKED = "surveys-linked"  # session: the link surveys this browser came in by


def load_survey(*, network: Network, kwargs: dict[str, Any]) -> Survey:
    return get_object_or_404(Survey.objects.select_related("network", "group", "event"),
                             network=network, pk=kwargs.pop("survey_id"))


def signed_in(request: HttpRequest) -> bool:
    return bool(request.user.is_authenticated)


def store_for(request: HttpRequest, survey: Survey) -> actions.Store:
    if signed_in(request):
        return actions.AccountAnswers(survey, request.user)
    return actions.SessionAnswers(survey, request.session)


def may_reach(request: HttpRequest, network: Network, survey: Survey) -> None:
    """A survey being built is only for leads to try; a survey for anyone with
    the link is reached by its link, unless one is a member."""
    if survey.status == SurveyStatus.DRAFT and not has_permission(
            request.user, Permission.MANAGE_SURVEYS, network):
        raise Http404("No such survey")
    if (survey.audience == Audience.ANYONE_WITH_LINK
            and not has_permission(request.user, Permission.VIEW_SURVEYS, network)
            and survey.pk not in request.session.get(LINKED, [])):
        raise Http404("No such survey")


def manage_url(network: Network) -> str | None:
    try:
        return reverse("survey-manage", args=[network.slug])
    except NoReverseMatch:
        return None


def crumbs(network: Network, request: HttpRequest,
           survey: Survey | None = None) -> list[tuple[str, str]]:
    items = [(network.short_name, network.get_absolute_url())]
    if has_permission(request.user, Permission.VIEW_SURVEYS, network):
        items.append(("Surveys", reverse("survey-list", args=[network.slug])))
    if survey is not None:
        items.append((survey.title, start_url(survey)))
    return items


def start_url(survey: Survey) -> str:
    return reverse("survey-start", args=[survey.network.slug, survey.pk])


def section_url(survey: Survey, position: int) -> str:
    return reverse("survey-section", args=[survey.network.slug, survey.pk, position])


def check_url(survey: Survey) -> str:
    return reverse("survey-check", args=[survey.network.slug, survey.pk])


@gate(Permission.VIEW_SURVEYS)
def survey_list(request: HttpRequest, network: Network) -> HttpResponse:
    context = {
        "network": network,
        "surveys": queries.open_to(request.user, network),
        # Results leads have shared with the network, newest first.
        "shared": Survey.objects.filter(network=network, results_shared=True)
        .order_by("-created_at", "-pk")[:20],
        "manage_url": (manage_url(network) if has_permission(
            request.user, Permission.MANAGE_SURVEYS, network) else None),
        "crumbs": [(network.short_name, network.get_absolute_url())],
    }
    return TemplateResponse(request, "surveys/list.html", context)


def start_page(request: HttpRequest, network: Network, survey: Survey,
               *, by_link: bool = False) -> HttpResponse:
    store = store_for(request, survey)
    sections = queries.asked_sections(queries.sections_of(survey), store.answers)
    now = timezone.now()
    state = ""
    if not survey.is_taking_responses(now):
        state = actions.closed_message(survey, now)
    elif store.sent() >= survey.responses_per_person:
        state = actions.limit_message(survey)
    context = {
        "network": network, "survey": survey, "state": state,
        "section_count": len(sections), "started": store.started,
        "first_url": section_url(survey, sections[0].section.position)
        if sections else check_url(survey),
        "resume_url": resume_url(survey, store, sections),
        "in_session": not signed_in(request),
        "by_link": by_link,
        "crumbs": crumbs(network, request),
    }
    return TemplateResponse(request, "surveys/start.html", context)


def resume_url(survey: Survey, store: actions.Store,
               sections: list[queries.AskedSection]) -> str:
    for asked in sections:
        if asked.section.position >= store.position:
            return section_url(survey, asked.section.position)
    return check_url(survey)


@gate(Permission.ANSWER_SURVEY, load=load_survey, as_="survey")
def survey_start(request: HttpRequest, network: Network, survey: Survey
                 ) -> HttpResponse:
    may_reach(request, network, survey)
    return start_page(request, network, survey)


@gate(Permission.VIEW_PUBLIC)
def survey_by_link(request: HttpRequest, network: Network, token: str
                   ) -> HttpResponse:
    survey = get_object_or_404(Survey.objects.select_related("network"),
                               network=network, token=token)
    if survey.status == SurveyStatus.DRAFT:
        raise Http404("No such survey")
    if not has_permission(request.user, Permission.ANSWER_SURVEY, network, survey):
        if not signed_in(request):
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied(Permission.ANSWER_SURVEY)
    linked = request.session.get(LINKED, [])
    if survey.pk not in linked:
        request.session[LINKED] = [*linked, survey.pk]
    return start_page(request, network, survey, by_link=True)


def not_answerable(request: HttpRequest, survey: Survey,
                   store: actions.Store) -> HttpResponse | None:
    """Back to the start page, which says why, when the survey is closed or
    the person has sent as many responses as it allows."""
    if not survey.is_taking_responses() or store.sent() >= survey.responses_per_person:
        return redirect(start_url(survey))
    return None


@gate(Permission.ANSWER_SURVEY, load=load_survey, as_="survey")
def survey_section(request: HttpRequest, network: Network, survey: Survey,
                   position: int) -> HttpResponse:
    may_reach(request, network, survey)
    store = store_for(request, survey)
    if (refused := not_answerable(request, survey, store)) is not None:
        return refused
    all_sections = queries.sections_of(survey)
    if not any(s.position == position for s in all_sections):
        raise Http404("No such section")
    answers = store.answers
    asked = queries.asked_sections(all_sections, answers)
    here = next((a for a in asked if a.section.position == position), None)
    if here is None:  # every question skipped: on to the next section
        later = [a for a in asked if a.section.position > position]
        return redirect(section_url(survey, later[0].section.position)
                        if later else check_url(survey))
    number = asked.index(here)
    back = (section_url(survey, asked[number - 1].section.position) if number
            else start_url(survey))
    action = request.POST.get("action", "continue")
    form = SectionForm(request.POST or None, questions=here.questions,
                       answers=answers, later=action == "later")
    if request.method == "POST" and form.is_valid():
        after = [a for a in queries.asked_sections(
            all_sections, {**answers, **{k: v for k, v in form.given.items()
                                          if v is not None}})
            if a.section.position > position]
        following = after[0].section.position if after else position + 1
        actions.save_answers(store=store, questions=here.questions,
                             given=form.given,
                             position=position if action == "later" else following)
        if action == "later":
            messages.success(request, f"Your answers to “{survey.title}” are saved. "
                             "Come back to finish them before the survey closes.")
            if signed_in(request):
                return redirect("survey-list", network.slug)
            return redirect(start_url(survey))
        return redirect(section_url(survey, following) if after
                        else check_url(survey))
    context = {
        "network": network, "survey": survey, "section": here.section,
        "form": form, "number": number + 1, "of": len(asked), "back_url": back,
        "in_session": not signed_in(request),
        "crumbs": crumbs(network, request, survey),
    }
    return TemplateResponse(request, "surveys/section.html", context)


def shown_value(question: Any, value: Any) -> str | list[str]:
    """An answer as the check page shows it: a Likert grid's as lines."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return [f"{statement}: {option}" for statement, option in value.items()]
    if isinstance(value, list):
        return ", ".join(value)
    if question.kind == "date":
        try:
            return date_format(dt.date.fromisoformat(value), "j F Y")
        except ValueError:
            return str(value)
    return str(value)


@gate(Permission.ANSWER_SURVEY, load=load_survey, as_="survey")
def survey_check(request: HttpRequest, network: Network, survey: Survey
                 ) -> HttpResponse:
    may_reach(request, network, survey)
    store = store_for(request, survey)
    if (refused := not_answerable(request, survey, store)) is not None:
        return refused
    answers = store.answers
    problems: dict[str, str] = {}
    refusal = ""
    if request.method == "POST":
        try:
            actions.send_response(survey=survey, store=store, answers=answers,
                                  by=request.user if signed_in(request) else None)
        except actions.AnswersRefused as error:
            problems = error.problems
        except Refused as error:
            refusal = str(error)
        else:
            return redirect("survey-done", network.slug, survey.pk)
    sections = queries.asked_sections(queries.sections_of(survey), answers)
    shown = {q.pk for q in actions.shown_questions(
        [q for a in sections for q in a.questions], answers)}
    rows = []
    problem_links = []
    for asked in sections:
        url = section_url(survey, asked.section.position)
        items = []
        for question in asked.questions:
            key = str(question.pk)
            if question.pk not in shown:
                continue
            items.append({"question": question,
                          "value": shown_value(question, answers.get(key)),
                          "url": f"{url}#id_{field_name(question)}",
                          "problem": problems.get(key)})
            if key in problems:
                problem_links.append((f"{url}#id_{field_name(question)}",
                                      problems[key]))
        rows.append({"section": asked.section, "items": items, "url": url})
    context = {
        "network": network, "survey": survey, "rows": rows,
        "problems": problem_links, "refusal": refusal,
        "in_session": not signed_in(request),
        "back_url": rows[-1]["url"] if rows else start_url(survey),
        "crumbs": crumbs(network, request, survey),
    }
    return TemplateResponse(request, "surveys/check.html", context)


@gate(Permission.ANSWER_SURVEY, load=load_survey, as_="survey")
def survey_done(request: HttpRequest, network: Network, survey: Survey
                ) -> HttpResponse:
    may_reach(request, network, survey)
    context = {"network": network, "survey": survey,
               "list_url": reverse("survey-list", args=[network.slug])
               if has_permission(request.user, Permission.VIEW_SURVEYS, network)
               else None,
               "crumbs": crumbs(network, request)}
    return TemplateResponse(request, "surveys/done.html", context)
