"""Role-matrix rows for the innovations adoption pages and API endpoints.

`PAGES` and `API` take the shape of the role matrix's own tables, which they
join (see tests/integration/test_role_matrix.py); object ids are the keys
`tests.factories.innovations.innovations_objects` returns.
"""

from tests.integration.matrix_statuses import *

LONDON = {"network_slug": "london"}
INNOVATION = {**LONDON, "innovation_id": "innovation"}
ADOPTION = {**INNOVATION, "adoption_id": "adoption"}

PAGES: dict = {
    # The spread across the network's sites is for members.
    "innovation-spread": (LONDON, MEMBERS),
    "innovation-spread-csv": (LONDON, MEMBERS),
    "innovation-spread-map": (LONDON, MEMBERS),
    "innovation-spread-map-csv": (LONDON, MEMBERS),
    "innovation-spread-map-json": (LONDON, MEMBERS),
    # A recommended innovation is public, and so is where it is in use.
    "innovation-adoptions": (INNOVATION, PUBLIC),
    "innovation-adoption-curve-csv": (INNOVATION, PUBLIC),
    "innovation-adoption-curve-json": (INNOVATION, PUBLIC),
    "innovation-adoption": (ADOPTION, PUBLIC),
    # Members record sites' statuses (which sites is the rule, on saving).
    "innovation-adoption-record": (INNOVATION, MEMBERS),
    "innovation-spread-project": (ADOPTION, LEADS),
}

SLUG = {"slug": "london"}
API: dict = {
    "innovation-adoption-matrix": ("get", SLUG, None, API_MEMBERS),
    "innovation-adoption-list": ("get", {**SLUG, "id": "innovation"}, None,
                                 API_PUBLIC),
    "innovation-adoption-detail": (
        "get", {**SLUG, "id": "innovation", "adoption_id": "adoption"}, None,
        API_PUBLIC,
    ),
    # No organisation has that id: the rule lets only leads record a site
    # that is not one's own, and the site is then refused by name.
    "innovation-adoption-record": (
        "post", {**SLUG, "id": "innovation"},
        {"site": 2**31 - 1, "status": "aware", "on": "2026-01-05"},
        (401, 403, 403, 403, 422),
    ),
}
