"""Shared by the Census source/model/sync tests: valid bodies and helpers that build a workspace."""

from __future__ import annotations

from typing import Any

from census_support import BASE, BRAZE, TOKEN, create as create_destination

SNOWFLAKE = {"account": "xy12345.us-east-1", "warehouse": "COMPUTE_WH", "user": "CENSUS", "password": "s3cret"}
VALID_SOURCE_CREDENTIALS: dict[str, dict[str, Any]] = {
    "snowflake": SNOWFLAKE,
    "redshift": {"hostname": "examplecluster.abc123.us-west-1.redshift.amazonaws.com", "port": 5439,
                 "database": "dev", "user": "census", "password": "s3cret"},
    "big_query": {"project_id": "analytics-prod", "location": "US"},
    "postgres": {"hostname": "db.example.com", "port": "5432", "database": "analytics", "user": "census",
                 "password": "s3cret"},
    "databricks": {"server_hostname": "dbc-a1b2345c-d6e7.cloud.databricks.com",
                   "http_path": "/sql/1.0/warehouses/abc", "access_token": "dapi-secret"},
}
USERS_QUERY = "select ID, EMAIL, FIRST_NAME from ANALYTICS.PUBLIC.USERS where IS_ACTIVE"
USERS_ROWS = 1250  # fixtures/census/tables/snowflake.json: USERS


def source_body(type_name: str = "snowflake", credentials: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    creds = VALID_SOURCE_CREDENTIALS[type_name] if credentials is None else credentials
    return {"connection": {"type": type_name, "credentials": creds, **extra}}


def sync_body(source_id: int, destination_id: int, model_id: int | None = None, **extra: Any) -> dict[str, Any]:
    """An upsert of the users model (or table) into Braze's user object, keyed by external_id."""
    obj: dict[str, Any] = ({"type": "model", "id": model_id} if model_id is not None else
                           {"type": "table", "table_catalog": "ANALYTICS", "table_schema": "PUBLIC", "table_name": "USERS"})
    return {
        "operation": "upsert",
        "source_attributes": {"connection_id": source_id, "object": obj},
        "destination_attributes": {"connection_id": destination_id, "object": "user"},
        "mappings": [
            {"from": {"type": "column", "data": "ID"}, "to": "external_id", "is_primary_identifier": True},
            {"from": {"type": "column", "data": "EMAIL"}, "to": "email", "is_primary_identifier": False},
        ],
        **extra,
    }


async def create_source(mock: Any, type_name: str = "snowflake", credentials: dict[str, Any] | None = None, *,
                        token: str = TOKEN, **extra: Any) -> dict[str, Any]:
    answer = await mock.post(f"{BASE}/sources", source_body(type_name, credentials, **extra), token=token)
    assert answer.status == 201, answer
    return answer.body["data"]


async def create_model(mock: Any, source_id: int, name: str = "Active users", query: str = USERS_QUERY, *,
                       token: str = TOKEN, **extra: Any) -> dict[str, Any]:
    answer = await mock.post(f"{BASE}/sources/{source_id}/models", {"name": name, "query": query, **extra}, token=token)
    assert answer.status == 201, answer
    return answer.body["data"]


async def workspace(mock: Any, *, token: str = TOKEN, destination: dict[str, Any] | None = None) -> dict[str, Any]:
    """A Snowflake source with the users model, a Braze destination and an upsert sync between them."""
    source = await create_source(mock, token=token)
    model = await create_model(mock, source["id"], token=token)
    dest = await create_destination(mock, "braze", destination or dict(BRAZE), token=token)
    answer = await mock.post(f"{BASE}/syncs", sync_body(source["id"], dest["id"], model["id"]), token=token)
    assert answer.status == 201, answer
    return {"source": source, "model": model, "destination": dest, "sync_id": answer.body["data"]["sync_id"]}


async def trigger(mock: Any, sync_id: int, *, token: str = TOKEN, **kw: Any) -> int:
    answer = await mock.post(f"{BASE}/syncs/{sync_id}/trigger", token=token, **kw)
    assert answer.status == 200, answer
    return int(answer.body["data"]["sync_run_id"])


async def run_of(mock: Any, run_id: int, token: str = TOKEN) -> dict[str, Any]:
    answer = await mock.get(f"{BASE}/sync_runs/{run_id}", token=token)
    assert answer.status == 200, answer
    return answer.body["data"]
