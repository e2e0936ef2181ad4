"""Role-matrix rows for the innovations records pages and API endpoints.

`PAGES` and `API` take the shape of the role matrix's own tables, which they
join (see tests/integration/test_role_matrix.py); object ids are the keys
`tests.factories.innovations.innovations_objects` returns.
"""

from tests.integration.matrix_statuses import *

LONDON = {"network_slug": "london"}
# The recommended innovation, proposed by the member.
RECOMMENDED = {**LONDON, "innovation_id": "innovation"}
# Its proposer and the leads change the record; other members (the object
# roles among them) and steering may not.
EDITORS = (302, 403, 200, 403, 200)

PAGES: dict = {
    # The catalogue is public: visitors see recommended innovations only.
    "innovation-list": (LONDON, PUBLIC),
    "innovation-catalogue-csv": (LONDON, PUBLIC),
    "innovation-propose": (LONDON, MEMBERS),
    # The public form, for visitors and signed-in non-members alike.
    "innovation-suggest": (LONDON, PUBLIC),
    "innovation-suggest-sent": (LONDON, PUBLIC),
    "innovation-review": (LONDON, LEADS),
    "innovation-review-decide": (
        {**LONDON, "innovation_id": "innovation-pending"}, LEADS),
    "innovation": (RECOMMENDED, PUBLIC),
    "innovation-edit": (RECOMMENDED, EDITORS, ONLY_THE_MEMBER),
    "innovation-stage": ({**LONDON, "innovation_id": "innovation-proposed"}, LEADS),
    "innovation-evidence-add": (RECOMMENDED, EDITORS, ONLY_THE_MEMBER),
    "innovation-evidence-remove": (
        {**RECOMMENDED, "evidence_id": "innovation-evidence"}, EDITORS,
        ONLY_THE_MEMBER),
    "innovation-attachment-add": (RECOMMENDED, EDITORS, ONLY_THE_MEMBER),
    # A recommended innovation's documents are public, as it is.
    "innovation-attachment": (
        {**RECOMMENDED, "attachment_id": "innovation-attachment"}, PUBLIC),
    "innovation-attachment-remove": (
        {**RECOMMENDED, "attachment_id": "innovation-attachment"}, EDITORS,
        ONLY_THE_MEMBER),
    "innovation-measure-add": (RECOMMENDED, EDITORS, ONLY_THE_MEMBER),
    "innovation-measure-edit": (
        {**RECOMMENDED, "measure_id": "innovation-measure"}, EDITORS, ONLY_THE_MEMBER),
    "innovation-measure-remove": (
        {**RECOMMENDED, "measure_id": "innovation-measure"}, EDITORS, ONLY_THE_MEMBER),
    "innovation-follow": (RECOMMENDED, MEMBERS_POSTED, post()),
    "innovation-unfollow": (RECOMMENDED, MEMBERS_POSTED, post()),
}

SLUG = {"slug": "london"}
API: dict = {
    # Visitors and outsiders read the public catalogue, members everything.
    "innovation-list": ("get", SLUG, None, API_PUBLIC),
    "innovation-detail": ("get", {**SLUG, "id": "innovation"}, None, API_PUBLIC),
    "innovation-create": (
        "post", SLUG,
        {"name": "Matrix API innovation", "kind": "pathway",
         "summary": "A pathway proposed through the API.",
         "problem": "Long waits.", "who_for": "Adults with back pain."},
        (401, 403, 201, 201, 201),
    ),
    "innovation-follow": ("post", {**SLUG, "id": "innovation"}, None, API_MEMBERS),
    "innovation-unfollow": ("delete", {**SLUG, "id": "innovation"}, None, API_MEMBERS),
}
