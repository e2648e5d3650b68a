"""Stitch demo: one account on a larger plan with a destination in every state, sources at every
report-card step with a replication-job history, an Import API token and notifications, and one
account on the Standard plan (one destination, at its limit).

A job history needs the source checks, discovery and jobs to finish while the demo is seeded, so the
settled phase switches the source-check and replication-job lifecycles to `immediate` through the
control plane and puts their modes back afterwards. Where the control plane is closed to the demo
(an admin token is set), the same sources are configured after the wait instead, and their first
jobs are still running when the demo is announced.
"""

from __future__ import annotations

from typing import Any

from mockserver.demo.client import DemoClient, DemoError

TEAM = "demo-stitch-team"
SOLO = "demo-stitch-solo"
TENANTS: dict[str, dict[str, Any]] = {TEAM: {"destination_limit": 10}, SOLO: {}}


def postgres(host: str, database: str, password: str = "demo-password") -> dict[str, str]:
    return {"host": host, "port": "5432", "username": "stitch_loader", "password": password,
            "database": database, "ssl": "true", "encryption_type": "none"}


async def settled(client: DemoClient, company: str) -> None:
    """Destinations whose connection checks finish before the demo is announced."""
    await client.call("POST", "/v4/destinations", TEAM, {
        "type": "postgres", "name": "Analytics warehouse", "description": f"{company} production analytics",
        "properties": postgres("analytics-db.demo.example.com", "analytics")})
    await client.call("POST", "/v4/destinations", TEAM, {
        "type": "redshift", "name": "Legacy Redshift", "description": "Decommissioned cluster: its host no longer resolves",
        "properties": {"host": "legacy-cluster.redshift.invalid", "port": "5439", "username": "loader",
                       "password": "demo-password", "database": "legacy", "encryption_type": "none"}})
    await client.call("POST", "/v4/destinations", TEAM, {
        "type": "postgres", "name": "Staging", "description": "Rotated password not updated yet",
        "properties": postgres("staging-db.demo.example.com", "staging", password="wrong-password")})
    await client.call("POST", "/v4/destinations", TEAM, {
        "type": "snowflake", "name": "Snowflake (draft)", "description": "Form not finished: no check has run",
        "properties": {"host": "demo-account.snowflakecomputing.com", "username": "LOADER"}})
    await client.call("POST", "/v4/destinations", SOLO, {
        "type": "postgres", "name": "Postgres", "properties": postgres("db.solo.demo.example.com", "warehouse")})
    await sources(client)


LIFECYCLES = ("stitch.source_check", "stitch.replication_job")
SOURCES: list[dict[str, Any]] = [
    {"type": "platform.recurly", "display_name": "Recurly", "properties": {
        "start_date": "2024-01-01T00:00:00Z", "api_key": "demo-recurly-key", "subdomain": "demo", "quota_limit": "30",
        "frequency_in_minutes": "60"}},
    {"type": "platform.postgres", "display_name": "Shop DB", "properties": {
        "host": "shop-db.demo.example.com", "port": "5432", "user": "replicator", "password": "demo-password", "database": "shop"}},
    {"type": "platform.shopify", "display_name": "Shopify", "properties": {
        "start_date": "2024-01-01T00:00:00Z", "shop": "demo-store", "api_key": "demo-shopify-key"}},
    {"type": "platform.stripe", "display_name": "Stripe", "properties": {
        "start_date": "2024-01-01T00:00:00Z", "account_id": "acct_demo", "client_secret": "demo-stripe-secret"}},
    {"type": "platform.mixpanel", "display_name": "Mixpanel", "properties": {
        "start_date": "2024-01-01T00:00:00Z", "api_secret": "demo-mixpanel-secret", "project_timezone": "UTC"}},
    {"type": "platform.zendesk", "display_name": "Zendesk Support", "properties": {
        "start_date": "2024-01-01T00:00:00Z", "subdomain": "demo", "access_token": "demo-zendesk-token"}},
    {"type": "platform.github", "display_name": "GitHub", "properties": {
        "start_date": "2024-01-01T00:00:00Z", "access_token": "demo-github-token", "repository": "demo/app"}},
    {"type": "platform.mysql", "display_name": "Legacy app DB", "properties": {
        "host": "legacy-db.demo.invalid", "port": "3306", "user": "replicator", "password": "demo-password", "database": "app"}},
    {"type": "platform.google-analytics", "display_name": "Google Analytics", "properties": {"start_date": "2024-01-01T00:00:00Z"}},
    {"type": "platform.salesforce", "display_name": "Salesforce (draft)", "properties": {"start_date": "2024-01-01T00:00:00Z"}},
    {"type": "import_api", "display_name": "Import API"},
]
SELECTIONS = {
    "recurly": ["accounts", "invoices", "subscriptions"],
    "shop_db": ["shop-public-customers", "shop-public-orders", "shop-public-order_items"],
    "shopify": ["orders", "customers"],
    "stripe": ["charges", "customers"],
    "mixpanel": ["export"],
}


