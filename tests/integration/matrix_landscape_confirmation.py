"""Role-matrix rows for the landscape confirmation pages and API endpoints.

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
    # Members from the provider keep its services up to date; the matrix's
    # member is from another organisation, so only the lead may.
    "service-confirm": (SERVICE, LEADS_POSTED, post()),
    # Leads keep the directory current: the stale list and asking owners.
    "service-stale": (LONDON, LEADS),
    "service-request-confirmation": (
        {**LONDON, "service_id": "service-stale"}, LEADS_POSTED, post()),
    "service-request-confirmation-all": (LONDON, LEADS_POSTED, post()),
    # The emailed link: its token is the authority, so anyone holding it.
    "service-confirm-link": (
        {**LONDON, "token": "service-confirm-token"}, PUBLIC),
    # The directory is public, so is its CSV; importing is for leads.
    "service-export-csv": (LONDON, PUBLIC),
    "service-import": (LONDON, LEADS),
}

API: dict = {
    "service-stale-list": ("get", SLUG, None, API_LEADS),
    # The matrix's member is not from the service's provider.
    "service-confirm-api": ("post", {**SLUG, "id": "service-stale"}, None, API_LEADS),
    # A file with only a header is refused, naming it: nothing is written.
    "service-import-api": ("post", SLUG, {"csv": "name,provider,icb,step\n"},
                           (401, 403, 403, 403, 422)),
}
