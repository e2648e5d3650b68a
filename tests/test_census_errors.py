"""Every Census refusal: its status and shape, never a 500, and no change to state."""

from __future__ import annotations

import pytest

from census_support import BASE, BRAZE, TOKEN, connection, create
from mockserver.app import REGISTRY
from mockserver.engine.errors import DomainError, ForcedFault, Forbidden, PayloadTooLarge
from mockserver.spec.validation import errors_of
from mockserver.vendors.census import errors

NOT_FOUND = {"status": 404}


async def refused(mock, method, path, body=None, *, data=None, headers=None, params=None):
    """Send a request that must be refused; assert nothing changed; return the answer."""
    before = mock.state()
    kwargs = {"json_body": body} if body is not None else {}
    answer = await mock.request(method, path, token=TOKEN, data=data, headers=headers, params=params, **kwargs)
    assert answer.status >= 400, answer
    assert mock.state() == before
    return answer


def assert_error(answer, status, message=None):
    assert answer.status == status
    assert set(answer.body) == {"status", "message"} and answer.body["status"] == "error"
    if message is not None:
        assert answer.body["message"] == message


# -- create --------------------------------------------------------------------------------------

async def test_unknown_type_is_400(mock):
    answer = await refused(mock, "POST", f"{BASE}/destinations", connection("<string>", {}, "Google Sheets"))
    assert_error(answer, 400, "Invalid destination type: <string>. Valid types are listed by GET /connectors")


@pytest.mark.parametrize("type_name", ["google_ads", "facebook_ads", "linkedin"])
async def test_type_not_creatable_via_api_is_400(mock, type_name):
    answer = await refused(mock, "POST", f"{BASE}/destinations", connection(type_name, {}))
    assert_error(answer, 400, f"Destinations of type {type_name} cannot be created via the API; "
                              "use a destination connect link instead")


async def test_missing_required_credentials_are_named(mock):
    answer = await refused(mock, "POST", f"{BASE}/destinations", connection("braze", {"client_key": "x"}))
    assert_error(answer, 400, "Missing required credentials for braze: instance_url, api_key")


async def test_missing_credentials_object_counts_as_empty(mock):
    answer = await refused(mock, "POST", f"{BASE}/destinations", connection("active_campaign"))
    assert_error(answer, 400, "Missing required credentials for active_campaign: instance_url, api_token")


async def test_blank_required_credential_counts_as_missing(mock):
    answer = await refused(mock, "POST", f"{BASE}/destinations", connection("braze", {**BRAZE, "api_key": ""}))
    assert_error(answer, 400, "Missing required credentials for braze: api_key")


async def test_credential_not_matching_its_pattern_is_400(mock):
    answer = await refused(mock, "POST", f"{BASE}/destinations",
                           connection("braze", {**BRAZE, "instance_url": "https://example.com"}))
    assert_error(answer, 400, "Invalid credentials for braze: instance_url is not in the expected format")


async def test_credential_outside_possible_values_is_400(mock):
    creds = {"project_id": "p", "location": "mars-north1"}
    answer = await refused(mock, "POST", f"{BASE}/destinations", connection("big_query", creds))
    assert answer.status == 400
    assert answer.body["message"].startswith("Invalid credentials for big_query: location must be one of US, EU,")


@pytest.mark.parametrize(
    ("type_name", "creds", "problem"),
    [
        ("braze", {**BRAZE, "api_key": 12345}, "api_key must be a string"),
        ("custom_api", {"api_version": "one", "webhook_url": "https://h.example.com"}, "api_version must be an integer"),
        ("custom_api", {"api_version": True, "webhook_url": "https://h.example.com"}, "api_version must be an integer"),
        ("custom_api", {"api_version": 1, "webhook_url": "https://h.example.com", "custom_headers": "X: y"},
         "custom_headers must be an object of header names to values"),
        ("custom_api", {"api_version": 2, "webhook_url": "https://h.example.com"}, "api_version must be one of 1"),
    ],
    ids=["string-gets-number", "integer-gets-word", "integer-gets-bool", "headers-not-object", "not-a-possible-value"],
)
async def test_credential_of_the_wrong_type_is_400(mock, type_name, creds, problem):
    answer = await refused(mock, "POST", f"{BASE}/destinations", connection(type_name, creds))
    assert_error(answer, 400, f"Invalid credentials for {type_name}: {problem}")


async def test_wrong_values_are_reported_before_missing_ones(mock):
    answer = await refused(mock, "POST", f"{BASE}/destinations", connection("braze", {"instance_url": "nope"}))
    assert_error(answer, 400, "Invalid credentials for braze: instance_url is not in the expected format")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "service_connection is required"),
        ({"service_connection": {}}, "service_connection.type is required"),
        ({"service_connection": "braze"}, "service_connection must be of type object"),
        ({"service_connection": {"type": 7}}, "service_connection.type must be of type string"),
        ({"service_connection": {"type": "braze", "credentials": []}}, "service_connection.credentials must be of type object"),
        ({"service_connection": {"type": "braze", "name": ""}}, None),
        ([], "body must be of type object"),
    ],
    ids=["empty-object", "no-type", "connection-not-object", "type-not-string", "credentials-not-object",
         "blank-name", "array-body"],
)
async def test_body_not_matching_the_schema_is_400(mock, body, message):
    answer = await refused(mock, "POST", f"{BASE}/destinations", body)
    assert_error(answer, 400, message)


async def test_malformed_json_is_400(mock):
    answer = await refused(mock, "POST", f"{BASE}/destinations", data=b'{"service_connection": ',
                           headers={"Content-Type": "application/json"})
    assert_error(answer, 400)
    assert answer.body["message"].startswith("malformed JSON")


