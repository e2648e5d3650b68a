"""The documents outside tools get: `/__admin/specs/{vendor}`, OpenAPI 3.1 for every vendor.

The same document the server routes and validates by, with the running mock as the first server;
Stitch's is converted from its endpoint definitions. Creates carry OpenAPI links, so a stateful
tool can chain create -> read -> update -> delete; each vendor says what a method a path does not
have answers (`x-undeclared-method`), and the server answers exactly that.
"""

from __future__ import annotations

from typing import Any

import pytest

from mockserver.spec import load_vendor_spec
from mockserver.resources import specs_dir
from schemathesis_support import config_toml, excluded_checks, operations_with_rejects, soft_deletes

VENDORS = ("stitch", "portable", "census")
METHODS = ("get", "put", "post", "delete", "patch")


def operations(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {op["operationId"]: op for item in document["paths"].values() for m, op in item.items() if m in METHODS}


@pytest.mark.parametrize("vendor", VENDORS)
async def test_each_vendor_is_served_as_openapi_31_with_this_server_first(mock, vendor):
    answer = await mock.get(f"/__admin/specs/{vendor}")
    assert answer.status == 200
    document = answer.body
    assert document["openapi"] == "3.1.0"
    first, *rest = document["servers"]
    assert first == {"url": str(mock.client.make_url("")).rstrip("/"), "description": "this mock server"}
    assert rest and rest[0]["url"].startswith("https://")  # the vendor's real base URL, after the mock
    assert "x-default-responses" not in document  # merged into every operation instead
    assert set(operations(document)) == {op.operation_id for op in load_vendor_spec(vendor, specs_dir() / vendor).operations}
    for op in operations(document).values():
        assert {"401", "404"} <= set(op["responses"]), op["operationId"]  # the vendor-wide answers are listed


async def test_stitch_is_converted_from_its_endpoint_definitions(mock):
    document = (await mock.get("/__admin/specs/stitch")).body
    create = document["paths"]["/v4/destinations"]["post"]
    assert create["operationId"] == "create-a-destination-v4"
    body = create["requestBody"]["content"]["application/json"]
    assert create["requestBody"]["required"] is True
    assert body["schema"]["additionalProperties"] is False and body["schema"]["required"] == ["type", "properties"]
    assert body["example"]["type"] == "postgres"
    assert create["x-invalid-message"].startswith("POST body may only include")
    assert document["security"] == [{"bearer": []}]
    assert document["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer"}
    update = document["paths"]["/v4/destinations/{destination_id}"]["put"]
    (param,) = update["parameters"]
    assert param == {"name": "destination_id", "in": "path", "required": True, "schema": {"type": "string", "pattern": "^\\d{1,18}$"}}


@pytest.mark.parametrize("vendor, create, follows", [
    ("stitch", "create-a-destination-v4", {"update-a-destination-v4", "delete-a-destination-v4"}),
    ("stitch", "create-a-destination-v3", {"update-a-destination-v3", "delete-a-destination-v4"}),
    ("portable", "createDestination", {"getDestination", "updateDestination", "deleteDestination"}),
    ("census", "createDestination", {"fetchDestination", "updateDestination", "deleteDestination",
                                     "listDestinationObjects", "refreshDestinationObjects"}),
    ("census", "createDestinationConnectLink", {"fetchDestinationConnectLink", "revokeDestinationConnectLink"}),
])
async def test_creates_link_to_what_their_id_opens(mock, vendor, create, follows):
    document = (await mock.get(f"/__admin/specs/{vendor}")).body
    ops = operations(document)
    success = next(r for s, r in ops[create]["responses"].items() if s.startswith("2"))
    links = success["links"]
    targets = set()
    for link in links.values():
        if "$ref" in link:
            link = document["components"]["links"][link["$ref"].rsplit("/", 1)[1]]
        assert link["operationId"] in ops
        targets.add(link["operationId"])
    assert follows <= targets


async def test_integer_parameters_say_they_are_64_bit_and_larger_ones_are_refused(mock):
    document = (await mock.get("/__admin/specs/census")).body
    assert document["components"]["parameters"]["DestinationId"]["schema"] == {"type": "integer", "format": "int64"}
    answer = await mock.get("/api/v1/destinations", token="cs", params={"per_page": str(2**63)})
    assert answer.status == 400
    answer = await mock.get("/api/v1/destinations", token="cs", params={"per_page": str(2**63 - 1)})
    assert answer.status == 200 and answer.body["pagination"]["per_page"] == 100
    answer = await mock.get("/v2/destinations", token="pt", params={"offset": str(2**63)})
    assert (answer.status, answer.body["message"]) == (400, (
        'Invalid format for parameter offset: error binding string parameter: strconv.ParseInt: '
        'parsing "9223372036854775808": value out of range'))


async def test_constraints_beyond_the_schema_are_described_and_400_is_listed(mock):
    document = (await mock.get("/__admin/specs/portable")).body
    create = operations(document)["createDestination"]
    assert "400" in create["responses"]
    assert create["description"].startswith("Create a new destination\n\nRefused with 400 although the schema allows it:\n- ")
    assert "`destinationSpec` that names no destination spec" in create["description"]


@pytest.mark.parametrize("vendor, method, path, status, body", [
    ("stitch", "TRACE", "/v4/destinations", 404, "Not Found"),
    ("stitch", "GET", "/v4/destinations/5", 404, "Not Found"),
    ("census", "TRACE", "/api/v1/workspace", 404, {"status": 404}),
    ("census", "PUT", "/api/v1/destinations/5", 404, {"status": 404}),
    ("portable", "TRACE", "/v2/destinations", 405, {"message": "Method Not Allowed"}),
    ("portable", "PUT", "/v2/destinations/5", 405, {"message": "Method Not Allowed"}),
])
async def test_a_method_a_path_does_not_have_gets_what_the_spec_declares(mock, vendor, method, path, status, body):
    answer = await mock.request(method, path, token="tok")
    assert (answer.status, answer.body) == (status, body)
    document = (await mock.get(f"/__admin/specs/{vendor}")).body
    assert set(document["x-undeclared-method"]) == {str(status)}
    if status == 405:
        assert answer.headers["Allow"] == ", ".join(sorted(m.upper() for m in document["paths"][_template(document, path)] if m in METHODS))


def _template(document: dict[str, Any], path: str) -> str:
    return path if path in document["paths"] else path.rsplit("/", 1)[0] + "/{id}"


async def test_an_unknown_vendor_has_no_document(mock):
    answer = await mock.get("/__admin/specs/nope")
    assert answer.status == 404 and "no vendor 'nope'" in answer.body["error"]


@pytest.mark.parametrize("vendor", VENDORS)
async def test_the_fuzzer_configuration_comes_from_the_document(mock, vendor):
    document = (await mock.get(f"/__admin/specs/{vendor}")).body
    expected = {"stitch": ["unsupported_method", "use_after_free"], "portable": [], "census": ["unsupported_method"]}[vendor]
    assert excluded_checks(document, strict_auth=True) == expected
    assert excluded_checks(document, strict_auth=False) == [*expected, "ignored_auth"]
    beyond = operations_with_rejects(document)
    assert "createDestination" in beyond or "create-a-destination-v4" in beyond
    assert f'include-operation-id = ["{beyond[0]}"' in config_toml(document)
    assert soft_deletes(document) == (["delete-a-source"] if vendor == "stitch" else [])
    assert 'algorithms = ["location-headers"]' in config_toml(document)  # declared links, not guessed ones


async def test_strict_auth_refuses_every_undeclared_or_garbled_credential(make_mock):
    mock = await make_mock(strict_auth=True, declared_tenants={"stitch": {"st-ok": {}}, "portable": {"pt-ok": {}}, "census": {"cs-ok": {}}})
    for path, good in (("/v4/destinations", "st-ok"), ("/v2/destinations", "pt-ok"), ("/api/v1/destinations", "cs-ok")):
        assert (await mock.get(path, token=good)).status == 200
        for header in ("Bearer other", "Bearer", "Basic Zm9vOmJhcg==", "Token st-ok", "", f"Bearer {good}x"):
            answer = await mock.request("GET", path, headers={"Authorization": header} if header else {})
            assert answer.status == 401, (path, header, answer)
    answer = await mock.get("/api/v1/destinations", basic=("bearer", "cs-ok"))
    assert answer.status == 200
    answer = await mock.get("/api/v1/destinations", basic=("bearer", "cs-other"))
    assert answer.status == 401
