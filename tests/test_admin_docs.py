"""The admin API described: /__admin/docs serves an OpenAPI 3.1 document of every admin call, the
test harness holds every admin answer to it (tests/conftest.py), and the server checks each admin
request's query parameter names and body envelope against it before the call runs."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from mockserver.admin.docs import admin_spec, check_answer, document

HTTP_METHODS = ("get", "put", "post", "delete", "patch")


def admin_routes(app) -> set[tuple[str, str]]:
    routes = set()
    for route in app.router.routes():
        path = route.resource.canonical if route.resource is not None else ""
        if path.startswith("/__admin") and route.method != "HEAD":
            routes.add((route.method, path))
    return routes


async def test_every_admin_route_is_documented_and_every_documented_call_is_routed(mock):
    documented = {(op.method, op.path) for op in admin_spec().operations}
    routed = admin_routes(mock.app)
    assert routed - documented == set(), "routes missing from mockserver/admin/docs/openapi.yaml"
    assert documented - routed == set(), "documented calls the server does not route"


async def test_the_served_document_is_plain_openapi(mock):
    answer = await mock.get("/__admin/docs")
    doc = answer.body
    assert answer.status == 200 and doc["openapi"] == "3.1.0"
    assert doc["servers"][0]["url"].startswith("http://127.0.0.1:")
    assert "x-default-responses" not in doc
    for path, item in doc["paths"].items():
        assert path.startswith("/__admin")
        for method in HTTP_METHODS:
            if method in item:
                op = item[method]
                assert op["operationId"] and op["summary"], (method, path)
                assert {"400", "401", "404", "405", "413"} <= set(op["responses"]), (method, path)


def test_every_schema_in_the_document_is_valid_json_schema():
    doc = document()
    for name, schema in doc["components"]["schemas"].items():
        Draft202012Validator.check_schema(schema)
    refs: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            if "$ref" in node:
                refs.append(node["$ref"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(doc)
    for ref in refs:
        kind, name = ref.split("/")[-2:]
        assert name in doc["components"][kind], ref


def test_the_contract_check_catches_an_answer_the_document_does_not_allow():
    assert check_answer("GET", "/__admin/requests/count", 200, {"count": 3}) is None
    assert check_answer("GET", "/__admin/requests/count", 200, {"count": "3"}) is not None
    assert check_answer("GET", "/__admin/requests/count", 200, {"count": 3, "extra": 1}) is not None
    assert check_answer("GET", "/__admin/clock", 418, {"error": "x"}) is not None
    assert check_answer("GET", "/__admin/nowhere", 200, {}) is not None
    assert check_answer("GET", "/__admin/nowhere", 404, {"error": "no admin call"}) is None


async def test_the_html_view(mock):
    async with mock.client.get("/__admin/docs", params={"format": "html"}) as response:
        text = await response.text()
        assert response.status == 200 and response.content_type == "text/html"
    assert 'fetch("/__admin/docs")' in text
    answer = await mock.get("/__admin/docs", params={"format": "yaml"})
    assert answer.status == 400 and answer.body == {"error": "format must be json or html"}


@pytest.mark.parametrize("method, path, params, body, message", [
    ("POST", "/__admin/reset", {"vendr": "stitch"}, None, "unknown query parameter(s) vendr; known: token, vendor"),
    ("POST", "/__admin/reset", None, {"vendors": "stitch"}, "unknown field(s) vendors; known: token, vendor"),
    ("POST", "/__admin/reset", None, [1], "body must be a JSON object"),
    ("GET", "/__admin/clock", {"now": "1"}, None, "unknown query parameter(s) now; known: none"),
    ("DELETE", "/__admin/faults", {"vendor": "stitch", "id": "1"}, None, "unknown query parameter(s) id; known: vendor"),
    ("POST", "/__admin/faults", None, None, "this call needs a JSON object body"),
    ("PUT", "/__admin/lifecycles/stitch.connection_check", None, {"mode": "manual", "speed": 2}, "unknown field(s) speed; known: delays, mode"),
    ("POST", "/__admin/lifecycles/stitch.connection_check/advance", None, {"record": 1}, "unknown field(s) record; known: resource_id, token"),
    ("GET", "/__admin/requests", {"colour": "red"}, None, "unknown filter(s) colour; known: after_id, limit,"),
])
async def test_requests_are_checked_against_the_document_first(mock, method, path, params, body, message):
    await mock.post("/__admin/faults", {"vendor": "stitch", "status": 503})
    before = (mock.state(), (await mock.get("/__admin/faults")).body)
    kwargs = {"params": params} if params else {}
    answer = await mock.request(method, path, json_body=body, **kwargs) if body is not None else await mock.request(method, path, **kwargs)
    assert answer.status == 400 and answer.body["error"].startswith(message)
    assert (mock.state(), (await mock.get("/__admin/faults")).body) == before


async def test_a_documented_call_with_good_input_still_works(mock):
    answer = await mock.post("/__admin/reset", params={"vendor": "stitch"})
    assert answer.body == {"status": "reset", "vendor": "stitch", "token": False}
    answer = await mock.post("/__admin/reset", {"vendor": "census", "token": "k"})
    assert answer.body == {"status": "reset", "vendor": "census", "token": True}


async def test_the_document_needs_no_admin_token(make_mock):
    mock = await make_mock(admin_token="s3cret-admin")
    assert (await mock.get("/__admin/docs")).status == 200
    assert (await mock.get("/__admin/clock")).status == 401
    assert (await mock.get("/__admin/clock", headers={"X-Admin-Token": "s3cret-admin"})).status == 200
