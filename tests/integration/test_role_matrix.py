"""Walk every page and API operation as each role and assert who gets what.

The table must name every URL: a new page without a row fails this test, so
nobody can add a page without deciding who may see it.

Each row is `(kwargs, expected)` or `(kwargs, expected, options)`: `expected`
is the status per role in ROLES; `options` may say `method`/`data` (a route
that only takes POST is sent a POST), what an object role gets when it
differs from what the member gets, and `across: False` for an object that
belongs to no network (an invitation link works anywhere). Object ids are
named by key (`"gov-group"`) and resolved against the world's objects; every
request runs in a savepoint rolled back afterwards, so each role finds the
world as the fixture left it.

A second network has its own full set of objects: every row with an object
id is walked again with that network's ids under this network's slug, and
must answer 404 to every role who gets past the gate with this network's own.
"""

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections, transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from msknet.analytics import prescribing as rx
from msknet.analytics.prescribing import synth
from msknet.community.feeds import feed_token
from msknet.insights.models import ImportRun, Indicator
from msknet.members.actions.accounts import create_api_token
from msknet.members.actions.invitations import hash_token
from msknet.members.models import Membership, Role
from tests.factories.community import matrix_objects as community_objects
from tests.factories.discussions import discussions_objects
from tests.factories.governance import governance_objects
from tests.factories.improvement import improvement_objects
from tests.factories.innovations import innovations_objects
from tests.factories.insights import indicator_with_values
from tests.factories.joining import InvitationFactory, JoinRequestFactory
from tests.factories.landscape import landscape_objects
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import NetworkFactory, london_network
from tests.factories.news import news_objects
from tests.factories.prescribing_alerts import alert_objects
from tests.factories.priorities import priorities_objects
from tests.factories.surveys import surveys_objects
from tests.integration import (
    matrix_innovations_adoption,
    matrix_innovations_records,
    matrix_innovations_screening,
    matrix_landscape_confirmation,
    matrix_landscape_pathways,
    matrix_landscape_services,
    matrix_surveys_answering,
    matrix_surveys_building,
    matrix_surveys_results,
)
from tests.integration.matrix_statuses import (
    ALL_ROLES,
    API_LEADS,
    API_MEMBERS,
    API_PUBLIC,
    LEADS,
    LEADS_POSTED,
    MEMBERS,
    MEMBERS_POSTED,
    OBJECT_ROLES,
    ONLY_THE_MEMBER,
    OWN_MEMBERSHIP,
    PUBLIC,
    REFUSED,
    ROLES,
    SIGNED_IN,
    STEERING,
    post,
)

