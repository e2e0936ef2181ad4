import pytest
from django.core import mail

from msknet.core.models import AuditEvent
from msknet.members.actions.accounts import create_api_token
from msknet.members.models import (
    ICB,
    JoinRequest,
    Membership,
    Organisation,
    OrganisationType,
    Profession,
    Role,
    Sector,
    User,
)
from tests.factories.joining import JoinRequestFactory
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import NetworkFactory, TopicFactory
from tests.factories.users import UserFactory
from tests.queries import queries_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    """Call the API as a token's user, or as a visitor with `as_user=None`."""

    class Api:
        def __init__(self):
            self.tokens = {}

        def headers(self, user):
            if user is None:
                return {}
            if user.pk not in self.tokens:
                self.tokens[user.pk] = create_api_token(user=user, name="tests")[1]
            return {"Authorization": f"Bearer {self.tokens[user.pk]}"}

        def get(self, url, as_user=None, **params):
            return client.get(url, params, headers=self.headers(as_user))

        def post(self, url, body=None, as_user=None):
            return client.post(
                url,
                body if body is not None else {},
                content_type="application/json",
                headers=self.headers(as_user),
            )

    return Api()


def join_body(network, **overrides):
    body = {
        "email": "Priya.Shah@example.org",
        "full_name": "Priya Shah",
        "sector": "lived_experience",
        "profession": "not_applicable",
        "icb": "QKK",
        "interests": ["spinal-services"],
        "leadership": "wants_to_lead",
        "reason": "I live with chronic back pain and want to help services improve.",
    }
    body.update(overrides)
    return body


def field_errors(response):
    assert response.status_code == 422
    return {error["field"]: error["message"] for error in response.json()["errors"]}


# Authentication -------------------------------------------------------------


def test_visitor_reads_public_data_without_a_token(api, network, member):
    response = api.get("/api/networks")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    london = body["items"][0]
    assert london["slug"] == "london"
    assert london["short_name"] == "London MSK"
    assert london["region"] == {"code": "Y56", "name": "London"}
    assert len(london["icbs"]) == 5
    assert {"ods_code", "name"} == set(london["icbs"][0])
    assert london["objectives"] == [
        "Map local MSK services",
        "Spread proven innovations",
    ]
    assert [t["slug"] for t in london["topics"]] == [
        "primary-community",
        "spinal-services",
    ]
    assert london["member_count"] == 1


def test_invalid_token_is_refused_even_where_visitors_may_read(client, network):
    refused = client.get(
        "/api/networks", headers={"Authorization": "Bearer msk_not-a-real-token"}
    )

    assert refused.status_code == 401
    assert "not valid" in refused.json()["detail"]
    assert refused["WWW-Authenticate"].startswith("Bearer")


def test_token_sent_with_another_scheme_is_refused(client, network):
    response = client.get("/api/networks", headers={"Authorization": "Token msk_x"})

    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


def test_token_of_a_deactivated_account_is_refused(client, api, network, member):
    headers = api.headers(member)
    User.objects.filter(pk=member.pk).update(is_active=False)

    refused = client.get("/api/me", headers=headers)

    assert refused.status_code == 401
    assert "not valid" in refused.json()["detail"]


def test_session_sign_in_does_not_authenticate_the_api(client, network, lead):
    # The API reads tokens only, so a browser session cannot be ridden (CSRF).
    client.force_login(lead)

    response = client.get(f"/api/networks/{network.slug}/join-requests")

    assert response.status_code == 401


# The permission gate, per role -----------------------------------------------

ROLES = ["anonymous", "outsider", "member", "steering", "lead"]

EXPECTED = {
    "/api/networks/london": [200, 200, 200, 200, 200],
    "/api/networks/london/members": [401, 403, 200, 200, 200],
    "/api/networks/london/join-requests": [401, 403, 403, 403, 200],
    "/api/me": [401, 200, 200, 200, 200],
}


@pytest.mark.parametrize("url", EXPECTED)
def test_each_role_gets_what_the_gate_allows(api, request, network, url):
    users = {
        role: None if role == "anonymous" else request.getfixturevalue(role)
        for role in ROLES
    }

    statuses = [api.get(url, as_user=users[role]).status_code for role in ROLES]

    assert statuses == EXPECTED[url]


