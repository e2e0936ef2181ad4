"""Setting an indicator's details that Fingertips files leave out: a data
steward for shared indicators, a network's leads for its own local ones."""

import pytest
from django.urls import reverse

from msknet.analytics import phe
from msknet.insights import actions
from msknet.insights.models import (
    Area,
    DataSteward,
    Indicator,
    IndicatorValue,
    Polarity,
    ValueType,
)
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import NetworkFactory
from tests.factories.users import UserFactory

DETAILS = {
    "name": "Hip fractures in people aged 65 and over",
    "definition": "Emergency admissions for fractured neck of femur, 65 and over",
    "unit": "per 100,000",
    "value_type": "rate",
    "multiplier": "100000",
    "polarity": "lower_is_better",
    "source": "Hospital Episode Statistics (NHS England)",
    "method": "Byar's method",
    "period_type": "financial_year",
}


@pytest.fixture
def indicator(db):
    return Indicator.objects.create(slug="hip", name="Hip fractures", fingertips_id=41402,
                                    value_type=ValueType.UNKNOWN, multiplier=1)


@pytest.fixture
def steward(db):
    """A data steward, a member of no network."""
    user = UserFactory()
    DataSteward.objects.create(user=user)
    return user


@pytest.fixture
def page(client, steward, network, indicator):
    client.force_login(steward)
    return reverse("insights-indicator-edit", args=[network.slug, indicator.slug])


@pytest.fixture
def local_indicator(network):
    return Indicator.objects.create(slug="fcp", name="FCP within 2 weeks",
                                    value_type=ValueType.PROPORTION, multiplier=100,
                                    network=network)


def test_indicator_edit_page_shows_the_form(client, page):
    response = client.get(page)

    assert response.status_code == 200
    assert b"<h1>Edit indicator details</h1>" in response.content
    assert b"Neither: higher or lower is not better or worse" in response.content
    assert b"Higher is better" in response.content
    # "Not known" is only for imports: a person is not offered it.
    assert b'value="unknown"' not in response.content


def test_indicator_edit_saves_and_fills_limits(client, page, steward, network,
                                               indicator):
    value = IndicatorValue.objects.create(
        indicator=indicator, area=Area.objects.get(code="E92000001"), period="2022/23",
        period_sortable=20220000, value=532.1, count=58000, denominator=1.09e7,
    )

    response = client.post(page, DETAILS, follow=True)

    indicator.refresh_from_db()
    value.refresh_from_db()
    assert response.redirect_chain == [
        (reverse("insights-indicator", args=[network.slug, "hip"]), 302)]
    assert (indicator.value_type, indicator.multiplier, indicator.polarity) == (
        ValueType.RATE, 100000, Polarity.LOWER_IS_BETTER)
    assert indicator.updated_by == steward and indicator.method == "Byar's method"
    expected = phe.rate(58000, 1.09e7, confidence=0.95, multiplier=100000)
    assert value.lower_95 == pytest.approx(float(expected.lower))
    assert b"Confidence limits were computed for 1 value" in response.content
    assert b"Lower is better" in response.content


@pytest.mark.parametrize(("change", "message"), [
    ({"name": ""}, "Enter the indicator&#x27;s name"),
    ({"value_type": ""}, "Select what kind of measure it is"),
    ({"value_type": "unknown"}, "only an import can mark it as not known"),
    ({"multiplier": ""}, "Enter the multiplier"),
    ({"multiplier": "lots"}, "The multiplier must be a number"),
    ({"multiplier": "0"}, actions.MULTIPLIER_NOT_POSITIVE),
    ({"multiplier": "-100"}, actions.MULTIPLIER_NOT_POSITIVE),
    ({"value_type": "proportion", "multiplier": "1000"},
     "A proportion&#x27;s multiplier must be 1 (a fraction) or 100 (a percentage)"),
    ({"polarity": ""}, "Select whether a higher value is better or worse"),
    ({"period_type": ""}, "Select the period type"),
])
def test_indicator_edit_shows_each_error_in_the_summary(client, page, indicator, change,
                                                        message):
    response = client.post(page, {**DETAILS, **change})

    assert response.status_code == 200
    content = response.content.decode()
    summary = content.split('class="nhsuk-error-summary"')[1].split("</ul>")[0]
    assert message in summary
    assert content.count("<title>Error: ") == 1
    indicator.refresh_from_db()
    assert indicator.value_type == ValueType.UNKNOWN and indicator.updated_by is None


def test_lead_cannot_edit_a_shared_indicator(client, lead, network, indicator):
    client.force_login(lead)

    response = client.post(reverse("insights-indicator-edit",
                                   args=[network.slug, indicator.slug]), DETAILS)

    assert response.status_code == 403
    indicator.refresh_from_db()
    assert indicator.value_type == ValueType.UNKNOWN and indicator.updated_by is None


def test_lead_edits_their_networks_local_indicator(client, lead, network,
                                                   local_indicator):
    client.force_login(lead)

    response = client.post(reverse("insights-indicator-edit",
                                   args=[network.slug, "fcp"]),
                           {**DETAILS, "value_type": "proportion", "multiplier": "100"})

    assert response.status_code == 302
    local_indicator.refresh_from_db()
    assert local_indicator.updated_by == lead
    assert local_indicator.name == DETAILS["name"]


def test_another_networks_lead_cannot_find_a_local_indicator(client, local_indicator):
    nenc = NetworkFactory(slug="nenc")
    their_lead = MembershipFactory(network=nenc, role="lead").user
    client.force_login(their_lead)

    response = client.get(reverse("insights-indicator-edit", args=["nenc", "fcp"]))

    assert response.status_code == 404


def test_steward_cannot_edit_a_networks_local_indicator(client, steward, network,
                                                        local_indicator):
    client.force_login(steward)

    response = client.get(reverse("insights-indicator-edit",
                                  args=[network.slug, "fcp"]))

    assert response.status_code == 403


def test_member_cannot_edit_their_networks_local_indicator(client, member, network,
                                                           local_indicator):
    client.force_login(member)

    response = client.get(reverse("insights-indicator-edit",
                                  args=[network.slug, "fcp"]))

    assert response.status_code == 403


def test_visitor_is_sent_to_sign_in_to_edit_an_indicator(client, network, indicator):
    response = client.get(reverse("insights-indicator-edit",
                                  args=[network.slug, indicator.slug]))

    assert response.status_code == 302
    assert "/account/sign-in/" in response["Location"]


def edit_link_seen(client, user, network, indicator):
    client.force_login(user)
    page = client.get(reverse("insights-indicator", args=[network.slug,
                                                          indicator.slug]))
    edit = reverse("insights-indicator-edit", args=[network.slug, indicator.slug])
    return edit.encode() in page.content


def test_shared_indicator_page_links_to_edit_for_stewards_only(
    client, steward, lead, member, network, indicator
):
    assert edit_link_seen(client, steward, network, indicator)
    assert not edit_link_seen(client, lead, network, indicator)
    assert not edit_link_seen(client, member, network, indicator)


def test_local_indicator_page_links_to_edit_for_its_networks_leads_only(
    client, steward, lead, member, network, local_indicator
):
    nenc = NetworkFactory(slug="nenc")
    their_lead = MembershipFactory(network=nenc, role="lead").user

    assert edit_link_seen(client, lead, network, local_indicator)
    assert not edit_link_seen(client, steward, network, local_indicator)
    assert not edit_link_seen(client, member, network, local_indicator)
    assert not edit_link_seen(client, their_lead, nenc, local_indicator)
