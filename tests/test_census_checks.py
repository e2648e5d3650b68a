"""Census connection tests: asynchronous on the clock, deterministic outcomes, forceable."""

from __future__ import annotations

import re

from census_support import ACTIVE_CAMPAIGN, BASE, BRAZE, TOKEN, create
from mockserver.engine.outcomes import ForcedOutcome

RUNNING = {"steps": [{"step": "Verify connectivity", "status": "running"}]}
ALL_GOOD = {"steps": [
    {"step": "Verify connectivity", "status": "success"},
    {"step": "Verify credentials", "status": "success"},
    {"step": "Verify permissions", "status": "success"},
]}


async def fetch(mock, destination_id):
    return (await mock.get(f"{BASE}/destinations/{destination_id}", token=TOKEN)).body["data"]


async def test_test_runs_for_the_check_delay_then_succeeds(mock):
    created = await create(mock, "braze", BRAZE)
    assert created["last_test_results"] == RUNNING
    mock.advance(1.9)
    assert (await fetch(mock, created["id"]))["last_test_results"] == RUNNING
    mock.advance(0.1)
    done = await fetch(mock, created["id"])
    assert done["last_test_results"] == ALL_GOOD
    assert done["last_test_succeeded"] is True
    assert done["last_tested_at"] == "2026-01-01T09:00:02Z"


async def test_host_under_invalid_fails_connectivity_and_hides_later_steps(make_mock):
    mock = await make_mock(check_delay=0)
    created = await create(mock, "active_campaign", {**ACTIVE_CAMPAIGN, "instance_url": "https://acme.api-us1.invalid"})
    assert created["last_test_succeeded"] is False
    assert created["last_test_results"] == {"steps": [{
        "step": "Verify connectivity",
        "status": "failed",
        "error": {"message": "Could not connect to ActiveCampaign: unable to resolve host acme.api-us1.invalid"},
    }]}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", created["last_tested_at"])


async def test_wrong_password_fails_credentials_after_connectivity(make_mock):
    mock = await make_mock(check_delay=0)
    created = await create(mock, "braze", {**BRAZE, "api_key": "wrong-password"})
    assert created["last_test_succeeded"] is False
    assert created["last_test_results"] == {"steps": [
        {"step": "Verify connectivity", "status": "success"},
        {"step": "Verify credentials", "status": "failed",
         "error": {"message": "Braze rejected the credentials: invalid API Key"}},
    ]}


async def test_secret_values_are_never_taken_for_hosts(make_mock):
    mock = await make_mock(check_delay=0)
    created = await create(mock, "braze", {**BRAZE, "api_key": "key.invalid"})
    assert created["last_test_succeeded"] is True


async def test_forced_outcome_wins_once(make_mock):
    mock = await make_mock(check_delay=0)
    mock.engine.outcomes.force(ForcedOutcome(vendor="census", ok=False, message="Braze is having an outage"))
    failed = await create(mock, "braze", BRAZE)
    assert failed["last_test_results"] == {"steps": [
        {"step": "Verify connectivity", "status": "failed", "error": {"message": "Braze is having an outage"}},
    ]}
    assert (await create(mock, "braze", BRAZE))["last_test_succeeded"] is True


async def test_forced_success_overrides_the_rules(make_mock):
    mock = await make_mock(check_delay=0)
    mock.engine.outcomes.force(ForcedOutcome(vendor="census", ok=True))
    created = await create(mock, "braze", {**BRAZE, "api_key": "wrong-password"})
    assert created["last_test_succeeded"] is True


async def test_credentials_update_retests_and_keeps_the_old_time_until_done(mock):
    created = await create(mock, "braze", {**BRAZE, "api_key": "wrong-password"})
    mock.advance(2)
    failed = await fetch(mock, created["id"])
    assert failed["last_test_succeeded"] is False
    mock.advance(10)
    body = {"service_connection": {"credentials": {"api_key": "the-right-one"}}}
    updated = (await mock.patch(f"{BASE}/destinations/{created['id']}", body, token=TOKEN)).body["data"]
    assert updated["last_test_results"] == RUNNING
    assert updated["last_test_succeeded"] is None
    assert updated["last_tested_at"] == failed["last_tested_at"]
    mock.advance(2)
    done = await fetch(mock, created["id"])
    assert done["last_test_succeeded"] is True and done["last_tested_at"] == "2026-01-01T09:00:14Z"


async def test_a_superseded_test_never_lands(mock):
    created = await create(mock, "braze", {**BRAZE, "api_key": "wrong-password"})
    mock.advance(1)
    body = {"service_connection": {"credentials": {"api_key": "the-right-one"}}}
    await mock.patch(f"{BASE}/destinations/{created['id']}", body, token=TOKEN)
    mock.advance(1.5)  # the first test falls due here, but was superseded
    assert (await fetch(mock, created["id"]))["last_test_results"] == RUNNING
    mock.advance(0.5)
    assert (await fetch(mock, created["id"]))["last_test_succeeded"] is True


async def test_deleting_during_a_test_is_clean(mock):
    created = await create(mock, "braze", BRAZE)
    await mock.delete(f"{BASE}/destinations/{created['id']}", token=TOKEN)
    mock.advance(5)
    assert (await mock.get(f"{BASE}/destinations", token=TOKEN)).body["data"] == []
