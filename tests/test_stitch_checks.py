"""Report-card progression and connection checks, driven by the virtual clock."""

from __future__ import annotations

from stitch_support import postgres, provided

TOKEN = "ac_checks"



async def test_incomplete_form_stays_at_form_step_and_runs_no_check(mock):
    body = postgres()
    del body["properties"]["password"], body["properties"]["encryption_type"]
    answer = await mock.post("/v4/destinations", body, token=TOKEN)
    assert answer.status == 200
    card = answer.body["report_card"]
    assert (card["current_step"], card["current_step_type"]) == (1, "form")
    flags = provided(card)
    assert flags["password"] is False and flags["host"] is True
    # encryption_type defaults to none, so it counts as provided even when not sent.
    assert flags["encryption_type"] is True and answer.body["properties"]["encryption_type"] == "none"
    assert "check_job_name" not in answer.body
    assert mock.engine.scheduler.pending() == []
    check = await mock.get(f"/v4/destinations/{answer.body['id']}/last-connection-check", token=TOKEN)
    assert check.status == 404
    mock.advance(60)
    listed = (await mock.get("/v4/destinations", token=TOKEN)).body
    assert listed[0]["report_card"]["current_step"] == 1


async def test_put_completing_the_form_starts_a_check_that_configures(mock):
    body = postgres()
    del body["properties"]["password"]
    created = (await mock.post("/v4/destinations", body, token=TOKEN)).body
    updated = await mock.put(f"/v4/destinations/{created['id']}", {"properties": {"password": "s3cret"}}, token=TOKEN)
    assert updated.status == 200
    assert "password" not in updated.body["properties"]
    assert provided(updated.body["report_card"])["password"] is True
    assert updated.body["check_job_name"].startswith(f"{created['stitch_client_id']}.{created['id']}.check.")
    running = (await mock.get(f"/v4/destinations/{created['id']}/last-connection-check", token=TOKEN)).body
    assert running["status"] == "running" and running["completion_time"] is None and running["error"] is False
    assert running["name"] == updated.body["check_job_name"] and running["mode"] == "check"
    mock.advance(2)
    done = (await mock.get(f"/v4/destinations/{created['id']}/last-connection-check", token=TOKEN)).body
    assert done["status"] == "succeeded" and done["error"] is False
    assert done["check_exit_status"] == 0 and done["discovery_exit_status"] == 0
    assert done["completion_time"] is not None
    listed = (await mock.get("/v4/destinations", token=TOKEN)).body
    assert listed[0]["report_card"]["current_step_type"] == "fully_configured"


async def test_zero_check_delay_finishes_within_the_request(make_mock):
    mock = await make_mock(check_delay=0)
    answer = await mock.post("/v4/destinations", postgres(), token=TOKEN)
    assert answer.body["report_card"]["current_step"] == 2
    check = (await mock.get(f"/v4/destinations/{answer.body['id']}/last-connection-check", token=TOKEN)).body
    assert check["status"] == "succeeded" and check["start_time"] == check["completion_time"]


async def test_host_under_invalid_fails_to_resolve(mock):
    created = (await mock.post("/v4/destinations", postgres(host="db.example.invalid"), token=TOKEN)).body
    mock.advance(2)
    check = (await mock.get(f"/v4/destinations/{created['id']}/last-connection-check", token=TOKEN)).body
    assert check["status"] == "failed" and check["error"] is True
    assert check["discovery_exit_status"] == 1
    assert check["discovery_error_message"] == (
        'could not translate host name "db.example.invalid" to address: Name or service not known'
    )
    listed = (await mock.get("/v4/destinations", token=TOKEN)).body
    assert (listed[0]["report_card"]["current_step"], listed[0]["report_card"]["current_step_type"]) == (1, "form")


async def test_wrong_password_fails_authentication(mock):
    created = (await mock.post("/v4/destinations", postgres(password="wrong-password", username="loader"), token=TOKEN)).body
    mock.advance(2)
    check = (await mock.get(f"/v4/destinations/{created['id']}/last-connection-check", token=TOKEN)).body
    assert check["status"] == "failed"
    assert check["discovery_error_message"] == 'FATAL:  password authentication failed for user "loader"'


