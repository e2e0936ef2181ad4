"""The innovation adoption API: sites' statuses, history, recording, the matrix."""

import datetime as dt

import pytest
from django.utils import timezone

from msknet.communications.models import Notification
from msknet.innovations.models import Adoption, AdoptionChange, AdoptionStatus, Stage
from msknet.members.actions.accounts import create_api_token
from msknet.members.models import ICB, OrganisationType, Role
from tests.factories.innovations import adoption, innovation, site
from tests.factories.memberships import MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

S = AdoptionStatus
JAN, APR = dt.date(2026, 1, 5), dt.date(2026, 4, 1)


def bearer(user):
    _, raw = create_api_token(user=user, name="test")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def recommended(network, member):
    return innovation(network, name="Back pain pathway", stage=Stage.RECOMMENDED,
                      by=member)


@pytest.fixture
def trust(network):
    return site(network, name="Riverside Community Trust")


@pytest.fixture
def from_trust(network, trust):
    return MembershipFactory(network=network, role=Role.MEMBER,
                             organisation=trust).user


@pytest.fixture
def piloting(recommended, trust, from_trust):
    return adoption(recommended, trust, by=from_trust, contacts=[from_trust],
                    history=[(S.AWARE, JAN), (S.PILOTING, APR)])


def base(innovation_):
    return f"/api/networks/{innovation_.network.slug}/innovations/{innovation_.pk}"


def test_visitors_read_a_recommended_innovations_adoptions(client, recommended,
                                                           piloting):
    response = client.get(f"{base(recommended)}/adoptions")

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["site"]["name"], item["status"], item["status_on"]) == (
        "Riverside Community Trust", "piloting", "2026-04-01")
    assert item["site"]["icb_code"] == piloting.site.icb.ods_code


def test_visitors_may_not_read_a_proposed_innovations_adoptions(client, network,
                                                                trust):
    proposed = innovation(network, name="Not yet screened")
    adoption(proposed, trust, history=[(S.AWARE, JAN)])

    assert client.get(f"{base(proposed)}/adoptions").status_code == 401


def test_detail_has_the_history_with_names_for_members_only(client, recommended,
                                                            piloting, member,
                                                            from_trust):
    url = f"{base(recommended)}/adoptions/{piloting.pk}"

    as_member = client.get(url, headers=bearer(member)).json()
    as_visitor = client.get(url).json()

    assert [(c["status_from"], c["status_to"], c["on"]) for c in as_member["history"]] \
        == [("", "aware", "2026-01-05"), ("aware", "piloting", "2026-04-01")]
    assert as_member["history"][0]["by"] == from_trust.display_name
    assert as_visitor["history"][0]["by"] is None


def test_another_innovations_adoption_is_not_found(client, network, recommended,
                                                   piloting):
    other = innovation(network, name="Other", stage=Stage.RECOMMENDED)

    response = client.get(f"{base(other)}/adoptions/{piloting.pk}")

    assert response.status_code == 404


def post(client, innovation_, user, **body):
    data = {"site": None, "status": "aware", "on": "2026-01-05"} | body
    return client.post(f"{base(innovation_)}/adoptions", data,
                       content_type="application/json", headers=bearer(user))


def test_a_member_records_their_sites_first_status(client, recommended, trust,
                                                   from_trust, lead,
                                                   django_capture_on_commit_callbacks):
    recommended.follows.create(user=lead)

    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, recommended, from_trust, site=trust.pk,
                        status="exploring", contacts=[from_trust.pk])

    body = response.json()
    assert response.status_code == 201
    assert (body["status"], body["status_on"]) == ("exploring", "2026-01-05")
    assert [c["status_to"] for c in body["history"]] == ["exploring"]
    assert list(Adoption.objects.get().contacts.all()) == [from_trust]
    assert Notification.objects.filter(user=lead).count() == 1


def test_a_sites_next_change_goes_on_its_history(client, recommended, piloting,
                                                 from_trust):
    response = post(client, recommended, from_trust, site=piloting.site_id,
                    status="adopted", on="2026-05-01")

    assert response.status_code == 201
    assert [c["status_to"] for c in response.json()["history"]] == [
        "aware", "piloting", "adopted"]


def errors_of(response):
    assert response.status_code == 422, response.content
    return {e["field"]: e["message"] for e in response.json()["errors"]}