PAGES = {
    "home": ({}, PUBLIC),
    "network-home": ({"network_slug": "london"}, PUBLIC),
    "network-about": ({"network_slug": "london"}, PUBLIC),
    "join-request-create": ({"network_slug": "london"}, PUBLIC),
    "join-request-sent": ({"network_slug": "london"}, PUBLIC),
    "accessibility": ({}, PUBLIC),
    "privacy": ({}, PUBLIC),
    "healthz": ({}, PUBLIC),
    "sign-in": ({}, PUBLIC),
    "sign-out": ({}, (302,) * 5, post()),
    "password-reset": ({}, PUBLIC),
    "password-reset-sent": ({}, PUBLIC),
    "password-reset-complete": ({}, PUBLIC),
    # A made-up link shows the "link has expired" page.
    "password-reset-confirm": ({"uidb64": "MQ", "token": "bad-token"}, PUBLIC),
    "set-password": ({"uidb64": "MQ", "token": "bad-token"}, PUBLIC),
    # Single sign-on is off unless OIDC_ISSUER is set (tests/integration/test_sso.py).
    "sso-start": ({}, (404,) * 5),
    "sso-callback": ({}, (404,) * 5),
    # An open invitation for someone new: the visitor may make their account;
    # anyone signed in is someone else. Its link works whatever the network.
    "invitation-accept": ({"token": "invite-token"}, (200, 403, 403, 403, 403),
                          {"across": False}),
    "account": ({}, SIGNED_IN),
    "account-details": ({}, SIGNED_IN),
    "account-email": ({}, SIGNED_IN),
    # An unusable link: everyone sees the same "does not work" page.
    "account-email-confirm": ({"token": "not-a-signed-link"}, PUBLIC),
    "account-data": ({}, SIGNED_IN),
    "account-delete": ({}, SIGNED_IN),
    "account-tokens": ({}, SIGNED_IN),
    # Each signed-in role revokes a token of their own.
    "account-token-revoke": ({"pk": "token"}, (302,) * 5, post()),
    "account-membership": ({"network_slug": "london"}, OWN_MEMBERSHIP),
    "account-leave": ({"network_slug": "london"}, OWN_MEMBERSHIP),
    # Two-factor authentication: steering, leads and event organisers must use
    # it (the test client gives them an app), so set-up sends them on and they
    # see why they cannot turn it off; the rest have nothing to turn off, no
    # new codes to show, and no code to enter.
    "two-factor": ({}, SIGNED_IN),
    "two-factor-set-up": ({}, (302, 200, 200, 302, 302), {"organiser": 302}),
    "two-factor-recovery-codes": ({}, (302,) * 5),
    "two-factor-new-codes": ({}, (302,) * 5, post()),
    "two-factor-turn-off": ({}, (302, 302, 302, 200, 200), {"organiser": 200}),
    "two-factor-verify": ({}, (302,) * 5),
    "directory": ({"network_slug": "london"}, MEMBERS),
    "directory-profile": ({"network_slug": "london", "pk": "colleague"}, MEMBERS),
    "network-dashboard": ({"network_slug": "london"}, STEERING),
    "network-dashboard-chart": (
        {"network_slug": "london", "chart_id": "members-by-sector", "fmt": "csv"},
        STEERING,
    ),
    "join-request-list": ({"network_slug": "london"}, LEADS),
    "join-request-decide": ({"network_slug": "london", "pk": "join"}, LEADS),
    "invitation-list": ({"network_slug": "london"}, LEADS),
    "invitation-create": ({"network_slug": "london"}, LEADS),
    "invitation-bulk": ({"network_slug": "london"}, LEADS),
    "invitation-resend": ({"network_slug": "london", "pk": "invite"}, LEADS_POSTED,
                          post()),
    "invitation-withdraw": (
        {"network_slug": "london", "pk": "invite"},
        LEADS_POSTED, post(),
    ),
    "network-edit": ({"network_slug": "london"}, LEADS),
    "topic-create": ({"network_slug": "london"}, LEADS),
    "member-list": ({"network_slug": "london"}, LEADS),
    "member-role": ({"network_slug": "london", "pk": "colleague"}, LEADS),
    "failed-tasks": ({"network_slug": "london"}, LEADS),
    "insights-import": ({"network_slug": "london"}, LEADS),
    "insights-import-status": ({"network_slug": "london", "pk": "import"}, LEADS),
    "insights-local-csv-guide": ({"network_slug": "london"}, PUBLIC),
    "insights-local-csv-example": ({"network_slug": "london"}, PUBLIC),
    # London's own local indicator: its leads edit it (shared ones: stewards).
    "insights-indicator-edit": (
        {"network_slug": "london", "indicator_slug": "matrix-local-indicator"}, LEADS
    ),
    # Population health: public data, readable by anyone, charts and their
    # twins included (an indicator with two years of values).
    "insights": ({"network_slug": "london"}, PUBLIC),
    "insights-indicator": (
        {"network_slug": "london", "indicator_slug": "matrix-indicator"}, PUBLIC
    ),
    "insights-indicator-chart": (
        {"network_slug": "london", "indicator_slug": "matrix-indicator",
         "chart_id": "icb-values", "fmt": "csv"},
        PUBLIC,
    ),
    "insights-area": ({"network_slug": "london", "area_code": "E54000028"}, PUBLIC),
    "insights-area-chart": (
        {"network_slug": "london", "area_code": "E54000028", "chart_id": "spine",
         "fmt": "json"},
        PUBLIC,
    ),
    "insights-trend": (
        {"network_slug": "london", "indicator_slug": "matrix-indicator",
         "area_code": "E54000028"},
        PUBLIC,
    ),
    "insights-trend-chart": (
        {"network_slug": "london", "indicator_slug": "matrix-indicator",
         "area_code": "E54000028", "chart_id": "trend", "fmt": "csv"},
        PUBLIC,
    ),
    "insights-inequality": (
        {"network_slug": "london", "indicator_slug": "matrix-indicator",
         "area_code": "E54000028"},
        PUBLIC,
    ),
    "insights-inequality-chart": (
        {"network_slug": "london", "indicator_slug": "matrix-indicator",
         "area_code": "E54000028", "chart_id": "by-deprivation", "fmt": "csv"},
        PUBLIC,
    ),
    "insights-funnel": (
        {"network_slug": "london", "indicator_slug": "matrix-indicator"}, PUBLIC
    ),
    "insights-funnel-chart": (
        {"network_slug": "london", "indicator_slug": "matrix-indicator",
         "chart_id": "funnel", "fmt": "csv"},
        PUBLIC,
    ),
    # Prescribing: public data, charts included (a small synthetic store).
    "prescribing-overview": ({"network_slug": "london"}, PUBLIC),
    "prescribing-overview-chart": (
        {"network_slug": "london", "chart_id": "icbs", "fmt": "csv"}, PUBLIC
    ),
    "prescribing-measure": (
        {"network_slug": "london", "measure_id": "opioid_ome", "level": "icb",
         "org_code": "QKK"},
        PUBLIC,
    ),
    "prescribing-measure-chart": (
        {"network_slug": "london", "measure_id": "opioid_ome", "level": "icb",
         "org_code": "QKK", "chart_id": "deciles", "fmt": "json"},
        PUBLIC,
    ),
    # Prescribing alerts: anyone subscribes; whoever holds an emailed link
    # confirms or unsubscribes with it.
    "prescribing-alert-subscribe": ({"network_slug": "london"}, PUBLIC),
    "prescribing-alert-sent": ({"network_slug": "london"}, PUBLIC),
    "prescribing-alert-confirm": (
        {"network_slug": "london", "token": "alert-confirm-token"}, PUBLIC
    ),
    "prescribing-alert-unsubscribe": (
        {"network_slug": "london", "token": "alert-unsubscribe-token"}, PUBLIC
    ),
    # Governance: members read; the group's chair and leads run meetings and
    # draft terms; leads manage groups, terms approval and the timeline; an
    # action's owner (the member) updates it.
    "group-list": ({"network_slug": "london"}, MEMBERS),
    "group-create": ({"network_slug": "london"}, LEADS),
    "group-detail": ({"network_slug": "london", "group_slug": "gov-group"}, MEMBERS),
    "group-edit": ({"network_slug": "london", "group_slug": "gov-group"}, LEADS),
    "group-member-add": ({"network_slug": "london", "group_slug": "gov-group"},
                         LEADS),
    "group-member-remove": (
        {"network_slug": "london", "group_slug": "gov-group",
         "user_pk": "member-user"},
        LEADS_POSTED, post(),
    ),
    "terms-list": ({"network_slug": "london", "group_slug": "gov-group"}, MEMBERS),
    "terms-detail": (
        {"network_slug": "london", "group_slug": "gov-group", "number": 1}, MEMBERS
    ),
    "terms-compare": ({"network_slug": "london", "group_slug": "gov-group"}, MEMBERS),
    "terms-edit": ({"network_slug": "london", "group_slug": "gov-group"}, LEADS, {"chair": 200}),
    "terms-approve": (
        {"network_slug": "london", "group_slug": "gov-group", "number": 1}, LEADS
    ),
    "meeting-list": ({"network_slug": "london"}, MEMBERS),
    "meeting-create": ({"network_slug": "london", "group_slug": "gov-group"}, LEADS, {"chair": 200}),
    "meeting-detail": ({"network_slug": "london", "meeting_pk": "gov-meeting"},
                       MEMBERS),
    "meeting-edit": ({"network_slug": "london", "meeting_pk": "gov-meeting"}, LEADS, {"chair": 200}),
    "meeting-attendance": (
        {"network_slug": "london", "meeting_pk": "gov-meeting"}, LEADS, {"chair": 200}),
    "agenda-item-create": (
        {"network_slug": "london", "meeting_pk": "gov-meeting"}, LEADS, {"chair": 200}),
    "agenda-item-edit": (
        {"network_slug": "london", "meeting_pk": "gov-meeting", "item_pk": "gov-item"},
        LEADS, {"chair": 200}),
    "paper-upload": (
        {"network_slug": "london", "meeting_pk": "gov-meeting", "item_pk": "gov-item"},
        LEADS, {"chair": 200}),
    "paper-download": (
        {"network_slug": "london", "meeting_pk": "gov-meeting",
         "paper_pk": "gov-paper"},
        MEMBERS,
    ),
    "decision-create": ({"network_slug": "london", "meeting_pk": "gov-meeting"},
                        LEADS, {"chair": 200}),
    "action-create": ({"network_slug": "london", "meeting_pk": "gov-meeting"}, LEADS, {"chair": 200}),
    "decision-list": ({"network_slug": "london"}, MEMBERS),
    "decision-detail": ({"network_slug": "london", "reference": "gov-decision"},
                        MEMBERS),
    "my-actions": ({"network_slug": "london"}, MEMBERS),
    "action-status": (
        {"network_slug": "london", "action_pk": "gov-action"},
        (302, 403, 200, 403, 200), ONLY_THE_MEMBER | {"chair": 200},
    ),
    "timeline": ({"network_slug": "london"}, PUBLIC),
    "phase-create": ({"network_slug": "london"}, LEADS),
    "phase-edit": ({"network_slug": "london", "pk": "gov-phase"}, LEADS),
    "milestone-create": ({"network_slug": "london"}, LEADS),
    "milestone-edit": ({"network_slug": "london", "pk": "gov-milestone"}, LEADS),
    # Events and resources: public lists and feed; a members-only event with
    # slides, and a members-only resource with a file: leads and the event's
    # organiser manage the event, leads and the resource's author change the
    # resource.
    "event-list": ({"network_slug": "london"}, PUBLIC),
    "event-feed": ({"network_slug": "london"}, PUBLIC),
    # The member's personal calendar link: a secret, so anyone holding it
    # gets the feed (another network's member's link is refused here).
    "event-feed-personal": ({"network_slug": "london", "token": "feed-token"}, PUBLIC),
    "event-create": ({"network_slug": "london"}, STEERING),
    "event-detail": ({"network_slug": "london", "pk": "community-event"}, MEMBERS),
    "event-invite": ({"network_slug": "london", "pk": "community-event"}, MEMBERS),
    "event-register": ({"network_slug": "london", "pk": "community-event"},
                       MEMBERS_POSTED, post()),
    # Only the member holds a place: they are asked to confirm; others without
    # one are sent back to the event.
    "event-cancel": ({"network_slug": "london", "pk": "community-event"},
                     (302, 403, 200, 302, 302), dict.fromkeys(OBJECT_ROLES, 302)),
    "event-edit": ({"network_slug": "london", "pk": "community-event"}, LEADS, {"organiser": 200}),
    "event-registrations": ({"network_slug": "london", "pk": "community-event"}, LEADS, {"organiser": 200}),
    "event-registrations-csv": ({"network_slug": "london", "pk": "community-event"}, LEADS, {"organiser": 200}),
    "event-material-create": ({"network_slug": "london", "pk": "community-event"}, LEADS, {"organiser": 200}),
    "event-material-file": (
        {"network_slug": "london", "pk": "community-event",
         "material_pk": "community-material"},
        MEMBERS,
    ),
    "event-material-remove": (
        {"network_slug": "london", "pk": "community-event",
         "material_pk": "community-material"},
        LEADS_POSTED, post(organiser=302),
    ),
    "resource-list": ({"network_slug": "london"}, PUBLIC),
    "resource-create": ({"network_slug": "london"}, MEMBERS),
    "resource-detail": ({"network_slug": "london", "pk": "community-resource"}, MEMBERS),
    "resource-file": ({"network_slug": "london", "pk": "community-resource"}, MEMBERS),
    "resource-edit": ({"network_slug": "london", "pk": "community-resource"}, LEADS, {"author": 200}),
    "resource-delete": ({"network_slug": "london", "pk": "community-resource"}, LEADS, {"author": 200}),
    # Priorities: an open round with the member's nomination. Only its
    # nominator edits it; the steering group and leads score (the round names
    # no panel) and see the ranking; leads run the round and decide.
    "priorities": ({"network_slug": "london"}, MEMBERS),
    "priorities-terms": ({"network_slug": "london"}, LEADS),
    "priorities-round-create": ({"network_slug": "london"}, LEADS),
    "priorities-round": ({"network_slug": "london", "round_id": "priority-round"}, MEMBERS),
    "priorities-round-edit": ({"network_slug": "london", "round_id": "priority-round"}, LEADS),
    "priorities-round-close": ({"network_slug": "london", "round_id": "priority-round"}, LEADS_POSTED, post()),
    "priorities-screening-close": ({"network_slug": "london", "round_id": "priority-round"}, LEADS_POSTED, post()),
    "priorities-criteria": ({"network_slug": "london", "round_id": "priority-round"}, LEADS),
    "priorities-criterion-edit": (
        {"network_slug": "london", "round_id": "priority-round",
         "criterion_id": "priority-criterion"}, LEADS,
    ),
    "priorities-criterion-delete": (
        {"network_slug": "london", "round_id": "priority-round",
         "criterion_id": "priority-criterion"}, LEADS_POSTED, post(),
    ),
    "priorities-panel": ({"network_slug": "london", "round_id": "priority-round"}, LEADS),
    "priorities-nominate": ({"network_slug": "london", "round_id": "priority-round"}, MEMBERS),
    "priorities-screening": ({"network_slug": "london", "round_id": "priority-round"}, STEERING),
    "priorities-results": ({"network_slug": "london", "round_id": "priority-round"}, STEERING),
    "priorities-portfolio": ({"network_slug": "london", "round_id": "priority-round"}, STEERING),
    "priorities-nomination": ({"network_slug": "london", "round_id": "priority-round", "nomination_id": "priority-nomination"}, MEMBERS),
    "priorities-nomination-edit": ({"network_slug": "london", "round_id": "priority-round", "nomination_id": "priority-nomination"}, (302, 403, 200, 403, 403), ONLY_THE_MEMBER),
    "priorities-support": ({"network_slug": "london", "round_id": "priority-round", "nomination_id": "priority-nomination"}, MEMBERS_POSTED, post()),
    "priorities-support-withdraw": ({"network_slug": "london", "round_id": "priority-round", "nomination_id": "priority-nomination"}, MEMBERS_POSTED, post()),
    "priorities-comment": ({"network_slug": "london", "round_id": "priority-round", "nomination_id": "priority-nomination"}, MEMBERS),
    "priorities-score": ({"network_slug": "london", "round_id": "priority-round", "nomination_id": "priority-nomination"}, STEERING),
    "priorities-decide": ({"network_slug": "london", "round_id": "priority-round", "nomination_id": "priority-nomination"}, LEADS),
    "strategic-priorities": ({"network_slug": "london"}, PUBLIC),
    "strategic-priorities-coverage": ({"network_slug": "london"}, MEMBERS),
    "strategic-priorities-create": ({"network_slug": "london"}, LEADS),
    "strategic-priorities-edit": ({"network_slug": "london", "priority_id": "strategic-priority"}, LEADS),
    "strategic-priorities-retire": ({"network_slug": "london", "priority_id": "strategic-priority"}, LEADS),
    "strategic-priorities-reinstate": ({"network_slug": "london", "priority_id": "strategic-priority"}, LEADS_POSTED, post()),
    "strategic-priorities-move": ({"network_slug": "london", "priority_id": "strategic-priority"}, LEADS_POSTED, post({"direction": "up"})),
    # Improvement projects: members read; the project's team and leads change
    # it; leads start projects. Removing a team member or a data point is a
    # POST.
    "projects": ({"network_slug": "london"}, MEMBERS),
    "project-start": ({"network_slug": "london"}, LEADS),
    "project-start-nomination": (
        {"network_slug": "london", "nomination_pk": "qi-nomination"}, LEADS),
    "project-detail": ({"network_slug": "london", "pk": "qi-project"}, MEMBERS),
    "project-edit": ({"network_slug": "london", "pk": "qi-project"}, LEADS, {"team": 200}),
    "project-team": ({"network_slug": "london", "pk": "qi-project"}, LEADS, {"team": 200}),
    "project-team-remove": (
        {"network_slug": "london", "pk": "qi-project", "member_pk": "qi-team-member"},
        LEADS_POSTED, post(team=302)),
    "project-progress": ({"network_slug": "london", "pk": "qi-project"}, LEADS, {"team": 200}),
    "project-close": ({"network_slug": "london", "pk": "qi-project"}, LEADS, {"team": 200}),
    # Anyone who reads the projects may follow a project or a measure (POST).
    "project-follow": ({"network_slug": "london", "pk": "qi-project"}, MEMBERS_POSTED,
                       post()),
    "project-unfollow": ({"network_slug": "london", "pk": "qi-project"},
                         MEMBERS_POSTED, post()),
    "measure-follow": (
        {"network_slug": "london", "pk": "qi-project", "measure_pk": "qi-measure"},
        MEMBERS_POSTED, post()),
    "measure-unfollow": (
        {"network_slug": "london", "pk": "qi-project", "measure_pk": "qi-measure"},
        MEMBERS_POSTED, post()),
    "project-timeline": ({"network_slug": "london", "pk": "qi-project"}, MEMBERS),
    "project-drivers": ({"network_slug": "london", "pk": "qi-project"}, MEMBERS),
    "driver-add": ({"network_slug": "london", "pk": "qi-project"}, LEADS, {"team": 200}),
    "driver-edit": (
        {"network_slug": "london", "pk": "qi-project", "node_pk": "qi-node"}, LEADS, {"team": 200}),
    "driver-remove": (
        {"network_slug": "london", "pk": "qi-project", "node_pk": "qi-node"}, LEADS, {"team": 200}),
    "measure-create": ({"network_slug": "london", "pk": "qi-project"}, LEADS, {"team": 200}),
    "measure-detail": (
        {"network_slug": "london", "pk": "qi-project", "measure_pk": "qi-measure"},
        MEMBERS),
    "measure-chart": (
        {"network_slug": "london", "pk": "qi-project", "measure_pk": "qi-measure",
         "chart_id": "spc", "fmt": "csv"}, MEMBERS),
    "measure-edit": (
        {"network_slug": "london", "pk": "qi-project", "measure_pk": "qi-measure"},
        LEADS, {"team": 200}),
    "measure-data": (
        {"network_slug": "london", "pk": "qi-project", "measure_pk": "qi-measure"},
        LEADS, {"team": 200}),
    "measure-point-remove": (
        {"network_slug": "london", "pk": "qi-project", "measure_pk": "qi-measure",
         "point_pk": "qi-point"}, LEADS_POSTED, post(team=302)),
    "measure-upload": (
        {"network_slug": "london", "pk": "qi-project", "measure_pk": "qi-measure"},
        LEADS, {"team": 200}),
    "measure-rebase": (
        {"network_slug": "london", "pk": "qi-project", "measure_pk": "qi-measure"},
        LEADS, {"team": 200}),
    "cycle-create": ({"network_slug": "london", "pk": "qi-project"}, LEADS, {"team": 200}),
    "cycle-detail": (
        {"network_slug": "london", "pk": "qi-project", "cycle_pk": "qi-cycle"},
        MEMBERS),
    "cycle-edit": (
        {"network_slug": "london", "pk": "qi-project", "cycle_pk": "qi-cycle"}, LEADS, {"team": 200}),
    # Discussions: members read and take part; leads moderate; a post's author
    # edits it; notifications are one's own.
    "discussion-list": ({"network_slug": "london"}, MEMBERS),
    "discussion-create": ({"network_slug": "london"}, MEMBERS),
    "discussion-detail": ({"network_slug": "london", "pk": "disc-thread"}, MEMBERS),
    "discussion-reply": ({"network_slug": "london", "pk": "disc-thread"},
                         MEMBERS_POSTED, post({"body": "Hello"})),
    "discussion-follow": ({"network_slug": "london", "pk": "disc-thread"},
                          MEMBERS_POSTED, post()),
    "discussion-unfollow": ({"network_slug": "london", "pk": "disc-thread"},
                            MEMBERS_POSTED, post()),
    "discussion-lock": ({"network_slug": "london", "pk": "disc-thread"}, LEADS),
    "discussion-unlock": ({"network_slug": "london", "pk": "disc-thread"},
                          LEADS_POSTED, post()),
    "discussion-post-edit": ({"network_slug": "london", "pk": "disc-post"},
                             (302, 403, 403, 403, 403), {"author": 200}),
    "discussion-post-hide": ({"network_slug": "london", "pk": "disc-post"}, LEADS),
    "discussion-post-unhide": ({"network_slug": "london", "pk": "disc-post"},
                               LEADS_POSTED, post()),
    # News: anyone reads public news and the feeds, members the rest and
    # choose whether they get it by email; leads write and send it and choose
    # who else may. The email's links work for whoever holds them.
    "news-list": ({"network_slug": "london"}, PUBLIC),
    "news-detail": ({"network_slug": "london", "pk": "news-members"}, MEMBERS),
    "news-feed-rss": ({"network_slug": "london"}, PUBLIC),
    "news-feed-atom": ({"network_slug": "london"}, PUBLIC),
    "news-emails": ({"network_slug": "london"}, MEMBERS_POSTED, post({"wanted": "no"})),
    "news-manage": ({"network_slug": "london"}, LEADS),
    "news-create": ({"network_slug": "london"}, LEADS),
    "news-item": ({"network_slug": "london", "pk": "news-draft"}, LEADS),
    "news-edit": ({"network_slug": "london", "pk": "news-draft"}, LEADS),
    "news-preview": ({"network_slug": "london", "pk": "news-draft"}, LEADS),
    "news-preview-email": ({"network_slug": "london", "pk": "news-draft"}, LEADS),
    "news-schedule": ({"network_slug": "london", "pk": "news-draft"}, LEADS),
    "news-send": ({"network_slug": "london", "pk": "news-draft"}, LEADS),
    "news-cancel": ({"network_slug": "london", "pk": "news-scheduled"}, LEADS),
    "news-writers": ({"network_slug": "london"}, LEADS),
    "news-writer-remove": ({"network_slug": "london", "pk": "news-writer"}, LEADS),
    "news-unsubscribe": ({"token": "news-token"}, PUBLIC, {"across": False}),
    # A mail app's one-click POST unsubscribes; a GET is sent to the page.
    "news-unsubscribe-one-click": ({"token": "news-token"}, (302,) * 5,
                                   {"across": False}),
    "news-opened": ({"token": "news-token"}, PUBLIC, {"across": False}),
    "notification-list": ({}, SIGNED_IN),
    "notification-settings": ({}, SIGNED_IN),
    "notification-read-all": ({}, (302,) * 5, post()),
    # The author's notification of the member's reply: theirs alone to open.
    "notification-open": ({"pk": "disc-notification"}, (302, 404, 404, 404, 404),
                          {"author": 302}),
    # The link in a notification email: whoever holds it sees the choice.
    "notification-email-choice": ({"token": "notification-token"}, PUBLIC,
                                  {"across": False}),
}
for _rows in (matrix_innovations_records, matrix_innovations_screening,
              matrix_innovations_adoption, matrix_landscape_services,
              matrix_landscape_confirmation, matrix_landscape_pathways,
              matrix_surveys_building, matrix_surveys_answering,
              matrix_surveys_results):
    PAGES.update(_rows.PAGES)


