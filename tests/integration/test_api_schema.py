import re
import typing

import jsonschema
import pytest
import schemathesis
from django.core import signals
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import resolve
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from ninja import Router, Schema
from pydantic import BaseModel
from schemathesis import GenerationConfig
from schemathesis.checks import ALL_CHECKS, not_a_server_error
from schemathesis.specs.openapi.checks import ignored_auth

from msknet.api import api
from msknet.api.gate import FORBIDDEN_MESSAGE, SIGN_IN_MESSAGE, api_gate
from msknet.api.main import GatedNinjaAPI
from msknet.communications.models import Notification
from msknet.community.models import Event, Resource
from msknet.core.gate import GATE_ATTRIBUTE
from msknet.demo import load_demo_data
from msknet.discussions.models import Thread
from msknet.governance.models import Action, Group
from msknet.improvement.models import Measure, QIProject
from msknet.insights.models import Indicator
from msknet.members.actions.accounts import create_api_token
from msknet.members.models import (
    ICB,
    JoinRequest,
    Membership,
    Network,
    Organisation,
    OrganisationType,
    User,
)
from msknet.members.permissions import Permission
from msknet.priorities import actions as priorities_actions
from msknet.priorities.models import Nomination, Round
from tests.factories.community import EventFactory, ResourceFactory
from tests.factories.discussions import discussions_objects
from tests.factories.improvement import QIProjectFactory
from tests.factories.joining import JoinRequestFactory
from tests.factories.priorities import (
    NominationFactory,
    in_screening,
    priorities_objects,
    round_with_criteria,
)


def test_every_api_operation_is_behind_the_permission_gate():
    operations = list(api.operations())

    ungated = [
        op.view_func.__qualname__
        for op in operations
        if not isinstance(getattr(op.view_func, GATE_ATTRIBUTE, None), Permission)
    ]

    # members 13, insights 5, priorities 11, improvement 6, governance 6,
    # community 7, discussions 9, innovations 13, landscape 13, surveys 10
    assert len(operations) == 95
    assert ungated == []


def test_api_refuses_to_build_urls_for_an_operation_outside_the_gate():
    sneaky = GatedNinjaAPI(urls_namespace="sneaky-api")
    router = Router()

    @router.get("/secrets")
    def secrets(request):
        return {"secret": "everything"}

    sneaky.add_router("", router)

    with pytest.raises(ImproperlyConfigured, match="not behind the permission gate"):
        _ = sneaky.urls


def test_schema_and_docs_pages_are_public_pages_behind_the_gate():
    for url in ("/api/openapi.json", "/api/docs"):
        assert getattr(resolve(url).func, GATE_ATTRIBUTE) == Permission.VIEW_PUBLIC


@pytest.mark.slow  # builds the whole schema
def test_schema_documents_bearer_tokens_and_each_operations_permission(client, db):
    schema = client.get("/api/openapi.json").json()

    assert schema["components"]["securitySchemes"] == {
        "BearerToken": {"type": "http", "scheme": "bearer"}
    }
    networks = schema["paths"]["/api/networks"]["get"]
    directory = schema["paths"]["/api/networks/{slug}/members"]["get"]
    assert networks["security"] == [{"BearerToken": []}, {}]  # token optional
    assert networks["x-msknet-permission"] == "view_public"
    assert directory["security"] == [{"BearerToken": []}]
    assert directory["x-msknet-permission"] == "view_directory"


@pytest.mark.slow  # builds the whole schema
def test_schema_bounds_join_request_fields_to_the_models(client, db):
    schema = client.get("/api/openapi.json").json()

    fields = schema["components"]["schemas"]["JoinRequestIn"]["properties"]

    assert fields["full_name"]["maxLength"] == 150
    assert fields["email"]["maxLength"] == 254
    assert fields["organisation_other"]["maxLength"] == 200


def schema_classes(model, found):
    """Every pydantic class `model` uses, itself included, by name."""
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        for arg in typing.get_args(model):
            schema_classes(arg, found)
        return found
    if model in found.setdefault(model.__name__, set()):
        return found
    found[model.__name__].add(model)
    for field in model.model_fields.values():
        schema_classes(field.annotation, found)
    return found


def test_no_two_api_schemas_share_a_name():
    found = {}
    for op in api.operations():
        for model in [*op.response_models.values(), *op.models]:
            schema_classes(model, found)

    # Ours, not ninja's per-operation wrappers (which never reach components).
    shared = {name: sorted(f"{c.__module__}.{c.__qualname__}" for c in classes)
              for name, classes in found.items()
              if len({c for c in classes if c.__module__.startswith("msknet")}) > 1}
    assert shared == {}


