"""Building surveys (leads): the list, a new survey, its settings, sections and
questions with skip logic, opening and closing, the link, and deleting a draft."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from msknet.core.confirm import confirm
from msknet.core.gate import gate
from msknet.members.models import Network
from msknet.members.permissions import Permission

from .. import building_queries as queries
from ..actions import building as actions
from ..actions.common import Refused
from ..building_forms import (
    KindForm,
    MoveForm,
    NewSurveyForm,
    QuestionForm,
    SectionForm,
    SettingsForm,
)
from ..catalogue import TEMPLATES
from ..models import Question, QuestionKind, Section, Survey


def _survey(network: Network, survey_id: int) -> Survey:
    return get_object_or_404(Survey.objects.select_related("network", "group", "event"),
                             network=network, pk=survey_id)


def _section(survey: Survey, section_id: int) -> Section:
    return get_object_or_404(Section.objects.select_related("survey__network"),
                             survey=survey, pk=section_id)


def _question(survey: Survey, question_id: int) -> Question:
    return get_object_or_404(
        Question.objects.select_related("section__survey__network", "show_if_question"),
        section__survey=survey, pk=question_id)


def _refuse(form: Any, refused: Refused) -> None:
    """Put the refusal beside its field when the form has that field."""
    field = refused.field if refused.field in form.fields else None
    form.add_error(field, str(refused))


def _manage_url(network: Network) -> str:
    return reverse("survey-manage", args=[network.slug])


def _build_url(survey: Survey) -> str:
    return reverse("survey-build", args=[survey.network.slug, survey.pk])


def _crumbs(network: Network, survey: Survey | None = None) -> list[tuple[str, str]]:
    items = [(network.short_name, network.get_absolute_url()),
             ("Surveys", _manage_url(network))]
    if survey is not None:
        items.append((survey.title, _build_url(survey)))
    return items


# The list and a new survey ----------------------------------------------------------


@gate(Permission.MANAGE_SURVEYS)
def manage(request: HttpRequest, network: Network) -> HttpResponse:
    surveys = list(queries.surveys_of(network))
    for survey in surveys:
        survey.results_url = queries.results_url(survey)  # type: ignore[attr-defined]
    context = {"network": network, "surveys": surveys,
               "crumbs": [(network.short_name, network.get_absolute_url())]}
    return TemplateResponse(request, "surveys/manage.html", context)


@gate(Permission.MANAGE_SURVEYS)
def new(request: HttpRequest, network: Network) -> HttpResponse:
    form = NewSurveyForm(request.POST if request.method == "POST" else None,
                         network=network)
    if request.method == "POST" and form.is_valid():
        try:
            survey = actions.create_survey(network=network, by=request.user,
                                           **form.cleaned_data)
        except Refused as refused:
            _refuse(form, refused)
        else:
            messages.success(request, f"'{survey.title}' is ready to build. Nobody "
                             "can answer it until you open it.")
            return redirect(_build_url(survey))
    context = {"network": network, "form": form, "templates": TEMPLATES.values(),
               "crumbs": _crumbs(network)}
    return TemplateResponse(request, "surveys/new.html", context)


# Settings --------------------------------------------------------------------------


@gate(Permission.MANAGE_SURVEYS)
def settings(request: HttpRequest, network: Network, survey_id: int) -> HttpResponse:
    survey = _survey(network, survey_id)
    form = SettingsForm(request.POST if request.method == "POST" else None,
                        survey=survey)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_settings(survey=survey, by=request.user,
                                    **form.cleaned_data)
        except Refused as refused:
            _refuse(form, refused)
        else:
            messages.success(request, "The survey's settings are saved.")
            return redirect(_build_url(survey))
    context = {"network": network, "survey": survey, "form": form,
               "answered": actions.has_responses(survey),
               "crumbs": _crumbs(network, survey)}
    return TemplateResponse(request, "surveys/settings.html", context)


# Building --------------------------------------------------------------------------


@gate(Permission.MANAGE_SURVEYS)
def build(request: HttpRequest, network: Network, survey_id: int) -> HttpResponse:
    survey = _survey(network, survey_id)
    context = {"network": network, "survey": survey,
               "sections": queries.structure(survey),
               "answered": actions.has_responses(survey),
               "responses": survey.responses.count(),
               "results_url": queries.results_url(survey),
               "template": TEMPLATES.get(survey.template),
               "crumbs": _crumbs(network)}
    return TemplateResponse(request, "surveys/build.html", context)


def _back_to_build(request: HttpRequest, survey: Survey, refused: Refused | None,
                   done: str) -> HttpResponse:
    if refused is not None:
        messages.error(request, str(refused))
    else:
        messages.success(request, done)
    return redirect(_build_url(survey))


@gate(Permission.MANAGE_SURVEYS)
def section_add(request: HttpRequest, network: Network, survey_id: int) -> HttpResponse:
    survey = _survey(network, survey_id)
    form = SectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            section = actions.add_section(survey=survey, by=request.user,
                                          **form.cleaned_data)
        except Refused as refused:
            _refuse(form, refused)
        else:
            messages.success(request, f"Section '{section.title}' added.")
            return redirect(_build_url(survey))
    context = {"network": network, "survey": survey, "form": form, "section": None,
               "crumbs": _crumbs(network, survey)}
    return TemplateResponse(request, "surveys/section_form.html", context)


@gate(Permission.MANAGE_SURVEYS)
def section_edit(request: HttpRequest, network: Network, survey_id: int,
                 section_id: int) -> HttpResponse:
    survey = _survey(network, survey_id)
    section = _section(survey, section_id)
    form = SectionForm(request.POST if request.method == "POST" else None,
                       initial={"title": section.title, "intro": section.intro})
    if request.method == "POST" and form.is_valid():
        try:
            actions.edit_section(section=section, by=request.user, **form.cleaned_data)
        except Refused as refused:
            _refuse(form, refused)
        else:
            messages.success(request, f"Section '{section.title}' saved.")
            return redirect(_build_url(survey))
    context = {"network": network, "survey": survey, "form": form, "section": section,
               "crumbs": _crumbs(network, survey)}
    return TemplateResponse(request, "surveys/section_form.html", context)


@gate(Permission.MANAGE_SURVEYS)
@require_http_methods(["GET", "POST"])
def section_remove(request: HttpRequest, network: Network, survey_id: int,
                   section_id: int) -> HttpResponse:
    survey = _survey(network, survey_id)
    section = _section(survey, section_id)
    if request.method != "POST":
        return confirm(
            request, question=f"Remove the section '{section.title}'?",
            explanation="Its questions are removed with it. A survey people have "
            "answered cannot lose sections.",
            button="Remove the section", back_url=_build_url(survey),
            crumbs=_crumbs(network, survey))
    refused = None
    try:
        actions.remove_section(section=section, by=request.user)
    except Refused as error:
        refused = error
    return _back_to_build(request, survey, refused,
                          f"Section '{section.title}' removed.")


@gate(Permission.MANAGE_SURVEYS)
@require_POST
def section_move(request: HttpRequest, network: Network, survey_id: int,
                 section_id: int) -> HttpResponse:
    survey = _survey(network, survey_id)
    section = _section(survey, section_id)
    form = MoveForm(request.POST)
    refused = None
    try:
        if not form.is_valid():
            raise Refused("Choose up or down", field="direction")
        actions.move_section(section=section, by=request.user,
                             direction=form.cleaned_data["direction"])
    except Refused as error:
        refused = error
    return _back_to_build(request, survey, refused,
                          f"Section '{section.title}' moved.")


# Questions -------------------------------------------------------------------------


@gate(Permission.MANAGE_SURVEYS)
def question_add(request: HttpRequest, network: Network, survey_id: int,
                 section_id: int) -> HttpResponse:
    """First the kind (a GET form back to this page), then the kind's fields."""
    survey = _survey(network, survey_id)
    section = _section(survey, section_id)
    kind = request.POST.get("kind") or request.GET.get("kind")
    context: dict[str, Any] = {"network": network, "survey": survey,
                               "section": section,
                               "crumbs": _crumbs(network, survey)}
    if kind not in QuestionKind.values:
        kind_form = KindForm(request.GET if "kind" in request.GET else None)
        if kind_form.is_bound:
            kind_form.is_valid()  # shows "Choose what kind of question"
        context["form"] = kind_form
        return TemplateResponse(request, "surveys/question_form_kind.html", context)
    form = QuestionForm(request.POST if request.method == "POST" else None,
                        survey=survey, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            question = actions.add_question(section=section, by=request.user,
                                            kind=kind, **form.cleaned())
        except Refused as refused:
            _refuse(form, refused)
        else:
            messages.success(request, f"Question '{question.text}' added.")
            return redirect(_build_url(survey))
    context.update(form=form, kind=QuestionKind(kind), question=None,
                   answered=actions.has_responses(survey))
    return TemplateResponse(request, "surveys/question_form.html", context)


@gate(Permission.MANAGE_SURVEYS)
def question_edit(request: HttpRequest, network: Network, survey_id: int,
                  question_id: int) -> HttpResponse:
    survey = _survey(network, survey_id)
    question = _question(survey, question_id)
    form = QuestionForm(request.POST if request.method == "POST" else None,
                        survey=survey, kind=question.kind, question=question)
    if request.method == "POST" and form.is_valid():
        try:
            actions.edit_question(question=question, by=request.user, **form.cleaned())
        except Refused as refused:
            _refuse(form, refused)
        else:
            messages.success(request, f"Question '{question.text}' saved.")
            return redirect(_build_url(survey))
    context = {"network": network, "survey": survey, "section": question.section,
               "question": question, "form": form, "kind": QuestionKind(question.kind),
               "answered": actions.has_responses(survey),
               "crumbs": _crumbs(network, survey)}
    return TemplateResponse(request, "surveys/question_form.html", context)


@gate(Permission.MANAGE_SURVEYS)
@require_http_methods(["GET", "POST"])
def question_remove(request: HttpRequest, network: Network, survey_id: int,
                    question_id: int) -> HttpResponse:
    survey = _survey(network, survey_id)
    question = _question(survey, question_id)
    if request.method != "POST":
        return confirm(
            request, question=f"Remove the question '{question.text}'?",
            explanation="A question people have answered, or that another "
            "question's skip logic depends on, cannot be removed.",
            button="Remove the question", back_url=_build_url(survey),
            crumbs=_crumbs(network, survey))
    refused = None
    try:
        actions.remove_question(question=question, by=request.user)
    except Refused as error:
        refused = error
    return _back_to_build(request, survey, refused,
                          f"Question '{question.text}' removed.")


@gate(Permission.MANAGE_SURVEYS)
@require_POST
def question_move(request: HttpRequest, network: Network, survey_id: int,
                  question_id: int) -> HttpResponse:
    survey = _survey(network, survey_id)
    question = _question(survey, question_id)
    form = MoveForm(request.POST)
    refused = None
    try:
        if not form.is_valid():
            raise Refused("Choose up or down", field="direction")
        actions.move_question(question=question, by=request.user,
                              direction=form.cleaned_data["direction"])
    except Refused as error:
        refused = error
    return _back_to_build(request, survey, refused,
                          f"Question '{question.text}' moved.")


# Opening, closing, the link and deleting -------------------------------------------


@gate(Permission.MANAGE_SURVEYS)
@require_POST
def open_(request: HttpRequest, network: Network, survey_id: int) -> HttpResponse:
    survey = _survey(network, survey_id)
    refused = None
    try:
        actions.open_survey(survey=survey, by=request.user)
    except Refused as error:
        refused = error
    return _back_to_build(request, survey, refused, f"'{survey.title}' is open.")


@gate(Permission.MANAGE_SURVEYS)
@require_POST
def close(request: HttpRequest, network: Network, survey_id: int) -> HttpResponse:
    survey = _survey(network, survey_id)
    refused = None
    try:
        actions.close_survey(survey=survey, by=request.user)
    except Refused as error:
        refused = error
    return _back_to_build(request, survey, refused,
                          f"'{survey.title}' is closed: it takes no more answers.")


@gate(Permission.MANAGE_SURVEYS)
def link(request: HttpRequest, network: Network, survey_id: int) -> HttpResponse:
    survey = _survey(network, survey_id)
    path = queries.by_link_url(survey)
    context = {"network": network, "survey": survey,
               "address": request.build_absolute_uri(path) if path else None,
               "crumbs": _crumbs(network, survey)}
    return TemplateResponse(request, "surveys/link.html", context)


@gate(Permission.MANAGE_SURVEYS)
@require_POST
def new_link(request: HttpRequest, network: Network, survey_id: int) -> HttpResponse:
    survey = _survey(network, survey_id)
    actions.replace_link(survey=survey, by=request.user)
    messages.success(request, "The survey has a new link. The old one no longer "
                     "works.")
    return redirect("survey-link", network_slug=network.slug, survey_id=survey.pk)


@gate(Permission.MANAGE_SURVEYS)
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, network: Network, survey_id: int) -> HttpResponse:
    survey = _survey(network, survey_id)
    if request.method != "POST":
        return confirm(
            request, question=f"Delete the survey '{survey.title}'?",
            explanation="Its sections and questions are deleted with it. Only a "
            "draft nobody has answered can be deleted.",
            button="Delete the survey", back_url=_build_url(survey),
            crumbs=_crumbs(network, survey))
    try:
        actions.delete_survey(survey=survey, by=request.user)
    except Refused as refused:
        messages.error(request, str(refused))
        return redirect(_build_url(survey))
    messages.success(request, f"'{survey.title}' is deleted.")
    return redirect(_manage_url(network))

