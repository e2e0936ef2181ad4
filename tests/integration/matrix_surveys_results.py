"""Role-matrix rows for the surveys results pages and API endpoints.

`PAGES` and `API` take the shape of the role matrix's own tables, which they
join (see tests/integration/test_role_matrix.py); object ids are the keys
`tests.factories.landscape.landscape_objects` and
`tests.factories.surveys.surveys_objects` return.
"""

from tests.integration.matrix_statuses import *

LONDON = {"network_slug": "london"}
SLUG = {"slug": "london"}
SURVEY = {**LONDON, "survey_id": "survey"}
QUESTION = {**SURVEY, "question_id": "survey-text-question"}
THEME = {**QUESTION, "theme_id": "survey-theme"}

PAGES: dict = {
    # The full results, the cross-tab, coding and the export are for leads.
    "survey-results": (SURVEY, LEADS),
    "survey-results-csv": (SURVEY, LEADS),
    "survey-results-json": (SURVEY, LEADS),
    "survey-crosstab": (SURVEY, LEADS),
    "survey-crosstab-csv": (SURVEY, LEADS),
    "survey-crosstab-json": (SURVEY, LEADS),
    "survey-themes": (QUESTION, LEADS),
    "survey-theme-add": (QUESTION, LEADS),
    "survey-theme-edit": (THEME, LEADS),
    # GET asks to confirm.
    "survey-theme-remove": (THEME, LEADS),
    # No answers chosen: the lead sees the coding page again with the error.
    "survey-code": (QUESTION, LEADS, post()),
    "survey-responses-csv": (SURVEY, LEADS),
    # The summary is the leads' until one shares it (the matrix survey is not
    # shared; tests/integration/test_surveys_results.py shares one).
    "survey-summary": (SURVEY, LEADS),
    "survey-share": (SURVEY, LEADS_POSTED, post()),
    "survey-unshare": (SURVEY, LEADS_POSTED, post()),
}

API: dict = {
    "survey-results-api": ("get", {**SLUG, "id": "survey"}, None, API_LEADS),
    # No question or breakdown named: the lead is told so by field.
    "survey-crosstab-api": ("get", {**SLUG, "id": "survey"}, None,
                            (401, 403, 403, 403, 422)),
    "survey-themes-api": ("get", {**SLUG, "id": "survey"}, None, API_LEADS),
}
