"""Role-matrix rows for the landscape pathways pages and API endpoints.

`PAGES` and `API` take the shape of the role matrix's own tables, which they
join (see tests/integration/test_role_matrix.py); object ids are the keys
`tests.factories.landscape.landscape_objects` and
`tests.factories.surveys.surveys_objects` return.
"""

from tests.integration.matrix_statuses import *

LONDON = {"network_slug": "london"}
SLUG = {"slug": "london"}

ICB = {**LONDON, "icb_code": "service-icb"}

PAGES: dict = {
    # The landscape is public; workforce figures are left out for outsiders.
    "landscape": (LONDON, PUBLIC),
    "landscape-map-csv": (LONDON, PUBLIC),
    "landscape-map-json": (LONDON, PUBLIC),
    "landscape-pathway": (ICB, PUBLIC),
    "landscape-pathway-csv": (ICB, PUBLIC),
    "landscape-variation": (LONDON, PUBLIC),
    "landscape-variation-csv": (LONDON, PUBLIC),
    "landscape-variation-json": (LONDON, PUBLIC),
    "landscape-waits-csv": (LONDON, PUBLIC),
    "landscape-waits-json": (LONDON, PUBLIC),
}

API: dict = {
    "landscape-summary": ("get", SLUG, None, API_PUBLIC),
    "landscape-pathway": ("get", {**SLUG, "icb_code": "service-icb"}, None,
                          API_PUBLIC),
    "landscape-variation": ("get", SLUG, None, API_PUBLIC),
}
