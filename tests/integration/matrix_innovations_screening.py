"""Role-matrix rows for the innovations screening pages and API endpoints.

`PAGES` and `API` take the shape of the role matrix's own tables, which they
join (see tests/integration/test_role_matrix.py); object ids are the keys
`tests.factories.innovations.innovations_objects` returns.

Nobody is named to the panel, so the steering group and leads score; nobody
has scored yet, so the scores of the recommended (decided) innovation are for
steering and leads only, and an empty scorecard is refused as incomplete.
"""

from tests.integration.matrix_statuses import *

LONDON = {"network_slug": "london"}
SCREENING = {**LONDON, "innovation_id": "innovation-screening"}
API_SLUG = {"slug": "london"}
API_STEERING = (401, 403, 403, 200, 200)

PAGES: dict = {
    "innovation-screening": (LONDON, STEERING),
    "innovation-screening-csv": (LONDON, STEERING),
    "innovation-criteria": (LONDON, LEADS),
    "innovation-criterion-edit": (
        {**LONDON, "criterion_id": "innovation-criterion"}, LEADS),
    # Nothing is scored on it, so the lead removes it.
    "innovation-criterion-delete": (
        {**LONDON, "criterion_id": "innovation-criterion"}, LEADS_POSTED, post()),
    "innovation-panel": (LONDON, LEADS),
    "innovation-score": (SCREENING, STEERING),
    "innovation-scorecards": (
        {**LONDON, "innovation_id": "innovation"}, STEERING),
    "innovation-decide": (SCREENING, LEADS),
}

API: dict = {
    "innovation-screening-ranking": ("get", API_SLUG, None, API_STEERING),
    "innovation-scores": (
        "get", {**API_SLUG, "id": "innovation"}, None, API_STEERING),
    "innovation-scores-submit": (
        "put", {**API_SLUG, "id": "innovation-screening"}, {"scores": []},
        (401, 403, 403, 422, 422)),
    "innovation-decision": (
        "post", {**API_SLUG, "id": "innovation-screening"}, {"stage": "on_hold"},
        (401, 403, 403, 403, 200)),
}