def selection(streams: list[str]) -> dict[str, Any]:
    return {"streams": [{"tap_stream_id": s, "metadata": [{"breadcrumb": [], "metadata": {"selected": True}}]} for s in streams]}


async def _immediate(client: DemoClient) -> dict[str, str] | None:
    """Switch the source lifecycles to `immediate`; their previous modes, or None if the control plane is closed."""
    try:
        modes = {name: (await client.call("GET", f"/__admin/lifecycles/{name}", TEAM))["mode"] for name in LIFECYCLES}
        for name in LIFECYCLES:
            await client.call("PUT", f"/__admin/lifecycles/{name}", TEAM, {"mode": "immediate"})
    except DemoError:
        return None
    return modes


async def _configure(client: DemoClient, ids: dict[str, int], history: bool) -> None:
    """Select streams; with `history`, run jobs (two for Recurly, a failed one for Shopify); pause, delete."""
    for name, streams in SELECTIONS.items():
        await client.call("PUT", f"/v4/sources/{ids[name]}/streams/metadata", TEAM, selection(streams))
    if history:
        for name in ("recurly", "shop_db", "stripe", "recurly"):
            await client.call("POST", f"/v4/sources/{ids[name]}/sync", TEAM)
        await client.call("POST", "/__admin/lifecycles/stitch.replication_job/force", TEAM, {
            "state": "failed", "data": {"phase": "extraction"},
            "message": "Response returned http error code 401\n401 Client Error: Unauthorized for url: "
                       "https://demo-store.myshopify.com/admin/api/2024-01/orders.json"}, expect=201)
        await client.call("POST", f"/v4/sources/{ids['shopify']}/sync", TEAM)
    await client.call("PUT", f"/v4/sources/{ids['stripe']}", TEAM, {"paused_at": "2026-01-01T00:00:00Z"})
    await client.call("DELETE", f"/v4/sources/{ids['github']}", TEAM)


async def sources(client: DemoClient) -> None:
    """Sources at every report-card step, a job history, an Import API token, a hook and an email."""
    modes = await _immediate(client)
    ids = {}
    for body in SOURCES:
        created = await client.call("POST", "/v4/sources", TEAM, body)
        ids[created["name"]] = created["id"]
    await client.call("POST", f"/v4/sources/{ids['import_api']}/tokens", TEAM)
    warehouse = (await client.call("GET", "/v4/destinations", TEAM))[0]["id"]
    await client.call("POST", "/notifications/public/v1/api/hooks", TEAM, {
        "type": "post_load", "destination_id": warehouse, "config": {"url": "https://hooks.demo.example.com/stitch/loaded"}})
    await client.call("POST", "/notifications/public/v1/api/custom-emails", TEAM, {"email_address": "data-team@demo.example.com"})
    if modes is not None:
        await _configure(client, ids, history=True)
        for name, mode in modes.items():
            await client.call("PUT", f"/__admin/lifecycles/{name}", TEAM, {"mode": mode})


async def in_flight(client: DemoClient, company: str) -> None:
    """A destination whose check is still running when the demo is announced, and a running job."""
    ids = {s["name"]: s["id"] for s in await client.call("GET", "/v4/sources", TEAM)}
    streams = await client.call("GET", f"/v4/sources/{ids['mixpanel']}/streams", TEAM)
    if not any(s["selected"] for s in streams):  # the control plane was closed: configure now
        await _configure(client, ids, history=False)
    await client.call("POST", f"/v4/sources/{ids['mixpanel']}/sync", TEAM)
    await client.call("POST", "/v4/destinations", TEAM, {
        "type": "snowflake", "name": "Snowflake", "description": f"{company} data cloud",
        "properties": {"host": "demo-account.snowflakecomputing.com", "port": "443", "username": "LOADER",
                       "password": "demo-password", "database": "ANALYTICS", "warehouse": "LOADING"}})


# (vendor, token, what it holds), for the banner
ROWS = [
    ("stitch", TEAM, "5 destinations: configured, check failed (DNS), check failed (auth), form incomplete, check running; "
                     "11 sources at every report-card step (one paused, one deleted, an Import API one with a token); "
                     "jobs completed, failed and running; a post-load hook and a custom email"),
    ("stitch", SOLO, "Standard plan: 1 destination, at its limit"),
]

