"""Role-matrix rows for the surveys building pages and API endpoints.

`PAGES` and `API` take the shape of the role matrix's own tables, which they
join (see tests/integration/test_role_matrix.py); object ids are the keys
`tests.factories.landscape.landscape_objects` and
`tests.factories.surveys.surveys_objects` return.
"""

from tests.integration.matrix_statuses import *

LONDON = {"network_slug": "london"}
SLUG = {"slug": "london"}

PAGES: dict = {}

API: dict = {}