def test_schema_refuses_two_different_shapes_with_one_name():
    twins = GatedNinjaAPI(urls_namespace="twins-api")
    router = Router()

    def shape(**fields):
        return type("DecisionOut", (Schema,), {"__annotations__": fields})

    @router.get("/a", response=shape(reference=str))
    @api_gate(Permission.VIEW_PUBLIC)
    def a(request):
        return {"reference": "D1"}

    @router.get("/b", response=shape(nomination_id=int))
    @api_gate(Permission.VIEW_PUBLIC)
    def b(request):
        return {"nomination_id": 1}

    twins.add_router("", router)

    with pytest.raises(ImproperlyConfigured, match="Two API schemas are called"):
        twins.get_openapi_schema(path_prefix="/twins/")


def documented(schema, path, method, status="200"):
    content = schema["paths"][path][method]["responses"][status]["content"]
    return content["application/json"]["schema"]


def conforms(schema, documented_schema, body):
    jsonschema.validate(body, {**documented_schema,
                               "components": schema["components"]})
    return True


@pytest.mark.slow  # builds the whole schema
def test_priorities_decisions_are_documented_as_they_are_returned(
    client, network, lead, member
):
    round = in_screening(round_with_criteria(network, by=lead))
    nomination = NominationFactory(round=round, nominated_by=member)
    priorities_actions.record_decision(
        nomination=nomination, by=lead, decision="selected", reason="",
        meeting_on=None, minute_reference="SG 4")
    token = create_api_token(user=member, name="tests")[1]
    schema = client.get("/api/openapi.json").json()
    path = "/api/networks/{slug}/priorities/rounds/{round_id}/decisions"

    response = client.get(f"/api/networks/london/priorities/rounds/{round.pk}/decisions",
                          headers={"Authorization": f"Bearer {token}"})

    [item] = response.json()["items"]
    page = documented(schema, path, "get")
    assert page == {"$ref": "#/components/schemas/PagedNominationDecisionOut"}
    shape = schema["components"]["schemas"]["NominationDecisionOut"]
    assert set(item) == set(shape["properties"])
    assert item["nomination_id"] == nomination.pk and item["decision"] == "selected"
    assert conforms(schema, page, response.json())
    governance = schema["paths"]["/api/networks/{slug}/decisions"]["get"]
    assert documented(schema, "/api/networks/{slug}/decisions", "get") == {
        "$ref": "#/components/schemas/PagedDecisionOut"}
    assert "reference" in schema["components"]["schemas"]["DecisionOut"]["properties"]
    assert governance["x-msknet-permission"] == "view_governance"


@pytest.mark.slow  # builds the whole schema
def test_every_operation_documents_the_request_guards_400_and_401(client, db):
    schema = client.get("/api/openapi.json").json()

    undocumented = [
        f"{method.upper()} {path} {status}"
        for path, operations in schema["paths"].items()
        for method, details in operations.items()
        for status in ("400", "401")
        if documented(schema, path, method, status)
        != {"$ref": "#/components/schemas/ErrorOut"}
    ]

    assert undocumented == []


@pytest.mark.slow  # builds the whole schema
def test_nul_character_is_refused_with_the_documented_400(client, db):
    schema = client.get("/api/openapi.json").json()

    response = client.get("/api/organisations", {"search": "King\x00s"})

    assert response.status_code == 400
    assert conforms(schema, documented(schema, "/api/organisations", "get", "400"),
                    response.json())


def test_visitor_posting_an_invalid_body_is_asked_to_sign_in_first(client, network):
    response = client.post("/api/networks/london/discussions", "{not json",
                           content_type="application/json")

    assert response.status_code == 401
    assert response.json() == {"detail": SIGN_IN_MESSAGE}
    assert response["WWW-Authenticate"] == 'Bearer realm="msknet"'


def test_visitor_posting_a_wrong_body_to_an_object_is_asked_to_sign_in(
    client, network, lead, member
):
    users = {"lead": lead, "member": member}
    nomination = priorities_objects(network, users)["priority-nomination"]

    response = client.post(f"/api/networks/london/priorities/nominations/{nomination}"
                           "/scores", {"scores": "many"},
                           content_type="application/json")

    assert response.status_code == 401