async def test_empty_body_is_400(mock):
    answer = await refused(mock, "POST", f"{BASE}/destinations", data=b"", headers={"Content-Type": "application/json"})
    assert_error(answer, 400, "request body is required")


async def test_non_json_content_type_is_400(mock):
    answer = await refused(mock, "POST", f"{BASE}/destinations", data=b"type=braze",
                           headers={"Content-Type": "multipart/form-data; boundary=x"})
    assert_error(answer, 400)


async def test_body_over_the_size_limit_is_413(make_mock):
    mock = await make_mock(max_body_bytes=1024)
    big = connection("braze", {**BRAZE, "padding": "x" * 4096})
    answer = await refused(mock, "POST", f"{BASE}/destinations", big)
    assert_error(answer, 413, "Request body is too large")


# -- update --------------------------------------------------------------------------------------

async def test_update_of_unknown_destination_is_404(mock):
    answer = await refused(mock, "PATCH", f"{BASE}/destinations/999999", {"service_connection": {"name": "x"}})
    assert answer.body == NOT_FOUND


async def test_update_changing_type_is_400(mock):
    created = await create(mock, "braze", BRAZE)
    answer = await refused(mock, "PATCH", f"{BASE}/destinations/{created['id']}",
                           {"service_connection": {"type": "hubspot", "name": "x"}})
    assert_error(answer, 400, "The type of a destination cannot be changed (it is braze)")


async def test_update_blanking_a_required_field_is_400(mock):
    created = await create(mock, "braze", BRAZE)
    answer = await refused(mock, "PATCH", f"{BASE}/destinations/{created['id']}",
                           {"service_connection": {"name": "Renamed", "credentials": {"instance_url": ""}}})
    assert_error(answer, 400, "Missing required credentials for braze: instance_url")


async def test_update_with_a_bad_value_renames_nothing(mock):
    created = await create(mock, "braze", BRAZE)
    answer = await refused(mock, "PATCH", f"{BASE}/destinations/{created['id']}",
                           {"service_connection": {"name": "Renamed", "credentials": {"api_key": 5}}})
    assert_error(answer, 400, "Invalid credentials for braze: api_key must be a string")


@pytest.mark.parametrize(("body", "message"), [({}, "service_connection is required"),
                                                ({"service_connection": {"name": 5}}, "service_connection.name must be of type string")])
async def test_update_body_not_matching_the_schema_is_400(mock, body, message):
    created = await create(mock, "braze", BRAZE)
    answer = await refused(mock, "PATCH", f"{BASE}/destinations/{created['id']}", body)
    assert_error(answer, 400, message)


async def test_update_with_malformed_json_is_400(mock):
    created = await create(mock, "braze", BRAZE)
    answer = await refused(mock, "PATCH", f"{BASE}/destinations/{created['id']}", data=b"{",
                           headers={"Content-Type": "application/json"})
    assert_error(answer, 400)


# -- unknown ids, routes, connectors -------------------------------------------------------------

@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
@pytest.mark.parametrize("raw_id", ["999999", "abc", "1.5", "-", "12abc"])
async def test_unknown_or_non_integer_destination_id_is_404(mock, method, raw_id):
    body = {"service_connection": {"name": "x"}} if method == "PATCH" else None
    answer = await refused(mock, method, f"{BASE}/destinations/{raw_id}", body)
    assert (answer.status, answer.body) == (404, NOT_FOUND)


@pytest.mark.parametrize(
    "path",
    [
        "/destinations/999999/objects",
        "/destinations/999999/objects/user",
        "/destinations/abc/objects",
        "/connectors/no_such_connector",
        "/destination_connect_links/999999",
        "/destination_connect_links/abc",
        "/no_such_resource",
        "",
    ],
)
async def test_unknown_things_are_404(mock, path):
    answer = await refused(mock, "GET", f"{BASE}{path}")
    assert (answer.status, answer.body) == (404, NOT_FOUND)


@pytest.mark.parametrize("path", ["/destinations/999999/refresh_objects", "/destination_connect_links/999999/revoke",
                                  "/destinations/abc/refresh_objects"])
async def test_posts_to_unknown_ids_are_404(mock, path):
    answer = await refused(mock, "POST", f"{BASE}{path}")
    assert (answer.status, answer.body) == (404, NOT_FOUND)


async def test_unknown_method_on_a_known_path_is_404(mock):
    answer = await refused(mock, "PUT", f"{BASE}/destinations", {"service_connection": {"type": "braze"}})
    assert (answer.status, answer.body) == (404, NOT_FOUND)


# -- rendering of faults and of errors no request reaches yet -----------------------------------

@pytest.mark.parametrize(
    ("error", "status", "body"),
    [
        (ForcedFault(429), 429, {"status": 429}),
        (ForcedFault(500), 500, {"status": "error", "message": "Internal server error"}),
        (ForcedFault(502), 502, {"status": "error", "message": "Bad gateway"}),
        (ForcedFault(503, "down for maintenance"), 503, {"status": "error", "message": "down for maintenance"}),
        (Forbidden("The feature is not available for your organization."), 403,
         {"status": 403, "message": "The feature is not available for your organization."}),
        (PayloadTooLarge("too big"), 413, {"status": "error", "message": "Request body is too large"}),
        (DomainError("boom", code="internal"), 500, {"status": "error", "message": "Internal server error"}),
    ],
)
async def test_error_rendering_matches_every_operations_spec(mock, error, status, body):
    reply = errors.render(error, None)
    assert (reply.status, reply.body) == (status, body)
    registry = mock.app[REGISTRY]
    for op in registry.specs["census"].operations:
        declared = op.response_for(status)
        assert declared is not None and not errors_of(declared.validator, reply.body), op.operation_id
