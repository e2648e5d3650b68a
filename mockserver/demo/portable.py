"""Portable demo: an organisation with three warehouse destinations, and one on a plan without API
access (every call answers 403)."""

from __future__ import annotations

from typing import Any

from mockserver.demo.client import DemoClient

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


async def in_flight(client: DemoClient, company: str) -> None:
    return None  # Portable destinations have no asynchronous state


# (vendor, token, what it holds), for the banner
ROWS = [
    ("portable", ORG, "3 destinations: Snowflake, BigQuery, Postgres"),
    ("portable", STARTER, "plan without API access: every call answers 403"),
]