@pytest.mark.parametrize(
    "url",
    [
        "/api/networks/nowhere",
        "/api/networks/nowhere/members",
        "/api/networks/nowhere/join-requests",
    ],
)
def test_unknown_network_is_not_found(api, lead, url):
    response = api.get(url, as_user=lead)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found"}


def test_member_of_another_network_may_not_read_this_directory(api, network):
    elsewhere = MembershipFactory(network=NetworkFactory(), role=Role.LEAD).user

    response = api.get(f"/api/networks/{network.slug}/members", as_user=elsewhere)

    assert response.status_code == 403
    assert (
        response.json()["detail"] == "Your account does not have permission to do this"
    )


# Reference data ---------------------------------------------------------------


@pytest.fixture
def organisations(db):
    qkk = ICB.objects.get(ods_code="QKK")
    return {
        "kings": Organisation.objects.create(
            name="King's College Hospital NHS Foundation Trust",
            type=OrganisationType.NHS_TRUST,
            ods_code="RJZ",
            icb=qkk,
            region=qkk.region,
        ),
        "guys": Organisation.objects.create(
            name="Guy's and St Thomas' NHS Foundation Trust",
            type=OrganisationType.NHS_TRUST,
            ods_code="RJ1",
            icb=qkk,
        ),
        "versus": Organisation.objects.create(
            name="Versus Arthritis", type=OrganisationType.VOLUNTARY
        ),
        "newcastle": Organisation.objects.create(
            name="Newcastle upon Tyne Hospitals NHS Foundation Trust",
            type=OrganisationType.NHS_TRUST,
            icb=ICB.objects.get(ods_code="QHM"),
        ),
    }


def test_organisations_filter_by_type_icb_and_search(api, organisations):
    def names(**params):
        response = api.get("/api/organisations", **params)
        assert response.status_code == 200
        return [o["name"] for o in response.json()["items"]]

    assert names(type="voluntary") == ["Versus Arthritis"]
    assert names(icb="QKK") == [
        "Guy's and St Thomas' NHS Foundation Trust",
        "King's College Hospital NHS Foundation Trust",
    ]
    assert names(q="king college") == ["King's College Hospital NHS Foundation Trust"]
    assert names(q="rj1") == ["Guy's and St Thomas' NHS Foundation Trust"]
    assert names(type="nhs_trust", icb="qhm") == [
        "Newcastle upon Tyne Hospitals NHS Foundation Trust"
    ]


def test_organisation_shows_its_icb_and_region(api, organisations):
    response = api.get("/api/organisations", q="RJZ")

    [kings] = response.json()["items"]
    assert kings["type"] == "nhs_trust"
    assert kings["ods_code"] == "RJZ"
    assert kings["icb"]["ods_code"] == "QKK"
    assert kings["region"] == {"code": "Y56", "name": "London"}


def test_organisations_by_unknown_icb_name_the_field(api, organisations):
    response = api.get("/api/organisations", icb="ZZZ")

    assert field_errors(response) == {
        "icb": "There is no integrated care board with ODS code 'ZZZ'"
    }


def test_organisations_by_unknown_type_name_the_field(api, organisations):
    response = api.get("/api/organisations", type="castle")

    assert "type" in field_errors(response)


def test_regions_and_icbs_are_public_reference_data(api, db):
    regions = api.get("/api/regions").json()
    icbs = api.get("/api/icbs", limit=100).json()
    london_icbs = api.get("/api/icbs", region="Y56").json()

    assert regions["count"] == 7
    assert {"code": "Y56", "ons_code": "E40000003", "name": "London"} in regions[
        "items"
    ]
    assert icbs["count"] == 42
    assert len(icbs["items"]) == 42
    assert london_icbs["count"] == 5
    qkk = next(i for i in london_icbs["items"] if i["ods_code"] == "QKK")
    assert qkk["short_name"] == "South East London"
    assert qkk["region_code"] == "Y56"


def test_lists_are_paginated_with_limit_and_offset(api, db):
    first = api.get("/api/icbs", limit=10).json()
    last = api.get("/api/icbs", limit=10, offset=40).json()

    assert first["count"] == last["count"] == 42
    assert len(first["items"]) == 10
    assert len(last["items"]) == 2


