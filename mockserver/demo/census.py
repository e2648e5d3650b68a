"""Census demo: a workspace with destinations whose connection tests passed, failed and are still
running, object catalogues behind them (one refresh completed, one processing), destination connect
links (one active, one revoked), and a Snowflake source with two models and two syncs to Braze whose
run history holds a completed run, a failed one (its model reads a table the warehouse lacks) and,
when the demo is announced, one in flight."""

from __future__ import annotations

from typing import Any

from mockserver.demo.client import DemoClient

WORKSPACE = "secret-token:demo-census-workspace"
TENANTS: dict[str, dict[str, Any]] = {WORKSPACE: {"workspace_name": "Demo Workspace"}}
API = "/api/v1"


def connection(type_name: str, name: str, credentials: dict[str, Any]) -> dict[str, Any]:
    return {"service_connection": {"type": type_name, "name": name, "credentials": credentials}}


async def settled(client: DemoClient, company: str) -> None:
    braze = await client.call("POST", f"{API}/destinations", WORKSPACE, connection("braze", f"{company} Braze", {
        "instance_url": "https://rest.iad-03.braze.com", "api_key": "demo-braze-key", "client_key": "demo-app"}),
        expect=201)
    await client.call("POST", f"{API}/destinations", WORKSPACE, connection("klaviyo", "Klaviyo (expired key)", {
        "api_key": "wrong-password"}), expect=201)
    await client.call("POST", f"{API}/destinations", WORKSPACE, connection("iterable", "Iterable", {
        "api_key": "demo-iterable-key", "data_center": "US"}), expect=201)
    await client.call("POST", f"{API}/destinations/{braze['data']['id']}/refresh_objects", WORKSPACE)
    await warehouse(client, braze["data"]["id"])
    link = await client.call("POST", f"{API}/destination_connect_links", WORKSPACE,
                             {"type": "hubspot", "redirect_uri": "https://app.demo.example.com/census/done"}, expect=201)
    await client.call("POST", f"{API}/destination_connect_links/{link['data']['id']}/revoke", WORKSPACE)


SYNC_LABEL = "Active users to Braze"


def braze_sync(label: str | None, source_id: int, model_id: int, braze_id: int) -> dict[str, Any]:
    return {
        "label": label,
        "operation": "upsert",
        "source_attributes": {"connection_id": source_id, "object": {"type": "model", "id": model_id}},
        "destination_attributes": {"connection_id": braze_id, "object": "user"},
        "mappings": [
            {"from": {"type": "column", "data": "ID"}, "to": "external_id", "is_primary_identifier": True},
            {"from": {"type": "column", "data": "EMAIL"}, "to": "email", "is_primary_identifier": False},
            {"from": {"type": "column", "data": "FIRST_NAME"}, "to": "first_name", "is_primary_identifier": False},
        ],
    }


async def warehouse(client: DemoClient, braze_id: int) -> None:
    """The source, its models and the syncs; each sync runs once (one run completes, one fails)."""
    source = (await client.call("POST", f"{API}/sources", WORKSPACE, {"connection": {
        "type": "snowflake", "label": "Analytics warehouse", "credentials": {
            "account": "xy12345.us-east-1", "warehouse": "COMPUTE_WH", "user": "CENSUS", "password": "demo-password"}}},
        expect=201))["data"]["id"]
    active = await client.call("POST", f"{API}/sources/{source}/models", WORKSPACE, {
        "name": "Active users", "description": "Users active in the last 30 days",
        "query": "select ID, EMAIL, FIRST_NAME from ANALYTICS.PUBLIC.USERS where IS_ACTIVE"}, expect=201)
    churn = await client.call("POST", f"{API}/sources/{source}/models", WORKSPACE, {
        "name": "Churn risk", "query": "select ID, EMAIL, FIRST_NAME from ANALYTICS.MARTS.CHURN_SCORES"}, expect=201)
    for label, model in ((SYNC_LABEL, active), (None, churn)):
        sync = await client.call("POST", f"{API}/syncs", WORKSPACE, braze_sync(label, source, model["data"]["id"], braze_id),
                                 expect=201)
        await client.call("POST", f"{API}/syncs/{sync['data']['sync_id']}/trigger", WORKSPACE)


async def in_flight(client: DemoClient, company: str) -> None:
    syncs = (await client.call("GET", f"{API}/syncs", WORKSPACE))["data"]
    active = next(s for s in syncs if s["label"] == SYNC_LABEL)
    await client.call("POST", f"{API}/syncs/{active['id']}/trigger", WORKSPACE)
    salesforce = await client.call("POST", f"{API}/destinations", WORKSPACE, connection("salesforce", "Salesforce", {
        "username": "integration@demo.example.com", "instance_url": "https://demo.my.salesforce.com",
        "domain": "login.salesforce.com", "client_id": "3MVG9demo",
        "jwt_signing_key": "-----BEGIN PRIVATE KEY-----\nMIIEdemo\n-----END PRIVATE KEY-----"}), expect=201)
    await client.call("POST", f"{API}/destinations/{salesforce['data']['id']}/refresh_objects", WORKSPACE)
    await client.call("POST", f"{API}/destination_connect_links", WORKSPACE,
                      {"type": "salesforce", "redirect_uri": "https://app.demo.example.com/census/done"}, expect=201)


# (vendor, token, what it holds), for the banner
ROWS = [
    ("census", WORKSPACE, "4 destinations (test passed, failed, running), object refreshes, 2 connect links, "
                          "a Snowflake source with 2 models, 2 syncs to Braze (runs: completed, failed, one running)"),
]

