import re

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
from ninja import Router
from schemathesis import GenerationConfig
from schemathesis.checks import not_a_server_error

from msknet.api import api
from msknet.api.main import GatedNinjaAPI
from msknet.core.gate import GATE_ATTRIBUTE
from msknet.members.actions.accounts import create_api_token
from msknet.members.models import ICB, Organisation, OrganisationType
from msknet.members.permissions import Permission
from tests.factories.community import EventFactory, ResourceFactory
from tests.factories.discussions import discussions_objects
from tests.factories.improvement import QIProjectFactory
from tests.factories.joining import JoinRequestFactory
from tests.factories.priorities import priorities_objects


def test_every_api_operation_is_behind_the_permission_gate():
    operations = list(api.operations())

    ungated = [
        op.view_func.__qualname__
        for op in operations
        if not isinstance(getattr(op.view_func, GATE_ATTRIBUTE, None), Permission)
    ]

    # members 13, insights 5, priorities 11, improvement 6, governance 6,
    # community 7, discussions 9
    assert len(operations) == 57
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
@pytest.mark.parametrize("as_lead", [False, True], ids=["anonymous", "lead"])
def test_generated_requests_never_cause_a_server_error(
    openapi_3_1, connections_kept_open, api_data, network, as_lead
):
    # A fresh application, so its middleware reads the test settings; tokens
    # are ours to send, not generated (a random one is simply refused).
    schema = schemathesis.from_wsgi(
        "/api/openapi.json",
        get_wsgi_application(),
        generation_config=GenerationConfig(with_security_parameters=False),
    )
    headers = {"Authorization": f"Bearer {api_data['token']}"} if as_lead else {}
    operations = [result.ok() for result in schema.get_all_operations()]

    for operation in operations:
        exercise(operation, headers=headers, network=network, ids=api_data["ids"])

    assert len(operations) == len(list(api.operations()))  # every one exercised
