"""The service directory, a service's page, and keeping services up to date."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from msknet.landscape.models import Service, ServiceActivity, ServiceChange, Step
from msknet.members.models import Role
from tests.factories.landscape import activity, provider, service, workforce
from tests.factories.memberships import MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

TODAY = dt.date.today()


@pytest.fixture
def trust(network):
    return provider(network, name="Tyneside Community MSK Trust")


@pytest.fixture
def from_trust(network, trust):
    """A member who works at the trust, so keeps its services up to date."""
    return MembershipFactory(network=network, role=Role.MEMBER,
                             organisation=trust).user


@pytest.fixture
def physio(network, trust):
    return service(network, name="Newcastle self-referral physiotherapy",
                   provider_org=trust, postcode="NE1 4LP", self_referral=True,
                   conditions="Back pain; Knee pain", languages="Urdu; Polish")


def directory(client, network, **params):
    return client.get(reverse("service-directory", args=[network.slug]), params)


def names(response):
    return [s.name for s in response.context["page"].object_list]


def test_directory_lists_active_services_for_visitors(client, network, trust, physio):
    service(network, name="Closed clinic", provider_org=trust,
            withdrawn_at=dt.datetime.now(dt.UTC), withdrawn_reason="Closed")

    response = directory(client, network)

    assert response.status_code == 200
    assert names(response) == ["Newcastle self-referral physiotherapy"]
    assert "Tyneside Community MSK Trust" in response.content.decode()


def test_directory_searches_conditions_and_filters(client, network, trust, physio):
    service(network, name="Pain management programme", provider_org=trust,
            step=Step.PAIN_MANAGEMENT, self_referral=False, via_ers=False,
            via_email=True, conditions="Chronic pain", languages="")

    assert names(directory(client, network, q="knee")) == [physio.name]
    assert names(directory(client, network, q="Tyneside pain")) == sorted(
        [physio.name, "Pain management programme"])
    assert names(directory(client, network, step=Step.PAIN_MANAGEMENT)) == [
        "Pain management programme"]
    assert names(directory(client, network, self_referral="on")) == [physio.name]
    assert names(directory(client, network, method="email")) == [
        "Pain management programme"]
    assert names(directory(client, network, language="urdu")) == [physio.name]


def test_directory_empty_state(client, network, physio):
    response = directory(client, network, q="hydrotherapy")

    assert names(response) == []
    assert "No services match" in response.content.decode()


def test_visitor_finds_a_self_referral_physio_near_an_outward_postcode(
        client, network, trust, physio):
    service(network, name="Gateshead physiotherapy", provider_org=trust,
            postcode="NE8 1AA")
    service(network, name="Sunderland physiotherapy", provider_org=trust,
            postcode="SR1 1AA")
    service(network, name="Newcastle GP-only physiotherapy", provider_org=trust,
            postcode="NE1 5AA", self_referral=False)

    response = directory(client, network, near="ne1", self_referral="on",
                         q="physiotherapy")

    assert names(response) == [physio.name, "Gateshead physiotherapy"]
    page = response.content.decode()
    assert "In NE1" in page
    assert "Elsewhere in the NE postcode area" in page
    assert page.index("In NE1") < page.index("Elsewhere in the NE")
    assert "We do not look postcodes up on a map" in page


def test_directory_near_takes_a_full_postcode_and_refuses_nonsense(
        client, network, physio):
    assert names(directory(client, network, near="NE1 9ZZ")) == [physio.name]

    response = directory(client, network, near="12345")

    assert "Enter a postcode or the first half of one" in response.content.decode()


def test_directory_pages_by_25_in_few_queries(client, network, trust,
                                              django_assert_max_num_queries):
    for n in range(30):
        service(network, name=f"Service {n:02}", provider_org=trust)

    with django_assert_max_num_queries(12):
        response = directory(client, network)

    assert len(names(response)) == 25
    assert response.context["page"].paginator.count == 30
    assert len(names(directory(client, network, page=2))) == 5


def test_service_page_shows_details_and_latest_waits(client, network, physio):
    activity(physio, month=dt.date(2025, 1, 1), median=5, p90=12)
    activity(physio, month=dt.date(2025, 2, 1), median=7.5, p90=16)

    response = client.get(reverse("service", args=[network.slug, physio.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Self-referral" in page and "e-RS" in page
    assert "Details last confirmed on" in page
    assert "7.5 weeks" in page and "16.0 weeks" in page
    assert "may be out of date" not in page
    # Visitors see no workforce and no history.
    assert "Workforce" not in page
    assert "Edit" not in page


def test_stale_service_warns_it_may_be_out_of_date(client, network, trust):
    old = service(network, name="Old clinic", provider_org=trust,
                  last_confirmed_on=TODAY - dt.timedelta(days=400))

    page = client.get(reverse("service", args=[network.slug, old.pk])).content.decode()

    assert "These details may be out of date" in page


def test_activity_chart_data_is_public(client, network, physio):
    activity(physio, month=dt.date(2025, 3, 1), referrals=80, median=6, p90=14)

    data = json.loads(client.get(
        reverse("service-activity-json", args=[network.slug, physio.pk])).content)
    csv = client.get(
        reverse("service-activity-csv", args=[network.slug, physio.pk])).content

    assert data["rows"] == [{"month": "2025-03", "period_end": "2025-03-31",
                             "referrals_per_month": 80.0, "median_wait_weeks": 6.0,
                             "p90_wait_weeks": 14.0}]
    assert csv.decode().startswith("Month,Period ends,Referrals a month")


def test_members_see_workforce_and_history(client, network, member, physio):
    workforce(physio, as_of=dt.date(2025, 3, 1), wte=8.5, vacancies=1)
    client.force_login(member)

    page = client.get(reverse("service", args=[network.slug, physio.pk])
                      ).content.decode()
    data = json.loads(client.get(
        reverse("service-workforce-json", args=[network.slug, physio.pk])).content)

    assert "Workforce at" in page and "Changes" in page
    assert data["rows"] == [{"profession": "Physiotherapist", "wte": 8.5,
                             "vacancies_wte": 1.0}]


def test_member_from_another_organisation_may_not_edit(client, network, member,
                                                       physio):
    client.force_login(member)

    response = client.get(reverse("service-edit", args=[network.slug, physio.pk]))

    assert response.status_code == 403


def test_member_from_the_provider_edits_and_confirms(client, network, from_trust,
                                                     physio):
    physio.last_confirmed_on = TODAY - dt.timedelta(days=300)
    physio.save()
    client.force_login(from_trust)
    form = client.get(reverse("service-edit", args=[network.slug, physio.pk]))
    data = {k: v for k, v in form.context["form"].initial.items()
            if v is not None and v is not False}
    data.update(icb=physio.icb_id, opening="Monday to Saturday, 8am to 8pm",
                postcode="ne1 4lp")

    response = client.post(reverse("service-edit", args=[network.slug, physio.pk]),
                           data)

    assert response.status_code == 302
    physio.refresh_from_db()
    assert physio.opening == "Monday to Saturday, 8am to 8pm"
    assert physio.last_confirmed_on == TODAY
    assert physio.last_confirmed_by == from_trust
    assert "confirms that these details are right" in form.content.decode()
    assert ServiceChange.objects.get(service=physio).summary == (
        "Changed opening pattern; confirmed the details")


def test_member_adds_a_service_for_their_own_organisation(client, network, trust,
                                                          from_trust):
    client.force_login(from_trust)
    url = reverse("service-add", args=[network.slug])

    page = client.get(url).content.decode()
    response = client.post(url, {"name": "Hip and knee class", "icb": trust.icb_id,
                                 "step": Step.SELF_MANAGEMENT, "postcode": "ne4 5pl",
                                 "self_referral": "on"})

    assert "Provider organisation" not in page
    added = Service.objects.get(name="Hip and knee class")
    assert response.status_code == 302
    assert added.provider == trust
    assert added.postcode == "NE4 5PL" and added.outward_code == "NE4"
    assert added.last_confirmed_on == TODAY


def test_adding_a_service_names_bad_fields(client, network, trust, from_trust):
    client.force_login(from_trust)
    other_icb = network.icbs.exclude(pk=trust.icb_id).first()

    response = client.post(reverse("service-add", args=[network.slug]),
                           {"name": "Bad", "icb": "", "step": Step.FCP,
                            "postcode": "ZZZ ZZZ"})
    bad_postcode = client.post(reverse("service-add", args=[network.slug]),
                               {"name": "Bad", "icb": other_icb.pk, "step": Step.FCP,
                                "postcode": "ZZZ ZZZ"})

    assert response.status_code == 200
    assert "icb" in response.context["form"].errors
    assert "Enter a real UK postcode" in str(bad_postcode.context["form"].errors[
        "postcode"])
    assert not Service.objects.filter(name="Bad").exists()


def test_lead_withdraws_and_restores_a_service(client, network, lead, physio):
    client.force_login(lead)
    url = reverse("service-withdraw", args=[network.slug, physio.pk])

    refused = client.post(url, {"reason": ""})
    client.post(url, {"reason": "Merged into the Central MSK hub"})

    assert "Say why the service is withdrawn" in refused.content.decode()
    assert names(directory(client, network)) == []
    client.post(reverse("service-restore", args=[network.slug, physio.pk]))
    assert names(directory(client, network)) == [physio.name]


def test_provider_member_records_waits_shown_on_the_page_and_chart(
        client, network, from_trust, physio):
    client.force_login(from_trust)
    url = reverse("service-activity-add", args=[network.slug, physio.pk])

    response = client.post(url, {"month": "3", "year": "2025",
                                 "referrals_per_month": "140",
                                 "median_wait_weeks": "9", "p90_wait_weeks": "21"})

    assert response.status_code == 302
    page = client.get(reverse("service", args=[network.slug, physio.pk])
                      ).content.decode()
    assert "9.0 weeks" in page and "21.0 weeks" in page
    assert "Recorded the waits for March 2025" in page
    chart = json.loads(client.get(
        reverse("service-activity-json", args=[network.slug, physio.pk])).content)
    assert chart["rows"][0]["median_wait_weeks"] == 9.0


def test_recording_a_period_again_replaces_it(client, network, from_trust, physio):
    activity(physio, month=dt.date(2025, 3, 1), median=5, p90=10)
    client.force_login(from_trust)

    client.post(reverse("service-activity-add", args=[network.slug, physio.pk]),
                {"month": "3", "year": "2025", "median_wait_weeks": "8",
                 "p90_wait_weeks": "12"})

    only = ServiceActivity.objects.get(service=physio)
    assert only.median_wait_weeks == 8
    assert ServiceChange.objects.filter(
        service=physio, summary="Replaced the waits for March 2025").exists()


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"median_wait_weeks": "9", "p90_wait_weeks": "4"}, "p90_wait_weeks",
     "cannot be shorter than the median"),
    ({"median_wait_weeks": "-1"}, "median_wait_weeks", "cannot be negative"),
    ({"year": str(TODAY.year + 1), "median_wait_weeks": "3"}, "month",
     "cannot start in the future"),
])
def test_recording_waits_names_the_field_at_fault(client, network, from_trust,
                                                  physio, data, field, message):
    client.force_login(from_trust)

    response = client.post(
        reverse("service-activity-add", args=[network.slug, physio.pk]),
        {"month": "3", "year": "2025", **data})

    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert not ServiceActivity.objects.exists()


def test_recording_and_removing_workforce(client, network, from_trust, physio):
    client.force_login(from_trust)

    client.post(reverse("service-workforce-add", args=[network.slug, physio.pk]),
                {"as_of": "2025-03-01", "profession": "physiotherapist",
                 "wte": "6.5", "vacancies_wte": "2"})
    staff = physio.workforce.get()
    client.post(reverse("service-workforce-remove",
                        args=[network.slug, physio.pk, staff.pk]))

    assert staff.wte == 6.5
    assert not physio.workforce.exists()
    assert ServiceChange.objects.filter(service=physio).count() == 2
