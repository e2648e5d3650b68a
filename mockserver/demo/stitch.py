"""Stitch demo: one account on a larger plan with a destination in every state, and one account on
the Standard plan (one destination, at its limit)."""

from __future__ import annotations

from typing import Any

from mockserver.demo.client import DemoClient

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


async def in_flight(client: DemoClient, company: str) -> None:
    """A destination whose check is still running when the demo is announced."""
    await client.call("POST", "/v4/destinations", TEAM, {
        "type": "snowflake", "name": "Snowflake", "description": f"{company} data cloud",
        "properties": {"host": "demo-account.snowflakecomputing.com", "port": "443", "username": "LOADER",
                       "password": "demo-password", "database": "ANALYTICS", "warehouse": "LOADING"}})


# (vendor, token, what it holds), for the banner
ROWS = [
    ("stitch", TEAM, "5 destinations: configured, check failed (DNS), check failed (auth), form incomplete, check running"),
    ("stitch", SOLO, "Standard plan: 1 destination, at its limit"),
]

