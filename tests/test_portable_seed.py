"""Portable's own OpenAPI excerpt (seed 002) holds the mock to its create call and error shapes."""

from __future__ import annotations

from portable_support import (
    CREATE_OP,
    NO_API,
    SNOWFLAKE,
    TOKEN,
    seed_error_schema,
    seed_problems,
    seed_schema,
)

# The seed's request: every documented field, property values as strings (the seed's PropertyInput).
SEED_REQUEST = {"displayName": "Analytics warehouse", "destinationSpec": "snowflake", "properties": SNOWFLAKE}


def test_seed_request_fits_the_seed_request_schema():
    schema = seed_schema(*CREATE_OP, "requestBody", "content", "application/json", "schema")
    assert seed_problems(schema, SEED_REQUEST) == []


async def test_seed_request_gets_201_valid_against_the_seed_response_schema(mock):
    answer = await mock.post("/v2/destinations", SEED_REQUEST, token=TOKEN)
    assert answer.status == 201
    schema = seed_schema(*CREATE_OP, "responses", "201", "content", "application/json", "schema")
    assert seed_problems(schema, answer.body) == []
    data = answer.body["data"]
    assert data["destinationSpec"]["name"] == "snowflake"
    assert data["properties"]["password"] == "********"
    assert answer.headers["Content-Type"].startswith("application/json")


async def test_bad_request_body_matches_the_seed_400_schema(mock):
    answer = await mock.post("/v2/destinations", {"destinationSpec": "no_such_spec"}, token=TOKEN)
    assert answer.status == 400
    assert seed_problems(seed_error_schema("BadRequestError"), answer.body) == []
    assert answer.body == {"message": 'unknown destination spec "no_such_spec"'}


async def test_unauthorized_body_matches_the_seed_401_schema_and_example(mock):
    answer = await mock.post("/v2/destinations", SEED_REQUEST)
    assert answer.status == 401
    schema = seed_error_schema("UnauthorizedError")
    assert seed_problems(schema, answer.body) == []
    assert answer.body == schema["examples"][0]


async def test_forbidden_body_matches_the_seed_403_schema_and_example(make_mock):
    mock = await make_mock(portable_no_api_tokens=frozenset({"starter-plan"}))
    answer = await mock.post("/v2/destinations", SEED_REQUEST, token="starter-plan")
    assert answer.status == 403
    schema = seed_error_schema("ForbiddenError")
    assert seed_problems(schema, answer.body) == []
    assert answer.body == schema["examples"][0] == {"message": NO_API}
