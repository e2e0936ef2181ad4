import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from msknet.core.gate import GATE_ATTRIBUTE
from msknet.core.middleware import PermissionGateMiddleware


def all_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from all_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def test_every_page_is_behind_the_permission_gate():
    ungated = [
        route
        for route, pattern in all_patterns()
        if not hasattr(pattern.callback, GATE_ATTRIBUTE)
    ]

    assert ungated == []


def test_middleware_refuses_a_view_outside_the_gate():
    def sneaky(request):
        return HttpResponse("secret")

    middleware = PermissionGateMiddleware(lambda request: HttpResponse())
    request = RequestFactory().get("/sneaky/")

    with pytest.raises(ImproperlyConfigured, match="not behind the permission gate"):
        middleware.process_view(request, sneaky, (), {})


@pytest.mark.parametrize(
    ("path", "params"),
    [("/api/icbs", {"region": "\x00"}), ("/n/london/directory/", {"q": "a\x00b"})],
)
def test_null_characters_in_parameters_are_refused(client, path, params):
    response = client.get(path, params)

    assert response.status_code == 400
    assert b"NUL characters" in response.content


def test_null_characters_in_json_are_refused(client):
    response = client.post(
        "/api/networks/london/join-requests",
        '{"full_name": "A\\u0000B"}',
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Request parameters may not contain NUL characters."
    }
