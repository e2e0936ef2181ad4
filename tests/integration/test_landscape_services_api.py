"""The landscape services API: the directory, a service, adding, changing and
recording its figures."""

import datetime as dt

import pytest

from msknet.landscape.models import Service, ServiceActivity, Step
from msknet.members.actions.accounts import create_api_token
from msknet.members.models import Role
from tests.factories.landscape import activity, provider, service, workforce
from tests.factories.memberships import MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def bearer(user):
    _, raw = create_api_token(user=user, name="test")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def trust(network):
    return provider(network, name="Tyneside Community MSK Trust")


@pytest.fixture
def from_trust(network, trust):
    return MembershipFactory(network=network, role=Role.MEMBER,
                             organisation=trust).user


@pytest.fixture
def physio(network, trust):
    return service(network, name="Newcastle physiotherapy", provider_org=trust,
                   postcode="NE1 4LP")


def test_list_filters_and_orders_by_near(client, network, trust, physio):
    service(network, name="Gateshead physiotherapy", provider_org=trust,
            postcode="NE8 1AA")
    service(network, name="Sunderland physiotherapy", provider_org=trust,
            postcode="SR1 1AA")

    body = client.get("/api/networks/london/services",
                      {"near": "NE8", "self_referral": "true"}).json()

    assert [s["name"] for s in body["items"]] == ["Gateshead physiotherapy",
                                                  "Newcastle physiotherapy"]
    assert [s["nearness"] for s in body["items"]] == [0, 1]
    assert body["count"] == 2


def test_list_refuses_a_bad_near_by_name(client, network, physio):
    response = client.get("/api/networks/london/services", {"near": "12345"})

    assert response.status_code == 422
    assert "near" in response.content.decode()


def test_detail_shows_workforce_only_to_members(client, network, member, physio):
    workforce(physio, as_of=dt.date(2025, 3, 1))
    activity(physio, month=dt.date(2025, 3, 1), median=6, p90=14)
    url = f"/api/networks/london/services/{physio.pk}"

    public = client.get(url).json()
    members = client.get(url, headers=bearer(member)).json()

    assert public["workforce"] is None
    assert public["latest_activity"]["p90_wait_weeks"] == 14.0
    assert members["workforce"][0]["profession"] == "physiotherapist"


def test_create_for_own_organisation(client, network, trust, from_trust):
    response = client.post(
        "/api/networks/london/services",
        {"provider": trust.pk, "name": "Knee class", "icb": trust.icb.ods_code,
         "step": Step.SELF_MANAGEMENT, "postcode": "ne4 5pl"},
        content_type="application/json", headers=bearer(from_trust))

    assert response.status_code == 201
    added = Service.objects.get(name="Knee class")
    assert added.postcode == "NE4 5PL"
    assert added.last_confirmed_on == dt.date.today()


def test_create_names_the_bad_field(client, network, trust, from_trust):
    response = client.post(
        "/api/networks/london/services",
        {"provider": trust.pk, "name": "Knee class", "icb": trust.icb.ods_code,
         "step": Step.SELF_MANAGEMENT, "postcode": "nonsense"},
        content_type="application/json", headers=bearer(from_trust))

    assert response.status_code == 422
    assert "postcode" in response.content.decode()


def test_create_for_another_organisation_is_forbidden(client, network, member,
                                                      trust):
    response = client.post(
        "/api/networks/london/services",
        {"provider": trust.pk, "name": "Knee class", "icb": trust.icb.ods_code,
         "step": Step.SELF_MANAGEMENT},
        content_type="application/json", headers=bearer(member))

    assert response.status_code == 403


def test_patch_changes_only_what_is_sent(client, network, from_trust, physio):
    response = client.patch(f"/api/networks/london/services/{physio.pk}",
                            {"languages": "Urdu"}, content_type="application/json",
                            headers=bearer(from_trust))

    assert response.status_code == 200
    physio.refresh_from_db()
    assert physio.languages == "Urdu"
    assert physio.name == "Newcastle physiotherapy"


def test_record_and_list_activity(client, network, from_trust, physio):
    url = f"/api/networks/london/services/{physio.pk}/activity"

    created = client.post(url, {"period_start": "2025-03-01",
                                "median_wait_weeks": 6, "p90_wait_weeks": 13},
                          content_type="application/json", headers=bearer(from_trust))
    refused = client.post(url, {"period_start": "2025-04-01",
                                "median_wait_weeks": 6, "p90_wait_weeks": 3},
                          content_type="application/json", headers=bearer(from_trust))

    assert created.status_code == 201
    assert created.json()["period_end"] == "2025-03-31"
    assert refused.status_code == 422
    assert "p90_wait_weeks" in refused.content.decode()
    assert ServiceActivity.objects.count() == 1
    assert client.get(url).json()["count"] == 1


def test_record_workforce(client, network, from_trust, physio):
    response = client.post(f"/api/networks/london/services/{physio.pk}/workforce",
                           {"as_of": "2025-03-01", "profession": "physiotherapist",
                            "wte": 4.5, "vacancies_wte": 1},
                           content_type="application/json", headers=bearer(from_trust))

    assert response.status_code == 201
    assert physio.workforce.get().wte == 4.5
