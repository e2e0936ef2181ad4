"""Role-matrix rows for the surveys building pages and API endpoints.

`PAGES` and `API` take the shape of the role matrix's own tables, which they
join (see tests/integration/test_role_matrix.py); object ids are the keys
`tests.factories.landscape.landscape_objects` and
`tests.factories.surveys.surveys_objects` return.

"survey" is open with a response, so changes to its structure are refused
(with a message, back to the build page: a redirect); "survey-draft" has none.
"""

from tests.integration.matrix_statuses import *

LONDON = {"network_slug": "london"}
SLUG = {"slug": "london"}
SURVEY = {**LONDON, "survey_id": "survey"}
DRAFT = {**LONDON, "survey_id": "survey-draft"}
SECTION = {**SURVEY, "section_id": "survey-section"}
QUESTION = {**SURVEY, "question_id": "survey-question"}
UP = {"direction": "up"}

PAGES: dict = {
    # Building is for leads only.
    "survey-manage": (LONDON, LEADS),
    "survey-new": (LONDON, LEADS),
    "survey-settings": (SURVEY, LEADS),
    "survey-build": (SURVEY, LEADS),
    "survey-section-add": (SURVEY, LEADS),
    "survey-section-edit": (SECTION, LEADS),
    "survey-section-remove": (SECTION, LEADS),
    "survey-section-move": (SECTION, LEADS_POSTED, post(UP)),
    "survey-question-add": (SECTION, LEADS),
    "survey-question-edit": (QUESTION, LEADS),
    "survey-question-remove": (QUESTION, LEADS),
    "survey-question-move": (QUESTION, LEADS_POSTED, post(UP)),
    "survey-open": (DRAFT, LEADS_POSTED, post()),
    "survey-close": (SURVEY, LEADS_POSTED, post()),
    "survey-link": (SURVEY, LEADS),
    "survey-new-link": (SURVEY, LEADS_POSTED, post()),
    "survey-delete": (DRAFT, LEADS),
}

API: dict = {
    "survey-list": ("get", SLUG, None, API_LEADS),
    "survey-detail": ("get", {**SLUG, "id": "survey"}, None, API_LEADS),
    # An unknown template passes the gate and is refused by name.
    "survey-create": ("post", SLUG, {"template": "no-such-template"},
                      (401, 403, 403, 403, 422)),
    "survey-open": ("post", {**SLUG, "id": "survey-draft"}, None, API_LEADS),
    "survey-close": ("post", {**SLUG, "id": "survey"}, None, API_LEADS),
}
