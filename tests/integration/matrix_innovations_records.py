"""Role-matrix rows for the innovations records pages and API endpoints.

`PAGES` and `API` take the shape of the role matrix's own tables, which they
join (see tests/integration/test_role_matrix.py); object ids are the keys
`tests.factories.innovations.innovations_objects` returns.
"""

from tests.integration.matrix_statuses import *

PAGES: dict = {}
API: dict = {}