def test_pagination_limit_is_bounded(api, db):
    response = api.get("/api/icbs", limit=1000)

    assert "limit" in field_errors(response)


# Member directory: consent ------------------------------------------------------


@pytest.fixture
def qkk():
    return ICB.objects.get(ods_code="QKK")


def test_directory_lists_only_members_who_chose_to_be_listed(api, network, member):
    hidden = MembershipFactory(network=network, directory_listed=False).user
    erased = MembershipFactory(network=network).user
    User.objects.filter(pk=erased.pk).update(is_active=False)

    response = api.get(f"/api/networks/{network.slug}/members", as_user=member)

    assert response.status_code == 200
    names = [m["full_name"] for m in response.json()["items"]]
    assert names == [member.full_name]
    assert hidden.full_name not in names


def test_directory_shows_only_what_each_member_shares(api, network, member, qkk):
    topic = network.topics.first()
    sharer = MembershipFactory(
        network=network,
        sector=Sector.COMMUNITY,
        icb=qkk,
        organisation_other="Lambeth MSK service",
        share_email=True,
        share_phone=True,
        interests=[topic],
        user=UserFactory(full_name="Ada Open", phone="020 7946 0000"),
    )
    private = MembershipFactory(
        network=network,
        sector=Sector.COMMUNITY,
        icb=qkk,
        organisation_other="Hidden Trust",
        share_organisation=False,
        share_profession=False,
        share_sector=False,
        share_icb=False,
        share_interests=False,
        interests=[topic],
        user=UserFactory(full_name="Bo Private", phone="020 7946 0001"),
    )

    items = api.get(f"/api/networks/{network.slug}/members", as_user=member).json()[
        "items"
    ]
    shown = {item["id"]: item for item in items}

    assert shown[sharer.pk] == {
        "id": sharer.pk,
        "full_name": "Ada Open",
        "role": "member",
        "email": sharer.user.email,
        "phone": "020 7946 0000",
        "organisation": "Lambeth MSK service",
        "organisation_id": None,
        "profession": "physiotherapist",
        "sector": "community",
        "icb": {"ods_code": "QKK", "name": qkk.name},
        "interests": [{"slug": topic.slug, "name": topic.name}],
    }
    assert shown[private.pk] == {
        "id": private.pk,
        "full_name": "Bo Private",
        "role": "member",
        "email": None,
        "phone": None,
        "organisation": None,
        "organisation_id": None,
        "profession": None,
        "sector": None,
        "icb": None,
        "interests": None,
    }


@pytest.mark.parametrize(
    ("param", "value", "consent"),
    [
        ("sector", "community", "share_sector"),
        ("profession", "gp", "share_profession"),
        ("icb", "QKK", "share_icb"),
        ("interest", "spinal-services", "share_interests"),
    ],
)
def test_directory_filters_match_only_members_who_share_the_detail(
    api, network, member, qkk, param, value, consent
):
    details = {
        "sector": Sector.COMMUNITY,
        "profession": Profession.GP,
        "icb": qkk,
        "interests": [network.topics.get(slug="spinal-services")],
    }
    sharing = MembershipFactory(network=network, **details)
    MembershipFactory(network=network, **details, **{consent: False})

    response = api.get(
        f"/api/networks/{network.slug}/members", as_user=member, **{param: value}
    )

    assert response.status_code == 200
    assert [m["id"] for m in response.json()["items"]] == [sharing.pk]


def test_directory_search_matches_names(api, network, member):
    ada = MembershipFactory(network=network, user=UserFactory(full_name="Ada Lovelace"))
    MembershipFactory(network=network, user=UserFactory(full_name="Bo Brown"))

    response = api.get(f"/api/networks/{network.slug}/members", as_user=member, q="ada")

    assert [m["id"] for m in response.json()["items"]] == [ada.pk]


def test_directory_filter_by_unknown_topic_names_the_field(api, network, member):
    response = api.get(
        f"/api/networks/{network.slug}/members", as_user=member, interest="knitting"
    )

    assert field_errors(response) == {
        "interest": "London MSK Health Improvement Network has no topic 'knitting'"
    }


