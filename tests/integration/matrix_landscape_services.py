"""Role-matrix rows for the landscape services pages and API endpoints.

`PAGES` and `API` take the shape of the role matrix's own tables, which they
join (see tests/integration/test_role_matrix.py); object ids are the keys
`tests.factories.landscape.landscape_objects` and
`tests.factories.surveys.surveys_objects` return.
"""

from tests.integration.matrix_statuses import *

LONDON = {"network_slug": "london"}
SLUG = {"slug": "london"}
SERVICE = {**LONDON, "service_id": "service"}

PAGES: dict = {
    # The directory and each service's page are public: patients and
    # referrers need them. So are the waits behind the chart.
    "service-directory": (LONDON, PUBLIC),
    "service": (SERVICE, PUBLIC),
    "service-activity-csv": (SERVICE, PUBLIC),
    "service-activity-json": (SERVICE, PUBLIC),
    # Workforce figures are for members.
    "service-workforce-csv": (SERVICE, MEMBERS),
    "service-workforce-json": (SERVICE, MEMBERS),
    # Members keep their own organisation's services up to date; the matrix's
    # members are from no organisation, and not the service's provider.
    "service-add": (LONDON, LEADS),
    "service-edit": (SERVICE, LEADS),
    "service-activity-add": (SERVICE, LEADS),
    "service-workforce-add": (SERVICE, LEADS),
    "service-activity-remove": ({**SERVICE, "activity_id": "service-activity"},
                                LEADS),
    "service-workforce-remove": ({**SERVICE, "workforce_id": "service-workforce"},
                                 LEADS),
    "service-withdraw": (SERVICE, LEADS),
    # Restoring asks first; the service is not withdrawn, so posting says so.
    "service-restore": (SERVICE, LEADS),
}

ID = {**SLUG, "id": "service"}
API: dict = {
    "landscape-service-list": ("get", SLUG, None, API_PUBLIC),
    "landscape-service-detail": ("get", ID, None, API_PUBLIC),
    "landscape-service-activity-list": ("get", ID, None, API_PUBLIC),
    # No organisation has that id: the rule lets only leads add a service
    # for an organisation not their own, and the provider is then refused.
    "landscape-service-create": (
        "post", SLUG, {"provider": 2**31 - 1, "name": "Matrix new service",
                       "icb": "ZZZ",
                       "step": "community_msk"},
        (401, 403, 403, 403, 422),
    ),
    "landscape-service-update": ("patch", ID, {"phone": "0191 000 0000"},
                                 (401, 403, 403, 403, 200)),
    "landscape-service-activity-record": (
        "post", ID, {"period_start": "2000-01-01", "median_wait_weeks": 6,
                     "p90_wait_weeks": 3},
        (401, 403, 403, 403, 422),
    ),
    "landscape-service-workforce-record": (
        "post", ID, {"as_of": "2000-01-01", "profession": "physiotherapist",
                     "wte": 2},
        (401, 403, 403, 403, 201),
    ),
}
