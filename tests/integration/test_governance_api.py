"""The governance API: members read, an action's owner changes its status."""

from datetime import date

import pytest

from msknet.governance import actions
from msknet.governance.models import ActionStatus
from msknet.members.actions.accounts import create_api_token
from tests.factories.governance import make_group, make_meeting

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def auth(user):
    _, raw = create_api_token(user=user, name="test")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def meeting(network, lead, member):
    return make_meeting(make_group(network, chair=lead, members=[member]))


def test_member_searches_decisions(client, network, meeting, member):
    actions.record_decision(meeting=meeting, by=None, text="Adopt the pathway.")
    actions.record_decision(meeting=meeting, by=None, text="Audit falls.")

    response = client.get(f"/api/networks/{network.slug}/decisions", {"q": "falls"},
                          headers=auth(member))

    body = response.json()
    assert body["count"] == 1
    assert body["items"][0]["reference"] == "D-2025-002"
    assert body["items"][0]["url"].endswith("/decisions/D-2025-002/")


def test_member_lists_groups_with_members_and_terms(client, network, meeting, member,
                                                    lead):
    group = meeting.group
    actions.save_terms_draft(group=group, by=lead, text="Purpose")

    groups = client.get(f"/api/networks/{network.slug}/groups", headers=auth(member))
    terms = client.get(f"/api/networks/{network.slug}/groups/{group.slug}/terms",
                       headers=auth(member))

    assert {m["role"] for m in groups.json()["items"][0]["members"]} == {"chair",
                                                                         "member"}
    assert terms.json()["items"][0]["status"] == "draft"


def test_owner_marks_own_action_done_and_others_may_not(client, network, meeting,
                                                        member, steering):
    action = actions.record_action(meeting=meeting, by=None, owner=member,
                                   description="Share", due_on=date(2020, 1, 1))
    mine = client.get(f"/api/networks/{network.slug}/actions/mine",
                      headers=auth(member)).json()
    assert mine["items"][0]["overdue"] is True
    path = f"/api/networks/{network.slug}/actions/{action.pk}/status"

    refused = client.post(path, {"status": "done"}, content_type="application/json",
                          headers=auth(steering))
    invalid = client.post(path, {"status": "finished"},
                          content_type="application/json", headers=auth(member))
    done = client.post(path, {"status": "done"}, content_type="application/json",
                       headers=auth(member))

    assert refused.status_code == 403
    assert invalid.status_code == 422
    assert done.json()["status"] == ActionStatus.DONE
