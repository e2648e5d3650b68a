"""Shared by the Census tests: the seed request, valid credentials per type, small request helpers."""

from __future__ import annotations

from typing import Any

TOKEN = "secret-token:census-workspace-a"
OTHER = "secret-token:census-workspace-b"
BASE = "/api/v1"

# Seed 004: POST /destinations. The seed's `type` is the docs' "<string>" placeholder; the type whose
# name and empty credentials it shows is Google Sheets, so that is what the seed tests send.
SEED_CREATE: dict[str, Any] = {
    "service_connection": {
        "name": "Google Sheets",
        "credentials": {},
        "type": "google_sheets",
    }
}

SEED_DESTINATION_KEYS = {
    "id", "name", "type", "created_at", "last_test_results", "last_test_succeeded", "last_tested_at",
    "connection_details", "objects",
}
SEED_OBJECT_KEYS = {
    "label", "full_name", "supported_operations", "allow_custom_fields", "allow_case_sensitive_fields",
    "supports_field_ordering", "can_be_sync_destination", "fields",
}
SEED_FIELD_KEYS = {
    "label", "full_name", "createable", "updateable", "operations", "array", "preserve_values_supported",
    "required_for_mapping", "can_be_upsert_key", "can_be_update_key", "can_be_insert_key",
    "can_be_reference_key", "lookup_object", "type",
}

BRAZE = {"instance_url": "https://rest.iad-03.braze.com", "api_key": "braze-rest-key", "client_key": "app-1"}
ACTIVE_CAMPAIGN = {"api_token": "example_api_token", "instance_url": "https://example.activehosted.com"}

# A complete, valid set of credentials for every type creatable via the API.
VALID_CREDENTIALS: dict[str, dict[str, Any]] = {
    "active_campaign": ACTIVE_CAMPAIGN,
    "big_query": {"project_id": "my-project", "location": "US"},
    "braze": BRAZE,
    "custom_api": {"api_version": 1, "webhook_url": "https://hooks.example.com/census"},
    "google_sheets": {},
    "hubspot": {"oauth_code": "hubspot-oauth-code"},
    "intercom": {"access_token": "intercom-token"},
    "iterable": {"api_key": "iterable-key", "data_center": "US"},
    "klaviyo": {"api_key": "pk_0123456789"},
    "mixpanel": {"project_id": 2195193, "service_account_username": "census.mp-service-account",
                 "service_account_secret": "mp-secret", "data_residency": "US"},
    "salesforce": {"username": "integration@example.com", "instance_url": "https://example.my.salesforce.com",
                   "domain": "login.salesforce.com", "client_id": "3MVG9consumer",
                   "jwt_signing_key": "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----"},
    "zendesk": {"domain": "acme.zendesk.com", "oauth_code": "zendesk-oauth-code"},
}


def connection(type_name: str, credentials: dict[str, Any] | None = None, name: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"type": type_name}
    if name is not None:
        body["name"] = name
    if credentials is not None:
        body["credentials"] = credentials
    return {"service_connection": body}


async def create(mock: Any, type_name: str = "braze", credentials: dict[str, Any] | None = None, *,
                 name: str | None = None, token: str = TOKEN) -> dict[str, Any]:
    """Create a destination and return its `data`; fails the test unless the answer is 201."""
    creds = dict(BRAZE) if credentials is None and type_name == "braze" else (credentials or {})
    answer = await mock.post(f"{BASE}/destinations", connection(type_name, creds, name), token=token)
    assert answer.status == 201, answer
    return answer.body["data"]
