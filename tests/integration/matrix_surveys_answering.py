"""Role-matrix rows for the surveys answering pages and API endpoints.

`PAGES` and `API` take the shape of the role matrix's own tables, which they
join (see tests/integration/test_role_matrix.py); object ids are the keys
`tests.factories.landscape.landscape_objects` and
`tests.factories.surveys.surveys_objects` return.
"""

from tests.integration.matrix_statuses import *

LONDON = {"network_slug": "london"}
SLUG = {"slug": "london"}
SURVEY = {**LONDON, "survey_id": "survey"}
# The steering group member has already sent their one response to "survey":
# its start page says so, and its section and check pages send them back there.
SENT_ALREADY = (302, 403, 200, 302, 200)

PAGES: dict = {
    "survey-list": (LONDON, MEMBERS),
    # The members' survey: its audience is the network's members.
    "survey-start": (SURVEY, MEMBERS),
    "survey-section": ({**SURVEY, "position": 1}, SENT_ALREADY),
    "survey-check": (SURVEY, SENT_ALREADY),
    "survey-done": (SURVEY, MEMBERS),
    # An anonymous survey for anyone with its link, signed in or not.
    "survey-by-link": ({**LONDON, "token": "survey-token"}, PUBLIC),
}

API: dict = {
    "survey-open-list": ("get", SLUG, None, API_MEMBERS),
    # An empty response: the required questions are named (the steering group
    # member, who has sent theirs, is refused the limit, also a 422).
    "survey-response-send": ("post", {**SLUG, "id": "survey"}, {"answers": {}},
                             (401, 403, 422, 422, 422)),
}
