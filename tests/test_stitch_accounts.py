"""Stitch partner accounts (`POST /v3/accounts` and the partner OAuth flow) and ephemeral sessions
over HTTP: a new account's token works at once (strict auth included), each family's errors in its
own shape, and a refused request changes nothing."""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

import pytest
from conftest import Answer
from stitch_support import SEED_V4_CREATE
from yarl import URL

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


# -- the partner OAuth flow ------------------------------------------------------------------------------

FORM_TYPE = {"Content-Type": "application/x-www-form-urlencoded"}


async def authorize(mock, **query):
    """Opens the authorization page as the user's browser would; answers (status, headers, body)."""
    params = {"client_id": "oc_partner", **query}
    async with mock.client.get("/oauth/authorization", params=params, allow_redirects=False) as resp:
        status, headers, raw = resp.status, resp.headers, await resp.read()
    if status < 400:
        mock.check_contract("GET", "/oauth/authorization", Answer(status, None, "", headers))
    return status, headers, raw


async def exchange(mock, code, secret="oc_secret_value", grant_type="authorization_code"):
    form = urlencode({"client_secret": secret, "code": code, "grant_type": grant_type})
    return await mock.request("POST", "/oauth/token", data=form, headers=FORM_TYPE)


def code_in(location):
    return URL(location).query["code"]


async def test_a_user_authorizes_and_the_partner_gets_a_working_token(mock):
    status, headers, _ = await authorize(mock, redirect_uri="https://partner.example/cb?from=stitch", state="xyz-1",
                                         email="new@example.com", first_name="Nia", company="Partner Co")
    assert status == 302
    back = URL(headers["Location"])
    assert (back.host, back.path, back.query["from"], back.query["state"]) == ("partner.example", "/cb", "stitch", "xyz-1")
    token = await exchange(mock, back.query["code"])
    assert token.status == 200 and token.body["token_type"] == "bearer"
    assert re.fullmatch(r"ac_[0-9a-f]{32}", token.body["access_token"])
    assert (await mock.get("/v4/destinations", token=token.body["access_token"])).body == []
    tenant = mock.engine.store.find_tenant("stitch", token.body["access_token"])
    assert tenant.attrs["stitch_client_id"] == token.body["stitch_account_id"]
    assert (tenant.attrs["email"], tenant.attrs["first_name"], tenant.attrs["company"]) == ("new@example.com", "Nia", "Partner Co")
    assert back.query["code"] not in str(mock.state())  # a code is kept as a fingerprint only
    again = await exchange(mock, back.query["code"])
    assert (again.status, again.body["error"]) == (400, "invalid_grant")


async def test_an_existing_accounts_email_authorizes_that_account(mock):
    made = (await create(mock)).body
    _, headers, _ = await authorize(mock, redirect_uri="https://partner.example/cb", email="ADA@example.com")
    token = (await exchange(mock, code_in(headers["Location"]))).body
    assert (token["access_token"], token["stitch_account_id"]) == (made["access_token"], made["stitch_account_id"])


async def test_without_a_redirect_uri_the_page_shows_the_code(mock):
    status, headers, page = await authorize(mock)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    code = re.search(rb"<code>([0-9a-f]{32})</code>", page).group(1).decode()
    assert (await exchange(mock, code)).status == 200


async def test_a_code_expires_after_five_minutes(mock):
    _, headers, _ = await authorize(mock, redirect_uri="https://partner.example/cb")
    mock.advance(5 * 60)
    expired = await exchange(mock, code_in(headers["Location"]))
    assert expired.status == 400 and expired.body == {"error": "invalid_grant", "error_description": "the authorization code has expired"}


@pytest.mark.parametrize("form, status, error", [
    ({"client_secret": "s", "code": "c", "grant_type": "password"}, 400, "unsupported_grant_type"),
    ({"client_secret": "s", "code": "not-a-code", "grant_type": "authorization_code"}, 400, "invalid_grant"),
    ({"client_secret": "s", "grant_type": "authorization_code"}, 400, "invalid_request"),
    ({"client_secret": "", "code": "c", "grant_type": "authorization_code"}, 400, "invalid_request"),
])
async def test_token_requests_refused_in_the_oauth_shape(mock, form, status, error):
    before = mock.state()
    answer = await mock.request("POST", "/oauth/token", data=urlencode(form), headers=FORM_TYPE)
    assert answer.status == status and answer.body["error"] == error and set(answer.body) == {"error", "error_description"}
    assert mock.state() == before


async def test_a_form_field_given_twice_is_an_invalid_request(mock):
    answer = await mock.request("POST", "/oauth/token", data="code=a&code=b&client_secret=s&grant_type=authorization_code",
                                headers=FORM_TYPE)
    assert answer.status == 400 and answer.body["error"] == "invalid_request"
    assert answer.body["error_description"] == "form field code given more than once"


async def test_declared_partners_alone_get_codes_and_tokens(make_mock):
    mock = await make_mock(partners={"stitch": {"oc_partner": "oc_secret_value"}})
    refused, _, raw = await authorize(mock, client_id="oc_stranger", redirect_uri="https://partner.example/cb")
    assert refused == 400 and json.loads(raw) == {"error": "invalid_client", "error_description": "unknown client_id"}
    _, headers, _ = await authorize(mock, redirect_uri="https://partner.example/cb")
    code = code_in(headers["Location"])
    wrong = await exchange(mock, code, secret="not-the-secret")
    assert wrong.status == 401 and wrong.body["error"] == "invalid_client"
    assert (await exchange(mock, code)).status == 200  # a refused exchange did not use the code up


async def test_the_journal_masks_the_code_and_the_client_secret(mock):
    _, headers, _ = await authorize(mock, redirect_uri="https://partner.example/cb")
    code = code_in(headers["Location"])
    await exchange(mock, code)
    entry = [e for e in mock.engine.journal if e.path == "/oauth/token"][-1]
    assert entry.request_body == {"client_secret": "********", "code": "********", "grant_type": "authorization_code"}
    assert entry.operation_id == "exchange-an-authorization-code"


async def test_a_redirect_uri_with_controls_is_sent_percent_encoded(mock):
    status, headers, _ = await authorize(mock, redirect_uri="https://partner.example/cb\r\nSet-Cookie: a=1\x0e/é")
    assert status == 302 and "Set-Cookie" not in headers
    assert headers["Location"].startswith("https://partner.example/cb%0D%0ASet-Cookie:%20a=1%0E/%C3%A9?code=")
