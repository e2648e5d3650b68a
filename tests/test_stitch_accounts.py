"""Stitch partner accounts (`POST /v3/accounts`) and ephemeral sessions over HTTP: a new account's
token works at once (strict auth included), the form's errors in the accounts family's shape, and
a refused request changes nothing."""

from __future__ import annotations

import re

import pytest
from stitch_support import SEED_V4_CREATE

FORM = {
    "partner_id": "oc_partner", "partner_secret": "oc_secret_value", "first_name": "Ada",
    "last_name": "Lovelace", "company": "Analytical Engines", "email": "ada@example.com",
}
BAD_FORM = "Invalid form data."


async def create(mock, **changes):
    return await mock.post("/v3/accounts", {**FORM, **changes})


async def test_a_new_account_answers_its_token_which_works_at_once(mock):
    made = await create(mock)
    assert made.status == 200, made
    assert set(made.body) == {"access_token", "stitch_account_id"}
    token, client_id = made.body["access_token"], made.body["stitch_account_id"]
    assert re.fullmatch(r"ac_[0-9a-f]{32}", token)
    assert (await mock.get("/v4/destinations", token=token)).body == []
    destination = await mock.post("/v4/destinations", SEED_V4_CREATE, token=token)
    assert destination.status == 200 and destination.body["stitch_client_id"] == client_id
    assert (await mock.get(f"/v4/{client_id}/extractions", token=token)).status == 200
    other = await create(mock, email="grace@example.com")
    assert other.body["stitch_account_id"] == client_id + 1 and other.body["access_token"] != token
    tenant = mock.engine.store.find_tenant("stitch", token)
    assert {k: tenant.attrs[k] for k in ("email", "company", "region", "partner_id")} == {
        "email": "ada@example.com", "company": "Analytical Engines", "region": "us-east-1", "partner_id": "oc_partner",
    }
    assert "oc_secret_value" not in str(mock.state())  # the partner's secret is never kept


async def test_the_region_is_kept(mock):
    made = await create(mock, region="eu-central-1")
    assert mock.engine.store.find_tenant("stitch", made.body["access_token"]).attrs["region"] == "eu-central-1"


async def test_an_email_holds_one_account(mock):
    assert (await create(mock)).status == 200
    before = mock.state()
    again = await create(mock, email="ADA@example.com", first_name="Someone")
    assert again.status == 400
    assert again.body == {"code": "ExistingUser", "message": "This email address is already associated with an active user."}
    assert mock.state() == before


@pytest.mark.parametrize(
    "body, errors",
    [
        ({k: v for k, v in FORM.items() if k != "partner_id"}, {"partner_id": "required"}),
        ({k: v for k, v in FORM.items() if k not in ("email", "company")}, {"company": "required", "email": "required"}),
        ({**FORM, "first_name": ""}, {"first_name": "required"}),
        ({**FORM, "last_name": 7}, {"last_name": "invalid"}),
        ({**FORM, "email": "not-an-email"}, {"email": "invalid"}),
        ({**FORM, "region": "mars-north-1"}, {"region": "invalid"}),
        ({}, {k: "required" for k in FORM}),
        ([FORM], {}),
    ],
)
async def test_form_errors_name_each_field(mock, body, errors):
    before = mock.state()
    answer = await mock.post("/v3/accounts", body)
    assert answer.status == 400
    assert answer.body == {"code": "BadRequest", "message": BAD_FORM, "errors": errors}
    assert mock.state() == before


async def test_a_body_that_is_not_json_or_missing_is_bad_form_data(mock):
    before = mock.state()
    for data in ("{not json", None):
        answer = await mock.request("POST", "/v3/accounts", data=data, headers={"Content-Type": "application/json"})
        assert answer.status == 400 and answer.body == {"code": "BadRequest", "message": BAD_FORM, "errors": {}}
    assert mock.state() == before


async def test_declared_partners_alone_may_create_accounts(make_mock):
    mock = await make_mock(partners={"stitch": {"oc_partner": "oc_secret_value"}})
    before = mock.state()
    for changes in ({"partner_secret": "wrong"}, {"partner_id": "oc_other"}):
        refused = await create(mock, **changes)
        assert refused.status == 401 and refused.body == {"message": "Not Authorized"}
        assert "oc_secret_value" not in refused.headers.get("X-Mock-Rejection", "")
    assert mock.state() == before
    assert (await create(mock)).status == 200


async def test_under_strict_auth_an_issued_token_works_and_others_do_not(make_mock):
    mock = await make_mock(strict_auth=True, declared_tenants={"stitch": {"sk-declared": {}}},
                           partners={"stitch": {"oc_partner": "oc_secret_value"}})
    token = (await create(mock)).body["access_token"]
    assert (await mock.get("/v4/destinations", token=token)).status == 200
    assert (await mock.get("/v4/destinations", token="ac_" + "0" * 32)).status == 401
    assert (await mock.get("/v4/destinations", token="sk-declared")).status == 200


async def test_under_strict_auth_with_no_partner_declared_nobody_creates_accounts(make_mock):
    mock = await make_mock(strict_auth=True, declared_tenants={"stitch": {"sk-declared": {}}})
    refused = await create(mock)
    assert refused.status == 401 and refused.body == {"message": "Not Authorized"}


async def test_the_journal_masks_the_partner_secret(mock):
    await create(mock)
    await create(mock, email="bad")
    entries = [e for e in mock.engine.journal if e.path == "/v3/accounts"]
    assert [e.status for e in entries] == [200, 400]
    assert all(e.request_body["partner_secret"] == "********" and e.tenant is None for e in entries)
    assert entries[0].operation_id == "create-an-account"


async def test_an_issued_account_survives_a_state_round_trip(make_mock):
    mock = await make_mock(strict_auth=True, declared_tenants={"stitch": {"sk-declared": {}}},
                           partners={"stitch": {"oc_partner": "oc_secret_value"}})
    token = (await create(mock)).body["access_token"]
    saved = mock.engine.export()
    mock.engine.reset()
    assert (await mock.get("/v4/destinations", token=token)).status == 401
    mock.engine.load(saved)
    assert (await mock.get("/v4/destinations", token=token)).status == 200


async def test_an_ephemeral_session_is_made_for_the_calling_account(mock):
    first = await mock.post("/v3/sessions/ephemeral", token="ac_sessions")
    second = await mock.post("/v3/sessions/ephemeral", token="ac_sessions")
    assert first.status == second.status == 200
    assert re.fullmatch(r"[0-9a-f]{32}", first.body["ephemeral_token"])
    assert first.body["ephemeral_token"] != second.body["ephemeral_token"]
    refused = await mock.post("/v3/sessions/ephemeral")
    assert refused.status == 401 and refused.body == {"message": "Not Authorized"}