@pytest.mark.parametrize("added", [2, 6])
def test_directory_list_takes_a_fixed_number_of_queries(
    client, api, network, member, qkk, added
):
    topic = network.topics.first()
    for _ in range(added):
        MembershipFactory(network=network, icb=qkk, interests=[topic])
    headers = api.headers(member)
    url = f"/api/networks/{network.slug}/members"

    # token lookup, last-used update, network, role, count, page, interests
    response, queries = queries_of(lambda: client.get(url, headers=headers))

    assert len(queries) == 7
    assert response.json()["count"] == added + 1


def test_directory_entry_of_a_listed_member(api, network, member, steering):
    membership = Membership.objects.get(user=steering)

    response = api.get(
        f"/api/networks/{network.slug}/members/{membership.pk}", as_user=member
    )

    assert response.status_code == 200
    assert response.json()["full_name"] == steering.full_name
    assert response.json()["role"] == "steering"


def test_directory_entry_of_unlisted_or_other_network_member_is_not_found(
    api, network, member
):
    unlisted = MembershipFactory(network=network, directory_listed=False)
    elsewhere = MembershipFactory(network=NetworkFactory())

    responses = [
        api.get(f"/api/networks/{network.slug}/members/{m.pk}", as_user=member)
        for m in (unlisted, elsewhere)
    ]

    assert [r.status_code for r in responses] == [404, 404]


# Joining ------------------------------------------------------------------------


RECEIVED = {
    "detail": "Request received. We have emailed the address given to say what "
    "happens next."
}


def test_visitor_asks_to_join_and_is_emailed(api, network, sent_on_commit):
    with sent_on_commit():
        response = api.post(
            f"/api/networks/{network.slug}/join-requests", join_body(network)
        )

    assert response.status_code == 202
    assert response.json() == RECEIVED
    join_request = JoinRequest.objects.get()
    assert join_request.email == "priya.shah@example.org"
    assert join_request.icb.ods_code == "QKK"
    assert list(join_request.interests.all()) == [
        network.topics.get(slug="spinal-services")
    ]
    assert join_request.leadership == "wants_to_lead"
    assert mail.outbox[0].to == ["priya.shah@example.org"]
    assert AuditEvent.objects.filter(type=AuditEvent.Type.JOIN_REQUESTED).count() == 1


def test_join_request_with_an_organisation_from_the_list(api, network, organisations):
    response = api.post(
        f"/api/networks/{network.slug}/join-requests",
        join_body(network, organisation_id=organisations["kings"].pk),
    )

    assert response.status_code == 202
    assert JoinRequest.objects.get().organisation == organisations["kings"]


def test_repeat_join_request_answers_as_a_new_one_and_emails_the_address(
    api, network, sent_on_commit
):
    JoinRequestFactory(network=network, email="priya.shah@example.org")

    with sent_on_commit():
        response = api.post(
            f"/api/networks/{network.slug}/join-requests", join_body(network)
        )

    assert (response.status_code, response.json()) == (202, RECEIVED)
    assert JoinRequest.objects.count() == 1
    assert mail.outbox[0].to == ["priya.shah@example.org"]
    assert "You already asked on" in mail.outbox[0].body


def test_unlisted_member_asking_to_join_gets_the_same_answer(
    api, network, sent_on_commit
):
    unlisted = MembershipFactory(network=network, directory_listed=False).user

    with sent_on_commit():
        response = api.post(
            f"/api/networks/{network.slug}/join-requests",
            join_body(network, email=unlisted.email.upper()),
        )

    assert (response.status_code, response.json()) == (202, RECEIVED)
    assert not JoinRequest.objects.exists()
    assert mail.outbox[0].to == [unlisted.email]
    assert "You are already a member" in mail.outbox[0].body


def test_join_request_with_missing_and_bad_fields_names_each(api, network):
    body = join_body(network, email="not-an-email", full_name="x" * 151, sector="spy")
    del body["profession"]

    response = api.post(f"/api/networks/{network.slug}/join-requests", body)

    errors = field_errors(response)
    assert errors["email"] == (
        "Enter an email address in the correct format, like name@example.com"
    )
    assert "150" in errors["full_name"]
    assert set(errors) == {"email", "full_name", "sector", "profession"}
    assert response.json()["detail"] == "Some fields are not valid: see errors"
    assert not JoinRequest.objects.exists()


