"""A survey's results: tallies and charts, cross-tabs, coding free text into
themes, the responses export and the summary shared with the network.

Every figure shown is suppressed under five people
(`msknet.analytics.surveys`, docs/methods/survey-results.md). The lead's
coding page is the exception: it lists the answers themselves, so it counts
each theme's answers exactly.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from msknet.core.charts import Chart, chart_csv_response, chart_json_response
from msknet.core.confirm import confirm
from msknet.core.gate import gate
from msknet.members.models import Network
from msknet.members.permissions import Permission, has_permission

from .. import results_charts as charts
from .. import results_queries as queries
from ..actions import coding as actions
from ..actions.common import Refused
from ..models import Question, Survey, Theme
from ..results_forms import CodeForm, CrosstabForm, ThemeForm

PAGE_SIZE = 25
#: Answers of each free-text question shown on the results page; the rest
#: are on its coding page.
RESULTS_ANSWERS = 5


class CSVStream(StreamingHttpResponse):
    """A CSV sent as it is written. `content` reads the rest of it whole, for
    callers that want the body at once (as tests do)."""

    @property
    def content(self) -> bytes:  # type: ignore[override]
        return b"".join(self.streaming_content)


def load_survey(*, network: Network, kwargs: dict[str, Any]) -> Survey:
    return get_object_or_404(Survey.objects.select_related("network"),
                             network=network, pk=kwargs.pop("survey_id"))


def load_text_question(*, network: Network, kwargs: dict[str, Any]) -> Survey:
    """The survey (which the gate asks about); the view gets the free-text
    question as `question`."""
    survey = load_survey(network=network, kwargs=kwargs)
    question = get_object_or_404(Question.objects.select_related("section"),
                                 section__survey=survey, pk=kwargs.pop("question_id"))
    if not question.is_text:
        raise Http404("Only free-text questions have themes")
    kwargs["question"] = question
    return survey


def load_theme(*, network: Network, kwargs: dict[str, Any]) -> Survey:
    survey = load_text_question(network=network, kwargs=kwargs)
    kwargs["theme"] = get_object_or_404(Theme, question=kwargs["question"],
                                        pk=kwargs.pop("theme_id"))
    return survey


def args(survey: Survey) -> list[Any]:
    return [survey.network.slug, survey.pk]


def crumbs(network: Network, survey: Survey, *, results: bool = True
           ) -> list[tuple[str, str]]:
    trail = [(network.short_name, network.get_absolute_url())]
    if results:
        trail.append((f"Results: {survey.title}",
                      reverse("survey-results", args=args(survey))))
    return trail


def themes_url(question: Question) -> str:
    survey = question.section.survey
    return reverse("survey-themes", args=[*args(survey), question.pk])


def question_charts(survey: Survey, results: list[queries.QuestionResult]
                    ) -> list[tuple[queries.QuestionResult, Chart | None]]:
    return [(result, charts.question_chart(result)) for result in results]


def refusal(form: Any, error: Refused) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error))


@gate(Permission.MANAGE_SURVEYS, load=load_survey, as_="survey")
def survey_results(request: HttpRequest, network: Network, survey: Survey
                   ) -> HttpResponse:
    results = queries.results(survey)
    answers = {r.question.pk: list(queries.text_answers(r.question)[:RESULTS_ANSWERS])
               for r in results if r.question.is_text}
    shown = [(result, chart, answers.get(result.question.pk))
             for result, chart in question_charts(survey, results)]
    context = {
        "network": network, "survey": survey, "results": shown,
        "responses": queries.response_count(survey),
        "by_day": charts.responses_chart(queries.responses_by_day(survey)),
        "csv_url": reverse("survey-results-csv", args=args(survey)),
        "json_url": reverse("survey-results-json", args=args(survey)),
        "has_breakdowns": bool(queries.breakdown_questions(survey)),
        "crumbs": crumbs(network, survey, results=False),
    }
    return TemplateResponse(request, "surveys/results.html", context)


@gate(Permission.MANAGE_SURVEYS, load=load_survey, as_="survey")
def survey_results_data(request: HttpRequest, network: Network, survey: Survey,
                        fmt: str) -> HttpResponse:
    chart = charts.tallies_chart(queries.results(survey))
    if fmt == "csv":
        return chart_csv_response(chart, f"{network.slug}-survey-{survey.pk}-results.csv")
    return chart_json_response(chart)


def chosen_crosstab(request: HttpRequest, survey: Survey
                    ) -> tuple[CrosstabForm, Question | None, Question | None]:
    questions = queries.crosstab_questions(survey)
    breakdowns = queries.breakdown_questions(survey)
    data = request.GET if "question" in request.GET or "by" in request.GET else None
    initial = {"question": next((q.pk for q in questions if q not in breakdowns),
                                questions[0].pk if questions else None),
               "by": breakdowns[0].pk if breakdowns else None}
    form = CrosstabForm(data, initial=initial, questions=questions,
                        breakdowns=breakdowns)
    if data is None:
        picked = initial
    elif form.is_valid():
        picked = form.cleaned_data
    else:
        return form, None, None
    by_pk = {q.pk: q for q in questions + breakdowns}
    return form, by_pk.get(picked["question"]), by_pk.get(picked["by"])


def crosstab_chart(survey: Survey, question: Question, by: Question) -> tuple[Any, Chart]:
    table = queries.crosstab(survey, question, by)
    chart = charts.crosstab_chart(question, by, table)
    query = f"?question={question.pk}&by={by.pk}"
    return table, chart.with_urls(
        csv_url=reverse("survey-crosstab-csv", args=args(survey)) + query,
        json_url=reverse("survey-crosstab-json", args=args(survey)) + query)


@gate(Permission.MANAGE_SURVEYS, load=load_survey, as_="survey")
def survey_crosstab(request: HttpRequest, network: Network, survey: Survey
                    ) -> HttpResponse:
    form, question, by = chosen_crosstab(request, survey)
    table = chart = None
    if question is not None and by is not None:
        table, chart = crosstab_chart(survey, question, by)
    context = {
        "network": network, "survey": survey, "form": form, "question": question,
        "by": by, "table": table, "chart": chart,
        "crumbs": crumbs(network, survey),
    }
    return TemplateResponse(request, "surveys/crosstab.html", context)


@gate(Permission.MANAGE_SURVEYS, load=load_survey, as_="survey")
def survey_crosstab_data(request: HttpRequest, network: Network, survey: Survey,
                         fmt: str) -> HttpResponse:
    _, question, by = chosen_crosstab(request, survey)
    if question is None or by is None:
        raise Http404("Choose a question and a breakdown the survey has")
    _, chart = crosstab_chart(survey, question, by)
    if fmt == "csv":
        return chart_csv_response(
            chart, f"{network.slug}-survey-{survey.pk}-crosstab-{question.pk}-"
            f"{by.pk}.csv")
    return chart_json_response(chart)


def themes_page(request: HttpRequest, network: Network, survey: Survey,
                question: Question, *, code_form: CodeForm | None = None,
                theme_form: ThemeForm | None = None) -> HttpResponse:
    page = Paginator(queries.text_answers(question), PAGE_SIZE).get_page(
        request.GET.get("page"))
    themes = list(queries.themes_with_counts(question))
    errors = code_form is not None and bool(code_form.errors)
    context = {
        "network": network, "survey": survey, "question": question, "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
        "themes": themes, "theme_form": theme_form or ThemeForm(),
        "code_form": code_form, "errors": errors,
        "chosen": set(code_form.data.getlist("answers")) if errors else set(),
        "crumbs": crumbs(network, survey),
    }
    return TemplateResponse(request, "surveys/themes.html", context)


@gate(Permission.MANAGE_SURVEYS, load=load_text_question, as_="survey")
def survey_themes(request: HttpRequest, network: Network, survey: Survey,
                  question: Question) -> HttpResponse:
    return themes_page(request, network, survey, question)


@gate(Permission.MANAGE_SURVEYS, load=load_text_question, as_="survey")
def survey_theme_add(request: HttpRequest, network: Network, survey: Survey,
                     question: Question) -> HttpResponse:
    form = ThemeForm(request.POST or None)
    if form.is_valid():
        try:
            theme = actions.add_theme(question=question, by=request.user,
                                      **form.cleaned_data)
        except Refused as error:
            refusal(form, error)
        else:
            messages.success(request, f"Added the theme “{theme.name}”")
            return redirect(themes_url(question))
    context = {"network": network, "survey": survey, "question": question,
               "form": form, "heading": "Add a theme", "button": "Add the theme",
               "crumbs": crumbs(network, survey)
               + [("Themes", themes_url(question))]}
    return TemplateResponse(request, "surveys/themes_form.html", context)


@gate(Permission.MANAGE_SURVEYS, load=load_theme, as_="survey")
def survey_theme_edit(request: HttpRequest, network: Network, survey: Survey,
                      question: Question, theme: Theme) -> HttpResponse:
    form = ThemeForm(request.POST or None,
                     initial={"name": theme.name, "description": theme.description})
    if form.is_valid():
        try:
            actions.change_theme(theme=theme, by=request.user, **form.cleaned_data)
        except Refused as error:
            refusal(form, error)
        else:
            messages.success(request, f"Saved the theme “{theme.name}”")
            return redirect(themes_url(question))
    context = {"network": network, "survey": survey, "question": question,
               "form": form, "heading": f"Change the theme “{theme.name}”",
               "button": "Save the theme",
               "crumbs": crumbs(network, survey)
               + [("Themes", themes_url(question))]}
    return TemplateResponse(request, "surveys/themes_form.html", context)


@gate(Permission.MANAGE_SURVEYS, load=load_theme, as_="survey")
def survey_theme_remove(request: HttpRequest, network: Network, survey: Survey,
                        question: Question, theme: Theme) -> HttpResponse:
    if request.method == "POST":
        actions.remove_theme(theme=theme, by=request.user)
        messages.success(request, f"Removed the theme “{theme.name}”")
        return redirect(themes_url(question))
    return confirm(
        request, question=f"Remove the theme “{theme.name}”?",
        explanation="The answers coded into it keep their other themes; the "
        "answers themselves are not removed.",
        button="Remove the theme", back_url=themes_url(question),
        crumbs=crumbs(network, survey) + [("Themes", themes_url(question))])


@gate(Permission.MANAGE_SURVEYS, load=load_text_question, as_="survey")
@require_POST
def survey_code(request: HttpRequest, network: Network, survey: Survey,
                question: Question) -> HttpResponse:
    form = CodeForm(request.POST, question=question)
    if form.is_valid():
        data = form.cleaned_data
        theme = question.themes.get(pk=data["theme"])
        try:
            changed = actions.code_answers(theme=theme, answers=data["answers"],
                                           by=request.user, remove=data["remove"])
        except Refused as error:
            refusal(form, error)
        else:
            verb = "Took" if data["remove"] else "Coded"
            where = "out of" if data["remove"] else "into"
            messages.success(request, f"{verb} {changed} answer{'s' if changed != 1 else ''}"
                             f" {where} “{theme.name}”")
            return redirect(themes_url(question) + (
                f"?page={request.POST['page']}" if request.POST.get("page", "").isdigit()
                else ""))
    return themes_page(request, network, survey, question, code_form=form)


@gate(Permission.MANAGE_SURVEYS, load=load_survey, as_="survey")
def survey_responses_csv(request: HttpRequest, network: Network, survey: Survey
                         ) -> HttpResponse:
    """The responses, streamed a batch at a time (an export of thousands of
    responses is never held whole in memory)."""
    response = CSVStream(queries.responses_csv_lines(survey),
                         content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{network.slug}-survey-{survey.pk}-responses.csv"')
    return response


@gate(Permission.VIEW_SURVEY_RESULTS, load=load_survey, as_="survey")
def survey_summary(request: HttpRequest, network: Network, survey: Survey
                   ) -> HttpResponse:
    """The results for the network: suppressed figures and themes, and no
    free-text answer verbatim."""
    context = {
        "network": network, "survey": survey,
        "results": question_charts(survey, queries.results(survey)),
        "responses": queries.response_count(survey),
        "can_manage": has_permission(request.user, Permission.MANAGE_SURVEYS,
                                     network, survey),
        "crumbs": [(network.short_name, network.get_absolute_url())],
    }
    return TemplateResponse(request, "surveys/summary.html", context)


def share(request: HttpRequest, survey: Survey, shared: bool) -> HttpResponse:
    actions.share_results(survey=survey, by=request.user, shared=shared)
    messages.success(request, "The results summary is shared with the network's "
                     "members" if shared else "The results summary is no longer "
                     "shared: only leads can see it")
    return redirect("survey-summary", *args(survey))


@gate(Permission.MANAGE_SURVEYS, load=load_survey, as_="survey")
@require_POST
def survey_share(request: HttpRequest, network: Network, survey: Survey
                 ) -> HttpResponse:
    return share(request, survey, True)


@gate(Permission.MANAGE_SURVEYS, load=load_survey, as_="survey")
@require_POST
def survey_unshare(request: HttpRequest, network: Network, survey: Survey
                   ) -> HttpResponse:
    return share(request, survey, False)
