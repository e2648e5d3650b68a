"""Every bad Portable request gets a 400 (404 for unknown ids) naming the problem, and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from portable_support import REDSHIFT, SNOWFLAKE, TOKEN, create, create_body, warm

SPEC = 'for destination spec "snowflake"'


async def rejected(mock: Any, method: str, path: str, body: Any, status: int = 400, **kw: Any) -> str:
    """Send a request that must fail; assert the Portable error shape and that state is untouched."""
    before = await warm(mock)
    if body is not None:
        kw["json_body"] = body
    answer = await mock.request(method, path, token=TOKEN, **kw)
    assert answer.status == status, answer
    assert list(answer.body) == ["message"]
    assert mock.state() == before
    return answer.body["message"]


async def rejected_create(mock: Any, body: Any) -> str:
    return await rejected(mock, "POST", "/v2/destinations", body)


# -- create: the body -----------------------------------------------------------------------------

async def test_unknown_spec(mock):
    assert await rejected_create(mock, create_body("oracle")) == 'unknown destination spec "oracle"'


async def test_empty_spec_name(mock):
    assert await rejected_create(mock, create_body("")) == 'unknown destination spec ""'


async def test_spec_names_are_case_sensitive(mock):
    assert await rejected_create(mock, create_body("Snowflake", SNOWFLAKE)) == 'unknown destination spec "Snowflake"'


async def test_missing_destination_spec(mock):
    assert await rejected_create(mock, {"properties": SNOWFLAKE}) == "destinationSpec is required"


async def test_destination_spec_not_a_string(mock):
    assert await rejected_create(mock, {"destinationSpec": 7}) == "destinationSpec must be of type string"


async def test_display_name_not_a_string(mock):
    assert await rejected_create(mock, create_body(displayName=12)) == "displayName must be of type string"


async def test_properties_not_an_object(mock):
    message = await rejected_create(mock, {"destinationSpec": "snowflake", "properties": ["account"]})
    assert message == "properties must be of type object"


async def test_property_value_is_an_object(mock):
    message = await rejected_create(mock, create_body(properties={**SNOWFLAKE, "role": {"name": "x"}}))
    assert message == "properties.role must be of type string or number or boolean or null"


async def test_body_is_an_array(mock):
    assert await rejected_create(mock, [create_body()]) == "body must be of type object"


async def test_missing_required_property(mock):
    props = {k: v for k, v in SNOWFLAKE.items() if k != "password"}
    assert await rejected_create(mock, create_body(properties=props)) == f'missing required property "password" {SPEC}'


async def test_missing_every_required_property_names_them_all(mock):
    message = await rejected_create(mock, create_body("snowflake", {}))
    assert message == (
        'missing required properties "account", "username", "password", "warehouse", "database", "schema" '
        + SPEC
    )


async def test_no_properties_at_all(mock):
    message = await rejected_create(mock, {"destinationSpec": "google_sheets"})
    assert message == 'missing required properties "spreadsheet_id", "service_account_key" for destination spec "google_sheets"'


async def test_required_property_given_empty(mock):
    message = await rejected_create(mock, create_body(properties={**SNOWFLAKE, "account": ""}))
    assert message == f'missing required property "account" {SPEC}'


async def test_required_property_given_null(mock):
    message = await rejected_create(mock, create_body(properties={**SNOWFLAKE, "account": None}))
    assert message == f'missing required property "account" {SPEC}'


async def test_mask_is_no_password_on_create(mock):
    message = await rejected_create(mock, create_body(properties={**SNOWFLAKE, "password": "********"}))
    assert message == f'missing required property "password" {SPEC}'


async def test_unknown_property(mock):
    message = await rejected_create(mock, create_body(properties={**SNOWFLAKE, "passwrd": "x"}))
    assert message == f'unknown property "passwrd" {SPEC}'


async def test_unknown_properties_are_all_named(mock):
    message = await rejected_create(mock, create_body(properties={**SNOWFLAKE, "a": "1", "b": "2"}))
    assert message == f'unknown properties "a", "b" {SPEC}'


async def test_several_problems_in_one_message(mock):
    props = {"host": "h", "port": "x", "extra": "1"}
    message = await rejected_create(mock, create_body("redshift", props))
    assert message == (
        'unknown property "extra" for destination spec "redshift"; '
        'property "port" must be a NUMBER, got "x"; '
        'missing required properties "database", "schema", "username", "password" for destination spec "redshift"'
    )


# -- create: values against their types ----------------------------------------------------------

REDSHIFT_NUMBER = 'property "port" must be a NUMBER, got '


@pytest.mark.parametrize("value", ["abc", "54 39", "1,000", "0x10", "NaN", "--1", True])
async def test_number_that_is_not_a_number(mock, value):
    message = await rejected_create(mock, create_body("redshift", {**REDSHIFT, "port": value}))
    shown = "true" if value is True else value
    assert message == f'{REDSHIFT_NUMBER}"{shown}"'


@pytest.mark.parametrize("value", ["5439", "-1", "+7", "2.5", ".5", "1e3", 5439, 2.5])
async def test_number_forms_accepted(mock, value):
    answer = await mock.post("/v2/destinations", create_body("redshift", {**REDSHIFT, "port": value}), token=TOKEN)
    assert answer.status == 201


@pytest.mark.parametrize("value", ["yes", "True", "1", 1])
async def test_boolean_that_is_not_a_boolean(mock, value):
    message = await rejected_create(mock, create_body("redshift", {**REDSHIFT, "ssl": value}))
    assert message == f'property "ssl" must be a BOOLEAN (true or false), got "{value}"'


BIGQUERY = {"project_id": "p", "dataset": "d", "service_account_key": "{}"}


@pytest.mark.parametrize("value", ["2026-02-30", "2026/06/30", "30-06-2026", "2026-6-30", "2026-06-30T00:00:00Z"])
async def test_date_that_is_not_a_date(mock, value):
    body = create_body("bigquery", {**BIGQUERY, "service_account_key_expires_on": value})
    message = await rejected_create(mock, body)
    assert message == f'property "service_account_key_expires_on" must be a DATE (YYYY-MM-DD), got "{value}"'


DATABRICKS = {"server_hostname": "dbc.cloud.databricks.com", "http_path": "/sql/1.0/warehouses/1", "access_token": "dapi1", "schema": "s"}


@pytest.mark.parametrize("value", ["2026-06-30 12:00:00Z", "2026-06-30T12:00:00", "2026-06-30", "2026-06-31T12:00:00Z", "soon"])
async def test_datetime_that_is_not_a_datetime(mock, value):
    body = create_body("databricks", {**DATABRICKS, "access_token_expires_at": value})
    message = await rejected_create(mock, body)
    assert message == (
        f'property "access_token_expires_at" must be a DATETIME (RFC 3339, e.g. 2026-01-31T09:30:00Z), got "{value}"'
    )


@pytest.mark.parametrize("value", ["2026-06-30T12:00:00Z", "2026-06-30T12:00:00.250+02:00", "2026-06-30t12:00:00z"])
async def test_datetime_forms_accepted(mock, value):
    body = create_body("databricks", {**DATABRICKS, "access_token_expires_at": value})
    answer = await mock.post("/v2/destinations", body, token=TOKEN)
    assert answer.status == 201
    assert answer.body["data"]["properties"]["access_token_expires_at"] == value


@pytest.mark.parametrize("value", ["25:00", "9:30", "09:60", "09:30:00Z", "noon"])
async def test_time_that_is_not_a_time(mock, value):
    message = await rejected_create(mock, create_body(properties={**SNOWFLAKE, "load_window_start": value}))
    assert message == f'property "load_window_start" must be a TIME (HH:MM or HH:MM:SS), got "{value}"'


@pytest.mark.parametrize("value", ["09:30", "23:59:59", "00:00"])
async def test_time_forms_accepted(mock, value):
    answer = await mock.post("/v2/destinations", create_body(properties={**SNOWFLAKE, "load_window_end": value}), token=TOKEN)
    assert answer.status == 201


async def test_long_bad_values_are_shortened_in_the_message(mock):
    message = await rejected_create(mock, create_body("redshift", {**REDSHIFT, "port": "9" * 50 + "x" * 50}))
    assert message == REDSHIFT_NUMBER + '"' + "9" * 50 + "x" * 27 + '..."'


# -- create: the request itself ------------------------------------------------------------------

async def test_malformed_json(mock):
    message = await rejected(mock, "POST", "/v2/destinations", None, data=b'{"destinationSpec": ', headers={"Content-Type": "application/json"})
    assert message.startswith("malformed JSON")


async def test_empty_body(mock):
    message = await rejected(mock, "POST", "/v2/destinations", None, data=b"", headers={"Content-Type": "application/json"})
    assert message == "request body is required"


async def test_wrong_content_type(mock):
    message = await rejected(mock, "POST", "/v2/destinations", None, data=b"destinationSpec=snowflake", headers={"Content-Type": "text/csv"})
    assert message == "unsupported content type text/csv; send application/json"


async def test_body_over_the_size_limit(make_mock):
    mock = await make_mock(max_body_bytes=512)
    body = create_body(properties={**SNOWFLAKE, "role": "x" * 1000})
    assert await rejected(mock, "POST", "/v2/destinations", body, status=413) == "Request Entity Too Large"


# -- update ---------------------------------------------------------------------------------------

async def rejected_patch(mock: Any, body: Any) -> str:
    made = await create(mock)
    return await rejected(mock, "PATCH", f"/v2/destinations/{made['id']}", body)


async def test_patch_cannot_change_the_spec(mock):
    message = await rejected_patch(mock, {"destinationSpec": "bigquery"})
    assert message == 'destinationSpec cannot be changed: destination 689421 uses "snowflake"'


async def test_patch_unknown_property(mock):
    assert await rejected_patch(mock, {"properties": {"host": "h"}}) == f'unknown property "host" {SPEC}'


async def test_patch_value_of_the_wrong_type(mock):
    message = await rejected_patch(mock, {"properties": {"load_window_start": "later"}})
    assert message == 'property "load_window_start" must be a TIME (HH:MM or HH:MM:SS), got "later"'


async def test_patch_removing_a_required_property(mock):
    assert await rejected_patch(mock, {"properties": {"warehouse": ""}}) == f'missing required property "warehouse" {SPEC}'


async def test_patch_display_name_not_a_string(mock):
    assert await rejected_patch(mock, {"displayName": None}) == "displayName must be of type string"


async def test_patch_half_good_half_bad_changes_nothing(mock):
    message = await rejected_patch(mock, {"displayName": "New", "properties": {"warehouse": "W2", "nope": "1"}})
    assert message == f'unknown property "nope" {SPEC}'


async def test_patch_empty_body(mock):
    made = await create(mock)
    message = await rejected(mock, "PATCH", f"/v2/destinations/{made['id']}", None, data=b" ", headers={"Content-Type": "application/json"})
    assert message == "request body is required"


async def test_patch_malformed_json(mock):
    made = await create(mock)
    message = await rejected(mock, "PATCH", f"/v2/destinations/{made['id']}", None, data=b"{nope", headers={"Content-Type": "application/json"})
    assert message.startswith("malformed JSON")


# -- ids ------------------------------------------------------------------------------------------

ID_PATHS = [("GET", None), ("PATCH", {"displayName": "x"}), ("DELETE", None)]


@pytest.mark.parametrize("method,body", ID_PATHS)
async def test_unknown_id_is_404(mock, method, body):
    await create(mock)
    message = await rejected(mock, method, "/v2/destinations/123", body if body is not None else None, status=404)
    assert message == "Not Found"


@pytest.mark.parametrize("method,body", ID_PATHS)
async def test_another_organisations_id_is_404(mock, method, body):
    theirs = await create(mock, token="someone-else")
    message = await rejected(mock, method, f"/v2/destinations/{theirs['id']}", body, status=404)
    assert message == "Not Found"


@pytest.mark.parametrize("method,body", ID_PATHS)
async def test_non_integer_id_is_400(mock, method, body):
    message = await rejected(mock, method, "/v2/destinations/bad_id", body)
    assert message == (
        'Invalid format for parameter id: error binding string parameter: strconv.ParseInt: parsing "bad_id": invalid syntax'
    )


@pytest.mark.parametrize("raw", ["1.5", "12abc"])
async def test_other_non_integer_ids_are_400(mock, raw):
    message = await rejected(mock, "GET", f"/v2/destinations/{raw}", None)
    assert message.endswith(f'parsing "{raw}": invalid syntax')


@pytest.mark.parametrize("raw", ["9223372036854775808", "99999999999999999999"])
async def test_ids_beyond_int64_are_400(mock, raw):
    message = await rejected(mock, "GET", f"/v2/destinations/{raw}", None)
    assert message.endswith(f'parsing "{raw}": value out of range')


async def test_deleting_twice_is_404(mock):
    made = await create(mock)
    assert (await mock.delete(f"/v2/destinations/{made['id']}", token=TOKEN)).status == 200
    assert await rejected(mock, "DELETE", f"/v2/destinations/{made['id']}", None, status=404) == "Not Found"


# -- pagination parameters ------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/v2/destinations", "/v2/destination-specs"])
@pytest.mark.parametrize(
    "params,message",
    [
        ({"limit": "0"}, "limit must be between 1 and 1000, got 0"),
        ({"limit": "1001"}, "limit must be between 1 and 1000, got 1001"),
        ({"offset": "-1"}, "offset must be 0 or more, got -1"),
        ({"limit": "ten"}, 'Invalid format for parameter limit: error binding string parameter: strconv.ParseInt: parsing "ten": invalid syntax'),
        ({"offset": "1.5"}, 'Invalid format for parameter offset: error binding string parameter: strconv.ParseInt: parsing "1.5": invalid syntax'),
    ],
)
async def test_bad_pagination_parameters(mock, path, params, message):
    assert await rejected(mock, "GET", path, None, params=params) == message


# -- routes ---------------------------------------------------------------------------------------

async def test_unknown_spec_name_is_404(mock):
    assert await rejected(mock, "GET", "/v2/destination-specs/oracle", None, status=404) == "Not Found"


async def test_unknown_route_under_v2_is_404(mock):
    assert await rejected(mock, "GET", "/v2/warehouses", None, status=404) == "Not Found"


async def test_put_is_not_an_update(mock):
    made = await create(mock)
    assert await rejected(mock, "PUT", f"/v2/destinations/{made['id']}", {"displayName": "x"}, status=405) == "Method Not Allowed"
