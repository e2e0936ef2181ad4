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
}

API: dict = {}