async def test_fixing_a_failed_destination_configures_it(mock):
    created = (await mock.post("/v4/destinations", postgres(password="wrong-password"), token=TOKEN)).body
    mock.advance(2)
    await mock.put(f"/v4/destinations/{created['id']}", {"properties": {"password": "right"}}, token=TOKEN)
    mock.advance(2)
    listed = (await mock.get("/v4/destinations", token=TOKEN)).body
    assert listed[0]["report_card"]["current_step_type"] == "fully_configured"


async def test_newer_check_supersedes_one_in_flight(mock):
    created = (await mock.post("/v4/destinations", postgres(password="wrong-password"), token=TOKEN)).body
    mock.advance(1)
    second = (await mock.put(f"/v4/destinations/{created['id']}", {"properties": {"password": "right"}}, token=TOKEN)).body
    assert second["check_job_name"] != created["check_job_name"]
    mock.advance(1)  # the first check falls due now, but it no longer counts
    check = (await mock.get(f"/v4/destinations/{created['id']}/last-connection-check", token=TOKEN)).body
    assert check["status"] == "running" and check["name"] == second["check_job_name"]
    mock.advance(1)
    check = (await mock.get(f"/v4/destinations/{created['id']}/last-connection-check", token=TOKEN)).body
    assert check["status"] == "succeeded"


async def test_forced_outcome_overrides_the_rules_once(mock):
    from mockserver.engine.outcomes import ForcedOutcome

    mock.engine.outcomes.force(ForcedOutcome(vendor="stitch", ok=False, message="connection reset by peer"))
    created = (await mock.post("/v4/destinations", postgres(), token=TOKEN)).body
    mock.advance(2)
    check = (await mock.get(f"/v4/destinations/{created['id']}/last-connection-check", token=TOKEN)).body
    assert check["status"] == "failed" and check["discovery_error_message"] == "connection reset by peer"
    await mock.put(f"/v4/destinations/{created['id']}", {"properties": {}}, token=TOKEN)
    mock.advance(2)
    check = (await mock.get(f"/v4/destinations/{created['id']}/last-connection-check", token=TOKEN)).body
    assert check["status"] == "succeeded"


async def test_deleted_destination_ignores_its_pending_check(mock):
    created = (await mock.post("/v4/destinations", postgres(), token=TOKEN)).body
    assert (await mock.delete(f"/v4/destinations/{created['id']}", token=TOKEN)).status == 200
    mock.advance(5)
    assert (await mock.get("/v4/destinations", token=TOKEN)).body == []


async def test_s3_sentinel_key_is_system_provided_and_never_returned(make_mock):
    mock = await make_mock(check_delay=0)
    body = {
        "type": "s3",
        "properties": {
            "s3_bucket": "com-stitch-test-bucket",
            "output_file_format": "csv",
            "s3_key_format_string": "[integration_name]/[table_name]/[table_version]_[timestamp_loaded].csv",
            "csv_delimiter": ",",
            "csv_force_quote": True,
        },
    }
    answer = await mock.post("/v4/destinations", body, token=TOKEN)
    assert answer.status == 200
    assert "sentinel_key" not in answer.body["properties"]
    assert answer.body["properties"]["csv_force_quote"] == "true"
    assert provided(answer.body["report_card"])["sentinel_key"] is True
    assert answer.body["report_card"]["current_step_type"] == "fully_configured"


async def test_snowflake_username_is_a_credential(make_mock):
    mock = await make_mock(check_delay=0)
    body = {"type": "snowflake", "properties": {
        "host": "acme.snowflakecomputing.com", "port": 443, "database": "ANALYTICS",
        "username": "LOADER", "password": "pw", "warehouse": "LOADING"}}
    answer = await mock.post("/v4/destinations", body, token=TOKEN)
    assert answer.status == 200
    assert answer.body["properties"] == {"host": "acme.snowflakecomputing.com", "port": "443", "database": "ANALYTICS", "warehouse": "LOADING"}
    assert answer.body["report_card"]["current_step"] == 2
