"""Portable demo: an organisation with three warehouse destinations, six sources, six flows on
their schedules with a run history (one flow failing by the shared rules, one earlier failure
forced), a run in flight when the demo is announced; and one organisation on a plan without API
access (every call answers 403).

The history needs runs to finish while the demo is seeded, so the settled phase switches
`portable.flow_run` to `immediate` through the control plane and puts its mode back afterwards.
Where the control plane is closed to the demo (an admin token is set), the flows have no history.
"""

from __future__ import annotations

from typing import Any

from mockserver.demo.client import DemoClient, DemoError

ORG = "demo-portable-org"
STARTER = "demo-portable-starter"
TENANTS: dict[str, dict[str, Any]] = {ORG: {}, STARTER: {"api_access": False}}


async def settled(client: DemoClient, company: str) -> None:
    await client.call("POST", "/v2/destinations", ORG, {
        "displayName": f"{company} Snowflake", "destinationSpec": "snowflake",
        "properties": {"account": "demo-org-demo-account", "username": "PORTABLE_LOADER", "password": "demo-password",
                       "warehouse": "PORTABLE_WH", "database": "RAW", "schema": "PORTABLE"}}, expect=201)
    await client.call("POST", "/v2/destinations", ORG, {
        "displayName": "Marketing BigQuery", "destinationSpec": "bigquery",
        "properties": {"project_id": "demo-marketing", "dataset": "portable_raw", "location": "EU",
                       "service_account_key": '{"type": "service_account", "project_id": "demo-marketing"}'}},
        expect=201)
    await client.call("POST", "/v2/destinations", ORG, {
        "displayName": "Finance Postgres", "destinationSpec": "postgres",
        "properties": {"host": "finance-db.demo.example.com", "port": "5432", "database": "finance",
                       "schema": "portable", "username": "portable", "password": "demo-password"}}, expect=201)
    await flows(client, company)


RUN = "portable.flow_run"
SOURCES: list[dict[str, Any]] = [
    {"displayName": "Freshsales CRM", "sourceSpec": "freshsales",
     "properties": {"domain": "demo-company", "api_key": "demo-freshsales-key"}},
    {"displayName": "HubSpot", "sourceSpec": "hubspot", "properties": {"start_date": "2024-01-01"}},
    {"displayName": "Stripe payments", "sourceSpec": "stripe",
     "properties": {"api_key": "rk_live_demo", "start_date": "2024-01-01"}},
    {"displayName": "Zendesk Support", "sourceSpec": "zendesk_support",
     "properties": {"subdomain": "demo", "email": "support@demo.example.com", "api_token": "wrong-password"}},
    {"displayName": "ECB exchange rates", "sourceSpec": "exchange_rates",
     "properties": {"base_currency": "USD", "start_date": "2024-01-01"}},
    {"displayName": "GitHub", "sourceSpec": "github",
     "properties": {"access_token": "demo-github-token", "repositories": "demo/app demo/web"}},
]
# (name, source, destination, schedule): destinations by their demo display name's last word
FLOWS: list[tuple[str, str, str, dict[str, str]]] = [
    ("Freshsales to Snowflake", "Freshsales CRM", "Snowflake", {"frequency": "24h"}),
    ("HubSpot to BigQuery", "HubSpot", "BigQuery", {"frequency": "6h"}),
    ("Stripe to Finance Postgres", "Stripe payments", "Postgres", {"cron": "0 6 * * *"}),
    ("Zendesk to Snowflake", "Zendesk Support", "Snowflake", {"frequency": "1h"}),
    ("Exchange rates to Finance Postgres", "ECB exchange rates", "Postgres", {"frequency": "24h"}),
    ("GitHub to Snowflake", "GitHub", "Snowflake", {"frequency": "manual"}),
]
# The run history: in order; the forced failure comes first for its flow, then a success.
HISTORY = ["Freshsales to Snowflake", "HubSpot to BigQuery", "Freshsales to Snowflake", "Stripe to Finance Postgres",
           "Zendesk to Snowflake", "Exchange rates to Finance Postgres", "HubSpot to BigQuery"]
FORCED = ("HubSpot to BigQuery", "HubSpot answered 429 Too Many Requests: the daily API limit is reached")


async def _immediate(client: DemoClient) -> str | None:
    """Switch flow runs to `immediate`; the previous mode, or None if the control plane is closed."""
    try:
        mode = str((await client.call("GET", f"/__admin/lifecycles/{RUN}", ORG))["mode"])
        await client.call("PUT", f"/__admin/lifecycles/{RUN}", ORG, {"mode": "immediate"})
    except DemoError:
        return None
    return mode


async def flows(client: DemoClient, company: str) -> None:
    destinations = {d["displayName"].split()[-1]: d["id"] for d in (await client.call("GET", "/v2/destinations", ORG))["data"]}
    sources = {}
    for body in SOURCES:
        made = (await client.call("POST", "/v2/sources", ORG, body, expect=201))["data"]
        sources[made["displayName"]] = made["id"]
    ids = {}
    for name, source, destination, schedule in FLOWS:
        body = {"displayName": name, "source": sources[source], "destination": destinations[destination], **schedule}
        ids[name] = (await client.call("POST", "/v2/flows", ORG, body, expect=201))["data"]["id"]
    mode = await _immediate(client)
    if mode is None:
        return
    forced_flow, message = FORCED
    await client.call("POST", f"/__admin/lifecycles/{RUN}/force", ORG,
                      {"state": "FAILED", "message": message, "token": ORG, "resource_id": ids[forced_flow]}, expect=201)
    for name in HISTORY:
        await client.call("POST", f"/v2/flows/{ids[name]}/run", ORG, expect=201)
    await client.call("PUT", f"/__admin/lifecycles/{RUN}", ORG, {"mode": mode})


async def in_flight(client: DemoClient, company: str) -> None:
    """A manual flow's run, still pending when the demo is announced."""
    github = next(f for f in (await client.call("GET", "/v2/flows", ORG))["data"] if f["displayName"] == "GitHub to Snowflake")
    await client.call("POST", f"/v2/flows/{github['id']}/run", ORG, expect=201)


# (vendor, token, what it holds), for the banner
ROWS = [
    ("portable", ORG, "3 destinations, 6 sources, 6 flows with a run history (Zendesk's fails), 1 run in flight"),
    ("portable", STARTER, "plan without API access: every call answers 403"),
]