@pytest.mark.parametrize(("body", "field", "message"), [
    ({"status": "piloting", "on": "2026-05-01"}, "status",
     "The site is already piloting"),
    ({"status": "exploring", "on": "2026-05-01"}, "note",
     "Add a note saying why the site went from piloting to exploring"),
    ({"status": "stopped", "on": "2026-05-01"}, "reason", "Say why the site stopped"),
    ({"status": "adopted", "on": "2026-03-01"}, "on",
     "The date must be on or after the site's last change"),
    ({"status": "adopted", "on": "2099-01-01"}, "on",
     "The date cannot be in the future"),
    ({"status": "everywhere"}, "status", "Choose the site's status"),
])
def test_each_rule_is_422_naming_the_field_and_writes_nothing(
        client, recommended, piloting, from_trust, body, field, message):
    before = AdoptionChange.objects.count()

    response = post(client, recommended, from_trust, site=piloting.site_id, **body)

    assert message in errors_of(response)[field]
    assert AdoptionChange.objects.count() == before
    piloting.refresh_from_db()
    assert piloting.status == S.PILOTING


def test_sites_outside_the_network_or_not_sites_are_422(client, network, recommended,
                                                        lead):
    far = site(network, name="Far Trust",
               icb=ICB.objects.exclude(pk__in=network.icbs.all()).first())
    university = site(network, name="City University",
                      type=OrganisationType.UNIVERSITY)

    for site_id in (far.pk, university.pk, 999999):
        response = post(client, recommended, lead, site=site_id)
        assert errors_of(response) == {
            "site": "Choose a site in one of the network's ICBs"}
    assert not Adoption.objects.exists()


def test_the_rule_refusing_is_403(client, recommended, trust, member):
    response = post(client, recommended, member, site=trust.pk)

    assert response.status_code == 403
    assert not Adoption.objects.exists()


def test_visitors_are_asked_to_sign_in_before_the_body_is_read(client, recommended):
    response = client.post(f"{base(recommended)}/adoptions", {"site": "many"},
                           content_type="application/json")

    assert response.status_code == 401


def test_contacts_must_be_members(client, recommended, trust, lead, outsider):
    response = post(client, recommended, lead, site=trust.pk,
                    contacts=[outsider.pk])

    assert errors_of(response) == {
        "contacts": "Choose contacts who are members of the network"}
    assert not Adoption.objects.exists()


def test_outsiders_are_403_and_visitors_401(client, recommended, trust, outsider):
    assert post(client, recommended, outsider, site=trust.pk).status_code == 403
    response = client.post(f"{base(recommended)}/adoptions",
                           {"site": trust.pk, "status": "aware", "on": "2026-01-05"},
                           content_type="application/json")
    assert response.status_code == 401


def test_matrix_lists_sites_and_their_statuses(client, network, recommended,
                                               piloting, member):
    on_hold = innovation(network, name="App", stage=Stage.ON_HOLD)
    adoption(on_hold, piloting.site, history=[(S.EXPLORING, JAN)])
    url = f"/api/networks/{network.slug}/innovations/adoptions/matrix"

    default = client.get(url, headers=bearer(member)).json()
    everything = client.get(url, {"show": "all"}, headers=bearer(member)).json()

    assert [i["name"] for i in default["innovations"]] == ["Back pain pathway"]
    assert default["sites"][0]["statuses"] == [{
        "innovation_id": recommended.pk, "adoption_id": piloting.pk,
        "status": "piloting", "status_on": "2026-04-01"}]
    assert [i["name"] for i in everything["innovations"]] == ["App",
                                                             "Back pain pathway"]
    assert len(everything["sites"][0]["statuses"]) == 2


def test_matrix_refuses_an_icb_not_the_networks(client, network, member):
    url = f"/api/networks/{network.slug}/innovations/adoptions/matrix"

    response = client.get(url, {"icb": "ZZZ"}, headers=bearer(member))

    assert "icb" in errors_of(response)


def test_matrix_is_for_members(client, network):
    url = f"/api/networks/{network.slug}/innovations/adoptions/matrix"

    assert client.get(url).status_code == 401


def test_dates_are_checked_against_today(client, recommended, trust, lead):
    today = timezone.localdate().isoformat()

    response = post(client, recommended, lead, site=trust.pk, on=today)

    assert response.status_code == 201