def test_outsider_posting_an_invalid_body_is_forbidden_first(client, network,
                                                             outsider):
    token = create_api_token(user=outsider, name="tests")[1]

    response = client.post("/api/networks/london/discussions", {"title": 7},
                           content_type="application/json",
                           headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 403
    assert response.json() == {"detail": FORBIDDEN_MESSAGE}


def test_member_posting_an_invalid_body_is_told_what_is_wrong(client, network,
                                                              member):
    token = create_api_token(user=member, name="tests")[1]

    response = client.post("/api/networks/london/discussions", {"title": 7},
                           content_type="application/json",
                           headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 422


def test_visitor_may_still_read_a_public_event_without_a_token(client, network):
    event = EventFactory(network=network, visibility="public")

    response = client.get(f"/api/networks/london/events/{event.pk}")

    assert response.status_code == 200


def test_visitor_asking_for_a_missing_network_gets_not_found(client, db):
    response = client.post("/api/networks/nowhere/discussions", {},
                           content_type="application/json")

    assert response.status_code == 404


def test_docs_page_loads_nothing_from_a_cdn(client, db):
    response = client.get("/api/docs")

    assert response.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', response.text)
    assert assets
    assert all(asset.startswith("/static/") for asset in assets)
    assert '"url": "/api/openapi.json"' in response.text


# Generated requests against every operation -----------------------------------


@pytest.fixture
def connections_kept_open():
    # A real WSGI application closes "old" database connections around each
    # request; inside a test's transaction that would close the connection
    # (PostgreSQL), so keep it open as Django's test client does.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def openapi_3_1():
    # ninja writes OpenAPI 3.1, which schemathesis 3 supports as an experiment.
    schemathesis.experimental.OPEN_API_3_1.enable()
    yield
    schemathesis.experimental.OPEN_API_3_1.disable()


@pytest.fixture
def api_data(network, lead, member, settings):
    """Something behind the ids requests may name, so they reach past 404."""
    settings.ALLOWED_HOSTS = ["localhost"]  # schemathesis's WSGI client's host
    qkk = ICB.objects.get(ods_code="QKK")
    Organisation.objects.create(
        name="King's College Hospital NHS Foundation Trust",
        type=OrganisationType.NHS_TRUST,
        ods_code="RJZ",
        icb=qkk,
    )
    join_requests = [
        JoinRequestFactory(network=network, icb=qkk).pk,
        JoinRequestFactory(network=network).pk,
        JoinRequestFactory(network=network).pk,
    ]
    return {
        "token": create_api_token(user=lead, name="schemathesis")[1],
        "ids": {
            "members": list(network.memberships.values_list("pk", flat=True)),
            "join-requests": join_requests,
            "events": [
                EventFactory(network=network).pk,
                EventFactory(network=network, visibility="public", capacity=1).pk,
            ],
            "resources": [ResourceFactory(network=network).pk],
            "discussions": [discussions_objects(network, {}, member)["disc-thread"]],
            "projects": [QIProjectFactory(network=network).pk],
            "nominations": [priorities_objects(network, {"lead": lead, "member": member})[
                "priority-nomination"]],
        },
    }


def exercise(operation, *, headers, network, ids):
    """Send generated requests to one operation; none may fail with a 5xx."""
    kind = next((k for k in ids if f"/{k}/" in operation.path), None)

    @hypothesis_settings(
        max_examples=25,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(), data=st.data())
    def check(case, data):
        # Half the time, name the real network and a real id in it.
        params = case.path_parameters or {}
        if "slug" in params and data.draw(st.booleans(), label="real"):
            params["slug"] = network.slug
            if kind:
                params["id"] = data.draw(st.sampled_from(ids[kind]))
        response = case.call(headers=headers)
        case.validate_response(response, checks=(not_a_server_error,))

    check()


@pytest.mark.slow
# schemathesis 3 still subclasses jsonschema's deprecated RefResolver.
@pytest.mark.filterwarnings("ignore:jsonschema.RefResolver is deprecated")
def test_generated_requests_as_a_lead_never_cause_a_server_error(
    openapi_3_1, connections_kept_open, api_data, network
):
    # A lead reaches every write; visitors and members are exercised with
    # every check against the demo below.
    # A fresh application, so its middleware reads the test settings; tokens
    # are ours to send, not generated (a random one is simply refused).
    schema = schemathesis.from_wsgi(
        "/api/openapi.json",
        get_wsgi_application(),
        generation_config=GenerationConfig(with_security_parameters=False),
    )
    headers = {"Authorization": f"Bearer {api_data['token']}"}
    operations = [result.ok() for result in schema.get_all_operations()]

    for operation in operations:
        exercise(operation, headers=headers, network=network, ids=api_data["ids"])

    assert len(operations) == len(list(api.operations()))  # every one exercised


# All checks, against the demo --------------------------------------------------


@pytest.fixture
def demo_api(db, settings, monkeypatch):
    """The demo's London network, with real ids for every path an operation takes."""
    settings.ALLOWED_HOSTS = ["localhost"]  # schemathesis's WSGI client's host
    # The API serves no prescribing figures: leave the demo's store out.
    monkeypatch.setattr("msknet.demo.loader.load_demo_prescribing", lambda: False)
    load_demo_data()
    london = Network.objects.get(slug="london")
    member = User.objects.get(email="member@london.example.nhs.uk")

    def ids(queryset, **names):
        return [dict(zip(names, row, strict=True))
                for row in queryset.values_list(*names.values())[:5]]

    paths = {  # the first path in an operation's path names its ids
        "/measures/{measure_id}": ids(
            Measure.objects.filter(project__network=london),
            id="project_id", measure_id="pk"),
        "/members/{id}": ids(Membership.objects.filter(network=london), id="pk"),
        "/join-requests/{id}": ids(JoinRequest.objects.filter(network=london),
                                   id="pk"),
        "/projects/{id}": ids(QIProject.objects.filter(network=london), id="pk"),
        "/events/{id}": ids(Event.objects.filter(network=london), id="pk"),
        "/resources/{id}": ids(Resource.objects.filter(network=london), id="pk"),
        "/rounds/{round_id}": ids(Round.objects.filter(network=london),
                                  round_id="pk"),
        "/nominations/{id}": ids(Nomination.objects.filter(round__network=london),
                                 id="pk"),
        "/discussions/{id}": ids(Thread.objects.filter(network=london), id="pk"),
        "/notifications/{id}": ids(Notification.objects.filter(user=member),
                                   id="pk"),
        "/groups/{group_slug}": ids(Group.objects.filter(network=london),
                                    group_slug="slug"),
        "/actions/{id}": ids(Action.objects.filter(network=london), id="pk"),
        "/indicators/{indicator_slug}": ids(Indicator.objects.all(),
                                            indicator_slug="slug"),
    }
    assert all(paths.values()), [path for path, found in paths.items() if not found]
    return {
        "network": london,
        "token": create_api_token(user=member, name="schemathesis")[1],
        "paths": paths,
    }


def exercise_all_checks(operation, *, headers, network, paths):
    """Generated requests to one operation, half naming real demo objects;
    every schemathesis check must pass."""
    real = next((found for path, found in paths.items() if path in operation.path),
                [])
    checks = ALL_CHECKS
    if {} in operation.definition.raw["security"]:
        # Schemathesis 3's ignored_auth reads any security requirement as
        # required, missing OpenAPI's `{}` (the token is optional): visitors
        # may do this, so a 200 without a token is right.
        checks = tuple(check for check in ALL_CHECKS if check is not ignored_auth)

    @hypothesis_settings(
        max_examples=6,  # x 57 operations x 2 clients: about a minute
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(), data=st.data())
    def check(case, data):
        params = case.path_parameters
        if params is not None and data.draw(st.booleans(), label="real"):
            if "slug" in params:
                params["slug"] = network.slug
            if real:
                params.update(data.draw(st.sampled_from(real), label="ids"))
        # As case headers, so ignored_auth can take the token away again.
        case.headers = {**(case.headers or {}), **headers}
        response = case.call()
        case.validate_response(response, checks=checks, headers=headers)

    check()


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:jsonschema.RefResolver is deprecated")
def test_generated_requests_pass_every_check_against_the_demo(
    openapi_3_1, connections_kept_open, demo_api
):
    # Anonymously, then as a member with a token; one demo load for both.
    schema = schemathesis.from_wsgi(
        "/api/openapi.json",
        get_wsgi_application(),
        generation_config=GenerationConfig(with_security_parameters=False),
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    member = {"Authorization": f"Bearer {demo_api['token']}"}

    for headers in ({}, member):
        for operation in operations:
            exercise_all_checks(operation, headers=headers,
                                network=demo_api["network"], paths=demo_api["paths"])

    assert len(operations) == len(list(api.operations()))