def test_join_request_with_blank_name_names_the_field(api, network):
    response = api.post(
        f"/api/networks/{network.slug}/join-requests",
        join_body(network, full_name="  "),
    )

    assert set(field_errors(response)) == {"full_name"}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"icb": "ZZZ"}, "icb"),
        ({"interests": ["knitting"]}, "interests"),
        ({"organisation_id": 999999}, "organisation_id"),
        ({"organisation_id": "newcastle"}, "organisation_id"),
        (
            {"organisation_id": "kings", "organisation_other": "Mine"},
            "organisation_other",
        ),
    ],
)
def test_join_request_with_choices_not_on_offer_names_the_field(
    api, network, organisations, overrides, field
):
    if isinstance(overrides.get("organisation_id"), str):
        overrides = {
            **overrides,
            "organisation_id": organisations[overrides["organisation_id"]].pk,
        }

    response = api.post(
        f"/api/networks/{network.slug}/join-requests", join_body(network, **overrides)
    )

    assert set(field_errors(response)) == {field}
    assert not JoinRequest.objects.exists()


def test_join_request_to_a_closed_network_is_refused(api, network):
    network.open_to_join = False
    network.save()

    response = api.post(
        f"/api/networks/{network.slug}/join-requests", join_body(network)
    )

    assert response.status_code == 403
    assert "not taking requests" in response.json()["detail"]


def test_join_request_that_is_not_json_is_refused(client, network):
    response = client.post(
        f"/api/networks/{network.slug}/join-requests",
        "{not json",
        content_type="application/json",
    )

    assert response.status_code in (400, 422)
    assert "detail" in response.json()


@pytest.fixture
def pending(network, qkk):
    join_request = JoinRequestFactory(
        network=network, email="sam@example.org", full_name="Sam Patel", icb=qkk
    )
    join_request.interests.set([network.topics.get(slug="spinal-services")])
    return join_request


def test_lead_lists_join_requests_filtered_by_status(api, network, lead, pending):
    JoinRequestFactory(network=NetworkFactory())  # another network's
    declined = JoinRequestFactory(network=network)
    api.post(
        f"/api/networks/{network.slug}/join-requests/{declined.pk}/decline",
        {"reason": "Not in our area"},
        as_user=lead,
    )

    everything = api.get(f"/api/networks/{network.slug}/join-requests", as_user=lead)
    waiting = api.get(
        f"/api/networks/{network.slug}/join-requests", as_user=lead, status="pending"
    )

    assert {r["id"] for r in everything.json()["items"]} == {pending.pk, declined.pk}
    assert [r["id"] for r in waiting.json()["items"]] == [pending.pk]


def test_lead_reads_one_join_request(api, network, lead, pending):
    response = api.get(
        f"/api/networks/{network.slug}/join-requests/{pending.pk}", as_user=lead
    )

    body = response.json()
    assert response.status_code == 200
    assert body["full_name"] == "Sam Patel"
    assert body["email"] == "sam@example.org"
    assert body["icb"]["ods_code"] == "QKK"
    assert body["interests"] == [{"slug": "spinal-services", "name": "Spinal services"}]
    assert body["status"] == "pending"
    assert body["decided_by"] is None


def test_join_request_of_another_network_is_not_found(api, network, lead):
    elsewhere = JoinRequestFactory(network=NetworkFactory())

    responses = [
        api.get(
            f"/api/networks/{network.slug}/join-requests/{elsewhere.pk}", as_user=lead
        ),
        api.post(
            f"/api/networks/{network.slug}/join-requests/{elsewhere.pk}/approve",
            as_user=lead,
        ),
    ]

    assert [r.status_code for r in responses] == [404, 404]
    elsewhere.refresh_from_db()
    assert elsewhere.status == JoinRequest.Status.PENDING


def test_lead_approves_and_the_person_becomes_a_member(
    api, network, lead, pending, sent_on_commit
):
    url = f"/api/networks/{network.slug}/join-requests/{pending.pk}/approve"

    with sent_on_commit():
        response = api.post(url, as_user=lead)

    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    assert response.json()["decided_by"] == lead.full_name
    membership = Membership.objects.get(user__email="sam@example.org")
    assert membership.network == network
    assert mail.outbox[-1].to == ["sam@example.org"]