def page_names(resolver=None):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace != "api":
                yield from page_names(entry)
        elif isinstance(entry, URLPattern):
            yield entry.name


def test_every_page_has_a_row_in_the_matrix():
    assert sorted(set(page_names()) - set(PAGES)) == []
    assert sorted(set(PAGES) - set(page_names())) == []


@pytest.fixture(scope="module")
def prescribing_dir(tmp_path_factory):
    """A small synthetic prescribing store, so its charts have data."""
    root = tmp_path_factory.mktemp("matrix-data")
    files = synth.write_synthetic(root / "in", practices=40, months=14, seed=3,
                                  rows_per_practice=0)
    rx.import_files(rx.Store(root / "prescribing"),
                    [f for f in files if f.name.startswith("EPD")],
                    [f for f in files if not f.name.startswith("EPD")])
    return root


def close(response):
    """Close a response as the test client does: closing fires
    request_finished, whose close_old_connections would drop PostgreSQL's
    connection, and the module's transaction with it, inside an atomic block."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def network_objects(network, users, **governance):
    """A full set of the objects the rows name, in `network`."""
    invite_token = f"matrix-invitation-{network.slug}"
    InvitationFactory(network=network, token_hash=hash_token(invite_token))
    colleague = MembershipFactory(network=network, directory_listed=True)
    objects = {
        "colleague": colleague.pk,
        "member-user": users["member"].pk,
        "feed-token": feed_token(users["member"], network),
        # The network's own local indicator (shared ones are everyone's).
        "matrix-local-indicator": Indicator.objects.create(
            slug=f"local-{network.slug}", name=f"Local to {network.slug}",
            value_type="proportion", multiplier=100, network=network,
        ).slug,
        "join": JoinRequestFactory(network=network).pk,
        "invite": InvitationFactory(network=network).pk,
        # An open invitation to someone new, with the link it was sent with.
        "invite-token": invite_token,
        "import": ImportRun.objects.create(
            file_name="matrix.csv", sha256="0" * 64, source_kind="local",
            status="failed", finished_at=timezone.now(), network=network,
        ).pk,
    }
    objects.update(governance_objects(network, users, users["chair"], **governance))
    objects.update(community_objects(network, users))
    objects.update(priorities_objects(network, users))
    objects.update(improvement_objects(network, users))
    objects.update(discussions_objects(network, users, users["author"]))
    objects.update(alert_objects(network))
    objects.update(news_objects(network, users))
    objects.update(innovations_objects(network, users))
    objects.update(landscape_objects(network, users))
    objects.update(surveys_objects(network, users))
    return objects


def network_users(network):
    return {role: MembershipFactory(network=network, role=Role.MEMBER).user
            for role in ("member", *OBJECT_ROLES)} | {
        "steering": MembershipFactory(network=network, role=Role.STEERING).user,
        "lead": MembershipFactory(network=network, role=Role.LEAD).user,
    }


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker, tmp_path_factory, prescribing_dir):
    """London's roles and objects, and another network's objects, built once
    for the module in a transaction rolled back at its end.

    The outsider is a member of the other network."""
    media = tmp_path_factory.mktemp("matrix-media")  # papers, slides, resources
    with (django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media),
          transaction.atomic()):
        network = london_network()
        elsewhere = NetworkFactory(slug="elsewhere")
        their_users = network_users(elsewhere)
        users = {"visitor": None, "outsider": their_users["member"],
                 **network_users(network)}
        objects = network_objects(network, users)
        # Its group's slug and its decision's reference are not London's.
        others = network_objects(elsewhere, their_users,
                                 group_name="Knee pain pathway group", decisions=2)
        indicator_with_values(slug="matrix-indicator", name="Matrix indicator")
        yield media, (users, objects, others)
        transaction.set_rollback(True)


@pytest.fixture
def world(_world, db, settings, prescribing_dir):
    media, world = _world
    settings.DATA_DIR = prescribing_dir
    settings.MEDIA_ROOT = media
    return world


def expected_by_role(expected, options):
    """The status each role in ALL_ROLES should get."""
    statuses = dict(zip(ROLES, expected, strict=True))
    return statuses | {role: options.get(role, statuses["member"])
                       for role in OBJECT_ROLES}


def page_row(name):
    kwargs, expected, *rest = PAGES[name]
    options = rest[0] if rest else {}
    return kwargs, expected_by_role(expected, options), options


def request_page(client, name, kwargs, options, user, objects, token_owner):
    """One request as `user`, rolled back afterwards."""
    client.logout()
    if user is not None:
        client.force_login(user)
    with transaction.atomic():
        resolved = {}
        for key, value in kwargs.items():
            if value == "token":
                token, _ = create_api_token(user=user or token_owner, name="t")
                value = token.pk
            resolved[key] = (objects.get(value, value) if isinstance(value, str)
                             else value)
        url = reverse(name, kwargs=resolved)
        if options.get("method") == "post":
            response = client.post(url, options["data"])
        else:
            response = client.get(url)
        close(response)  # file downloads hold their file open until closed
        transaction.set_rollback(True)
    return response.status_code


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_gives_each_role_what_the_matrix_says(name, world, client):
    users, objects, _ = world
    kwargs, expected, options = page_row(name)

    got = {role: request_page(client, name, kwargs, options, users[role], objects,
                              users["lead"])
           for role in ALL_ROLES}

    assert got == expected


def names_an_object(kwargs, objects):
    return any(isinstance(v, str) and v in objects and v != "token"
               for v in kwargs.values())


def across_networks(expected):
    """What each role may get for another network's object under this network's
    slug: those this network's gate lets through get 404; those it refuses may
    be refused first or get 404, as the view looks the object up before or
    after asking."""
    return {role: {404} if status not in REFUSED else {status, 404}
            for role, status in expected.items()}


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_refuses_another_networks_objects(name, world, client):
    users, objects, others = world
    kwargs, expected, options = page_row(name)
    if not names_an_object(kwargs, objects) or not options.get("across", True):
        pytest.skip("names no object of a network's")

    got = {role: request_page(client, name, kwargs, options, users[role], others,
                              users["lead"])
           for role in ALL_ROLES}

    allowed = across_networks(expected)
    assert {role: status for role, status in got.items()
            if status not in allowed[role]} == {}


def test_visitors_are_sent_to_sign_in_with_a_way_back(client, world):
    url = reverse("directory", args=["london"])

    response = client.get(url)

    assert response["Location"] == f"{reverse('sign-in')}?next={url}"


def test_member_of_one_network_is_an_outsider_in_another(client, world):
    other_member = MembershipFactory(role=Role.LEAD).user
    client.force_login(other_member)

    response = client.get(reverse("join-request-list", args=["london"]))

    assert response.status_code == 403
    assert not Membership.objects.filter(user=other_member,
                                         network__slug="london").exists()


# The API: (method, kwargs, JSON body, expected per role). Visitors send no
# token; everyone else sends their own.
NOMINATION_NO_SUCH_TOPIC = {
    "title": "Matrix", "problem": "p", "population": "p", "variation": "v",
    "benefit_access": "a", "benefit_outcomes": "o", "benefit_experience": "e",
    "inequality": "i", "term": "short", "resources": "r", "topic": "no-such-topic",
}
SLUG = {"slug": "london"}
API = {
    "governance-group-list": ("get", SLUG, None, API_MEMBERS),
    "governance-terms-list": ("get", {**SLUG, "group_slug": "gov-group"}, None,
                              API_MEMBERS),
    "governance-meeting-list": ("get", SLUG, None, API_MEMBERS),
    "governance-decision-list": ("get", SLUG, None, API_MEMBERS),
    "governance-my-actions": ("get", SLUG, None, API_MEMBERS),
    # The member owns the action; the chair runs its group, the lead every group.
    "governance-action-status": (
        "post", {**SLUG, "id": "gov-action"}, {"status": "done"},
        (401, 403, 200, 403, 200), ONLY_THE_MEMBER | {"chair": 200},
    ),
    "api-root": ("get", {}, None, (404,) * 5),
    "openapi-json": ("get", {}, None, API_PUBLIC),
    "openapi-view": ("get", {}, None, API_PUBLIC),
    "network-list": ("get", {}, None, API_PUBLIC),
    "network-detail": ("get", SLUG, None, API_PUBLIC),
    "organisation-list": ("get", {}, None, API_PUBLIC),
    "region-list": ("get", {}, None, API_PUBLIC),
    "icb-list": ("get", {}, None, API_PUBLIC),
    "member-list": ("get", SLUG, None, API_MEMBERS),
    "member-detail": ("get", {**SLUG, "id": "colleague"}, None, API_MEMBERS),
    # Anyone may ask to join: an empty body passes the gate and fails validation.
    "join-request-create": ("post", SLUG, {}, (422,) * 5),
    "join-request-list": ("get", SLUG, None, API_LEADS),
    "join-request-detail": ("get", {**SLUG, "id": "join"}, None, API_LEADS),
    "join-request-approve": ("post", {**SLUG, "id": "join"}, None, API_LEADS),
    "join-request-decline": (
        "post",
        {**SLUG, "id": "join"},
        {"reason": "This network is for London."},
        API_LEADS,
    ),
    "me": ("get", {}, None, (401, 200, 200, 200, 200)),
    "indicator-list": ("get", {}, None, API_PUBLIC),
    "indicator-detail": ("get", {"indicator_slug": "matrix-indicator"}, None, API_PUBLIC),
    "area-list": ("get", {}, None, API_PUBLIC),
    "indicator-value-list": ("get", {}, None, API_PUBLIC),
    "indicator-comparison-list": (
        "get", {"indicator_slug": "matrix-indicator"}, None, API_PUBLIC
    ),
    "event-list": ("get", SLUG, None, API_PUBLIC),
    "event-detail": ("get", {**SLUG, "id": "community-event"}, None, API_MEMBERS),
    "event-register": ("post", {**SLUG, "id": "community-event"}, None, API_MEMBERS),
    # Only the member holds a place, so only they have one to cancel.
    "event-registration-cancel": ("delete", {**SLUG, "id": "community-event"}, None,
                                  (401, 403, 200, 404, 404),
                                  dict.fromkeys(OBJECT_ROLES, 404)),
    "my-registration-list": ("get", {}, None, (401, 200, 200, 200, 200)),
    "resource-list": ("get", SLUG, None, API_PUBLIC),
    "resource-detail": (
        "get", {**SLUG, "id": "community-resource"}, None, API_MEMBERS
    ),
    # Priorities (the open round of the pages' matrix): nobody has scored, so
    # nobody may read scores. Bodies parse, so the gate answers first; then a
    # topic the network lacks and missing scores are 422, and a decision while
    # the round is open is 409.
    "strategic-priority-list": ("get", SLUG, None, API_PUBLIC),
    "strategic-priority-coverage": ("get", SLUG, None, API_MEMBERS),
    "priority-round-list": ("get", SLUG, None, API_MEMBERS),
    "priority-round-detail": (
        "get", {**SLUG, "round_id": "priority-round"}, None, API_MEMBERS
    ),
    "priority-nomination-list": (
        "get", {**SLUG, "round_id": "priority-round"}, None, API_MEMBERS
    ),
    "priority-nomination-create": (
        "post", {**SLUG, "round_id": "priority-round"}, NOMINATION_NO_SUCH_TOPIC,
        (401, 403, 422, 422, 422),
    ),
    "priority-nomination-detail": (
        "get", {**SLUG, "id": "priority-nomination"}, None, API_MEMBERS
    ),
    # The member nominated it, and may not support their own nomination.
    "priority-support": (
        "post", {**SLUG, "id": "priority-nomination"}, None,
        (401, 403, 409, 200, 200), dict.fromkeys(OBJECT_ROLES, 200),
    ),
    "priority-support-withdraw": (
        "delete", {**SLUG, "id": "priority-nomination"}, None,
        (401, 403, 409, 409, 409),
    ),
    # Screening has closed: steering members and leads see the scores.
    "priority-scores": (
        "get", {**SLUG, "id": "priority-screened-nomination"}, None,
        (401, 403, 403, 200, 200),
    ),
    "priority-scores-submit": (
        "post", {**SLUG, "id": "priority-nomination"}, {"scores": []},
        (401, 403, 403, 422, 422),
    ),
    "priority-decision-list": (
        "get", {**SLUG, "round_id": "priority-round"}, None, API_MEMBERS
    ),
    "priority-decision-record": (
        "post", {**SLUG, "id": "priority-nomination"}, {"decision": "selected"},
        (401, 403, 403, 403, 409),
    ),
    # Improvement projects: members read; the team and leads add data and plan
    # cycles. The cycle names no change idea, so those past the gate get 422.
    "qi-project-list": ("get", SLUG, None, API_MEMBERS),
    "qi-project-detail": ("get", {**SLUG, "id": "qi-project"}, None, API_MEMBERS),
    "qi-measure-list": ("get", {**SLUG, "id": "qi-project"}, None, API_MEMBERS),
    "qi-measure-points-add": (
        "post", {**SLUG, "id": "qi-project", "measure_id": "qi-measure"},
        {"points": [{"period": "2030-01-01", "value": 1}]},
        (401, 403, 403, 403, 201), {"team": 201},
    ),
    "qi-cycle-list": ("get", {**SLUG, "id": "qi-project"}, None, API_MEMBERS),
    "qi-cycle-create": (
        "post", {**SLUG, "id": "qi-project"},
        {"change_idea_id": 0, "title": "t", "plan_what": "w", "plan_who": "w",
         "plan_when": "2030-01-01", "prediction": "p"},
        (401, 403, 403, 403, 422), {"team": 422},
    ),
    "thread-list": ("get", SLUG, None, API_MEMBERS),
    "thread-detail": ("get", {**SLUG, "id": "disc-thread"}, None, API_MEMBERS),
    "thread-create": ("post", SLUG, {"title": "Matrix", "body": "Hello"},
                      (401, 403, 201, 201, 201)),
    "reply-create": ("post", {**SLUG, "id": "disc-thread"}, {"body": "Hello"},
                     (401, 403, 201, 201, 201)),
    "thread-follow": ("post", {**SLUG, "id": "disc-thread"}, None, API_MEMBERS),
    "thread-unfollow": ("post", {**SLUG, "id": "disc-thread"}, None, API_MEMBERS),
    "notification-list": ("get", {}, None, (401, 200, 200, 200, 200)),
    "notification-read-all": ("post", {}, None, (401, 200, 200, 200, 200)),
    # The author's notification of the member's reply.
    "notification-read": ("post", {"id": "disc-notification"}, None,
                          (401, 404, 404, 404, 404), {"author": 200}),
}
for _rows in (matrix_innovations_records, matrix_innovations_screening,
              matrix_innovations_adoption, matrix_landscape_services,
              matrix_landscape_confirmation, matrix_landscape_pathways,
              matrix_surveys_building, matrix_surveys_answering,
              matrix_surveys_results):
    API.update(_rows.API)


def api_names():
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == "api":
            yield from (p.name for p in entry.url_patterns)


def test_every_api_endpoint_has_a_row_in_the_matrix():
    assert sorted(set(api_names())) == sorted(API)


def api_row(name):
    method, kwargs, body, expected, *rest = API[name]
    options = rest[0] if rest else {}
    return method, kwargs, body, expected_by_role(expected, options)


def request_api(client, name, method, kwargs, body, user, objects):
    """One API call with `user`'s token (none for the visitor), rolled back."""
    with transaction.atomic():
        resolved = {k: objects.get(v, v) if isinstance(v, str) else v
                    for k, v in kwargs.items()}
        url = reverse(f"api:{name}", kwargs=resolved)
        headers = {}
        if user is not None:
            _, raw = create_api_token(user=user, name="matrix")
            headers["Authorization"] = f"Bearer {raw}"
        send = getattr(client, method)
        if body is None:
            response = send(url, headers=headers)
        else:
            response = send(url, body, content_type="application/json",
                            headers=headers)
        close(response)
        transaction.set_rollback(True)
    return response.status_code


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(API))
def test_api_gives_each_role_what_the_matrix_says(name, world, client):
    users, objects, _ = world
    method, kwargs, body, expected = api_row(name)

    got = {role: request_api(client, name, method, kwargs, body, users[role], objects)
           for role in ALL_ROLES}

    assert got == expected


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(API))
def test_api_refuses_another_networks_objects(name, world, client):
    users, objects, others = world
    method, kwargs, body, expected = api_row(name)
    if not names_an_object(kwargs, objects):
        pytest.skip("names no object")

    got = {role: request_api(client, name, method, kwargs, body, users[role], others)
           for role in ALL_ROLES}

    allowed = across_networks(expected)
    assert {role: status for role, status in got.items()
            if status not in allowed[role]} == {}
