"""Member pickers are searchable selects, and the panel lists only its members.

The selects carry `data-autocomplete`, which msknet/static/msknet/autocomplete.js
turns into a searchable combobox (tests/functional/test_pickers_journey.py);
without JavaScript they are ordinary selects, which these tests post to.
"""

import re

import pytest
from django.urls import reverse

from msknet.members.models import Role
from tests.factories.governance import make_group, make_meeting
from tests.factories.memberships import MembershipFactory
from tests.factories.priorities import round_with_criteria

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_lead(client, lead):
    client.force_login(lead)
    return client


@pytest.fixture
def people(network):
    return [MembershipFactory(network=network, role=Role.MEMBER).user
            for _ in range(12)]


def select_tag(html, name):
    match = re.search(rf'<select name="{name}"[^>]*>', html)
    assert match, f"no select named {name}"
    return match.group(0)


def test_action_owner_is_a_searchable_select(as_lead, network, lead, people):
    meeting = make_meeting(make_group(network, chair=lead))

    response = as_lead.get(reverse("action-create", args=[network.slug, meeting.pk]))

    assert "data-autocomplete" in select_tag(response.text, "owner")
    assert ">Choose an owner</option>" in response.text


def test_project_sponsor_is_a_searchable_select(as_lead, network, people):
    response = as_lead.get(reverse("project-start", args=[network.slug]))

    assert "data-autocomplete" in select_tag(response.text, "sponsor")
    assert ">Choose a sponsor</option>" in response.text


def test_panel_page_lists_only_the_panel_and_finds_others_by_name(
        as_lead, network, lead, people):
    round = round_with_criteria(network, by=lead)
    on_panel = people[0]
    round.panel.set([on_panel])

    response = as_lead.get(reverse("priorities-panel", args=[network.slug, round.pk]))

    assert response.text.count('type="checkbox"') == 1
    assert on_panel.display_name in response.text
    assert "data-autocomplete" in select_tag(response.text, "add")
    picker = response.text[response.text.index('<select name="add"'):]
    picker = picker[:picker.index("</select>")]
    assert people[1].display_name in picker
    assert on_panel.display_name not in picker


def test_lead_adds_a_panellist_without_javascript(as_lead, network, lead, people):
    round = round_with_criteria(network, by=lead)
    round.panel.set([people[0]])
    address = reverse("priorities-panel", args=[network.slug, round.pk])

    response = as_lead.post(address, {"panellists": [people[0].pk],
                                      "add": people[1].pk}, follow=True)

    assert set(round.panel.all()) == {people[0], people[1]}
    assert f"{people[1].display_name} is on the panel." in response.text
    assert response.redirect_chain[-1][0] == address


def test_unticking_takes_a_panellist_off(as_lead, network, lead, people):
    round = round_with_criteria(network, by=lead)
    round.panel.set([people[0], people[1]])

    response = as_lead.post(reverse("priorities-panel",
                                    args=[network.slug, round.pk]),
                            {"panellists": [people[1].pk], "add": ""})

    assert response.status_code == 302
    assert list(round.panel.all()) == [people[1]]
