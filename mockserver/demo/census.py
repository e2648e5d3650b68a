"""Census demo: a workspace with destinations whose connection tests passed, failed and are still
running, object catalogues behind them (one refresh completed, one processing), and destination
connect links (one active, one revoked)."""

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
    link = await client.call("POST", f"{API}/destination_connect_links", WORKSPACE,
                             {"type": "hubspot", "redirect_uri": "https://app.demo.example.com/census/done"}, expect=201)
    await client.call("POST", f"{API}/destination_connect_links/{link['data']['id']}/revoke", WORKSPACE)


async def in_flight(client: DemoClient, company: str) -> None:
    salesforce = await client.call("POST", f"{API}/destinations", WORKSPACE, connection("salesforce", "Salesforce", {
        "username": "integration@demo.example.com", "instance_url": "https://demo.my.salesforce.com",
        "domain": "login.salesforce.com", "client_id": "3MVG9demo",
        "jwt_signing_key": "-----BEGIN PRIVATE KEY-----\nMIIEdemo\n-----END PRIVATE KEY-----"}), expect=201)
    await client.call("POST", f"{API}/destinations/{salesforce['data']['id']}/refresh_objects", WORKSPACE)
    await client.call("POST", f"{API}/destination_connect_links", WORKSPACE,
                      {"type": "salesforce", "redirect_uri": "https://app.demo.example.com/census/done"}, expect=201)


# (vendor, token, what it holds), for the banner
ROWS = [
    ("census", WORKSPACE, "4 destinations (test passed, failed, running), object refreshes, 2 connect links"),
]