def test_approving_a_decided_request_is_a_conflict(api, network, lead, pending):
    url = f"/api/networks/{network.slug}/join-requests/{pending.pk}"
    api.post(f"{url}/decline", {"reason": "Duplicate"}, as_user=lead)

    approve = api.post(f"{url}/approve", as_user=lead)
    decline = api.post(f"{url}/decline", {"reason": "Again"}, as_user=lead)

    assert approve.status_code == decline.status_code == 409
    assert approve.json()["detail"] == "This request has already been decided: declined"
    assert not Membership.objects.filter(user__email="sam@example.org").exists()


def test_lead_declines_with_a_reason(api, network, lead, pending, sent_on_commit):
    url = f"/api/networks/{network.slug}/join-requests/{pending.pk}/decline"

    with sent_on_commit():
        response = api.post(url, {"reason": "  We only cover London.  "}, as_user=lead)

    assert response.status_code == 200
    assert response.json()["status"] == "declined"
    assert response.json()["decision_reason"] == "We only cover London."
    assert mail.outbox[-1].to == ["sam@example.org"]


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}])
def test_declining_without_a_reason_names_the_field(api, network, lead, pending, body):
    url = f"/api/networks/{network.slug}/join-requests/{pending.pk}/decline"

    response = api.post(url, body, as_user=lead)

    assert set(field_errors(response)) == {"reason"}
    pending.refresh_from_db()
    assert pending.status == JoinRequest.Status.PENDING


@pytest.mark.parametrize("role", ["anonymous", "member", "steering"])
def test_only_leads_decide_join_requests(api, request, network, pending, role):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    url = f"/api/networks/{network.slug}/join-requests/{pending.pk}"

    responses = [
        api.get(url, as_user=user),
        api.post(f"{url}/approve", as_user=user),
        api.post(f"{url}/decline", {"reason": "No"}, as_user=user),
    ]

    assert {r.status_code for r in responses} == {401 if user is None else 403}
    pending.refresh_from_db()
    assert pending.status == JoinRequest.Status.PENDING


def test_join_through_the_api_then_lead_approves_through_the_api(api, network, lead):
    api.post(f"/api/networks/{network.slug}/join-requests", join_body(network))
    waiting = api.get(
        f"/api/networks/{network.slug}/join-requests?status=pending", as_user=lead
    ).json()
    (created,) = waiting["items"]

    approved = api.post(
        f"/api/networks/{network.slug}/join-requests/{created['id']}/approve",
        as_user=lead,
    )

    assert approved.status_code == 200
    membership = Membership.objects.get(user__email="priya.shah@example.org")
    assert membership.sector == Sector.LIVED_EXPERIENCE
    assert membership.icb.ods_code == "QKK"
    assert list(membership.interests.values_list("slug", flat=True)) == [
        "spinal-services"
    ]
    newcomer = api.get("/api/me", as_user=membership.user).json()
    assert [m["network"]["slug"] for m in newcomer["memberships"]] == ["london"]


# Your account -------------------------------------------------------------------


def test_me_shows_own_account_and_memberships(api, network, member):
    other = NetworkFactory(name="North East and North Cumbria Pain CoP")
    MembershipFactory(
        network=other, user=member, role=Role.LEAD, directory_listed=False
    )

    response = api.get("/api/me", as_user=member)

    body = response.json()
    assert response.status_code == 200
    assert body["email"] == member.email
    assert body["full_name"] == member.full_name
    roles = {m["network"]["slug"]: m["role"] for m in body["memberships"]}
    assert roles == {"london": "member", other.slug: "lead"}
    london = next(m for m in body["memberships"] if m["network"]["slug"] == "london")
    assert london["directory_listed"] is True
    assert london["share_email"] is False


def test_me_for_someone_in_no_network(api, outsider):
    response = api.get("/api/me", as_user=outsider)

    assert response.json()["memberships"] == []


# Interest topics that another network owns cannot be used to join this one.


def test_join_request_with_another_networks_topic_names_the_field(api, network):
    TopicFactory(network=NetworkFactory(), slug="elsewhere")

    response = api.post(
        f"/api/networks/{network.slug}/join-requests",
        join_body(network, interests=["elsewhere"]),
    )

    assert set(field_errors(response)) == {"interests"}
