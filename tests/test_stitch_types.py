"""GET /v4/destination-types: the eleven documented types, in the vendor's order, with details."""

from __future__ import annotations

DOCUMENTED_ORDER = ["azure_sqldw", "redshift", "postgres", "snowflake", "s3", "storagegrid"]
FORM_ONLY = ["bigquery_v2", "databricks_delta", "mssql_server", "mysql_destination", "panoply"]


async def test_lists_every_type_as_a_blank_report_card(mock):
    answer = await mock.get("/v4/destination-types", token="ac_types")
    assert answer.status == 200
    assert [c["type"] for c in answer.body] == DOCUMENTED_ORDER + FORM_ONLY
    for card in answer.body:
        assert (card["current_step"], card["current_step_type"]) == (1, "form")
        assert [s["type"] for s in card["steps"]] == ["form", "fully_configured"]
        assert all(p["provided"] is False for p in card["steps"][0]["properties"])
        assert card["details"]["protocol"] == card["type"]


async def test_storagegrid_is_enterprise_alpha_without_access(mock):
    card = (await mock.get("/v4/destination-types/storagegrid", token="ac_types")).body
    assert card["details"] == {"pricing_tier": "enterprise", "pipeline_state": "alpha", "protocol": "storagegrid", "access": False}


async def test_redshift_card_matches_the_documented_properties(mock):
    card = (await mock.get("/v4/destination-types/redshift", token="ac_types")).body
    props = {p["name"]: (p["is_required"], p["is_credential"]) for p in card["steps"][0]["properties"]}
    assert props == {
        "database": (True, False), "encryption_host": (False, False), "encryption_port": (False, False),
        "encryption_type": (True, False), "encryption_username": (False, False), "host": (True, False),
        "password": (True, True), "port": (True, False), "username": (True, False),
    }


async def test_every_form_only_type_can_be_created_and_configured(make_mock):
    mock = await make_mock(check_delay=0, stitch_destination_limit=10)
    sa = {k: "x" for k in ["type", "project_id", "private_key_id", "private_key", "client_email", "client_id",
                           "auth_uri", "token_uri", "auth_provider_x509_cert_url", "client_x509_cert_url"]}
    sa["project_id"] = "acme-analytics"
    bodies = {
        "bigquery_v2": {"cloud_storage_location": "EU", "loading_mode": "UPSERT", "service_account_credentials": sa},
        "databricks_delta": {"access_token": "dapi123", "jdbc_url": "jdbc:databricks://dbc.cloud.databricks.com:443/default",
                             "ssh_config": {"ssh": "false"}, "staging_area": {"scheme": "s3", "bucket_name": "stage"}},
        "mssql_server": {"database": "dw", "host": "sql.example.com", "password": "pw", "port": 1433, "username": "u"},
        "mysql_destination": {"host": "mysql.example.com", "password": "pw", "port": "3306", "username": "u", "ssl": True},
        "panoply": {"database": "db", "host": "db.panoply.io", "password": "pw", "port": 5439, "username": "u"},
    }
    for dtype, props in bodies.items():
        answer = await mock.post("/v4/destinations", {"type": dtype, "properties": props}, token="ac_types")
        assert answer.status == 200, (dtype, answer)
        assert answer.body["report_card"]["current_step_type"] == "fully_configured", dtype
    bigquery = next(d for d in (await mock.get("/v4/destinations", token="ac_types")).body if d["type"] == "bigquery_v2")
    # The credentials object never comes back; the read-only project id is taken from it.
    assert "service_account_credentials" not in bigquery["properties"]
    assert bigquery["properties"]["project_id"] == "acme-analytics"


async def test_immutable_loading_mode_cannot_change(make_mock):
    mock = await make_mock(check_delay=0)
    sa = {k: "x" for k in ["type", "project_id", "private_key_id", "private_key", "client_email", "client_id",
                           "auth_uri", "token_uri", "auth_provider_x509_cert_url", "client_x509_cert_url"]}
    created = (await mock.post("/v4/destinations", {"type": "bigquery_v2", "properties": {
        "cloud_storage_location": "US", "loading_mode": "APPEND_ONLY", "service_account_credentials": sa}}, token="ac_t")).body
    before = mock.state()
    answer = await mock.put(f"/v4/destinations/{created['id']}", {"properties": {"loading_mode": "UPSERT"}}, token="ac_t")
    assert answer.status == 400 and answer.body["data"]["bad_properties"] == ["loading_mode"]
    assert mock.state() == before
