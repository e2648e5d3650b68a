"""`Prefer: code=<status>` steers one request: an error status in the vendor's own shape, a declared
success status from the spec's example, never reaching the vendor (no state read or changed),
journaled with `prefer`; Prism's other forms and unusable codes are ignored and the answer says so."""

from __future__ import annotations

import pytest
from census_support import SEED_CREATE as CENSUS_CREATE
from stitch_support import SEED_V4_CREATE

from mockserver.rejections import HEADER as REJECTION

APPLIED = "Preference-Applied"
IGNORED = "X-Mock-Preference-Ignored"


def prefer(value: str) -> dict[str, str]:
    return {"Prefer": value}


async def last_entry(mock) -> dict:
    return (await mock.get("/__admin/requests", params={"limit": "1"})).body["requests"][0]


@pytest.mark.parametrize("path, status, body", [
    ("/v4/destinations", 503, "Service Unavailable"),
    ("/v4/destinations", 429, "Too Many Requests"),
    ("/v2/destinations", 503, {"message": "Service Unavailable"}),
    ("/api/v1/destinations", 429, {"status": 429}),
    ("/api/v1/destinations", 500, {"status": "error", "message": "Internal server error"}),
])
async def test_a_forced_error_status_in_the_vendors_shape(mock, path, status, body):
    answer = await mock.get(path, token="tok-a", headers=prefer(f"code={status}"), check=status < 500)
    assert (answer.status, answer.body) == (status, body)
    assert answer.headers[APPLIED] == f"code={status}"
    assert answer.headers[REJECTION] == f"prefer: code={status} asked for by the request's Prefer header"
    entry = await last_entry(mock)
    assert (entry["prefer"], entry["status"], entry["fault"]) == (f"code={status}", status, None)
    assert entry["reason"] == answer.headers[REJECTION]


@pytest.mark.parametrize("path, status, body", [
    ("/api/v1/destinations/12", 404, {"status": 404}),
    ("/api/v1/destinations", 401, {"status": 401}),
    ("/v2/destinations/689421", 404, {"message": "Not Found"}),
    ("/v2/destinations", 401, {"message": "Unauthorized"}),
    ("/v2/destinations", 403, {"message": "Your current plan does not support this feature"}),
    ("/v4/destinations", 401, {"message": "Not Authorized"}),
    ("/v4/destination-types/postgres", 404, "Not Found"),
])
async def test_statuses_the_vendor_has_words_for(mock, path, status, body):
    answer = await mock.get(path, token="tok-a", headers=prefer(f"code={status}"))
    assert (answer.status, answer.body) == (status, body)


async def test_a_forced_400_uses_the_documented_message(mock):
    stitch = await mock.post("/v4/destinations", SEED_V4_CREATE, token="tok-a", headers=prefer("code=400"))
    assert stitch.status == 400
    assert stitch.body.startswith("POST body may only include a type")
    census = await mock.post("/api/v1/destinations", CENSUS_CREATE, token="k", headers=prefer("code=400"))
    assert (census.status, census.body) == (400, {"status": "error", "message": "Bad Request"})


async def test_a_status_the_vendor_never_words_is_still_forced(mock):
    answer = await mock.get("/v4/destinations", token="tok-a", headers=prefer("code=403"), check=False)
    assert answer.status == 403
    answer = await mock.get("/api/v1/destinations", token="k", headers=prefer("code=418"), check=False)
    assert (answer.status, answer.body) == (418, {"status": 418})


async def test_a_steered_request_changes_nothing(mock):
    before = mock.state()
    created = await mock.post("/v2/destinations", {"destinationSpec": "postgres"}, token="pt-new",
                              headers=prefer("code=201"))
    assert created.status == 201 and created.headers[APPLIED] == "code=201"
    assert REJECTION not in created.headers
    failed = await mock.post("/v4/destinations", SEED_V4_CREATE, token="tok-new", headers=prefer("code=503"), check=False)
    assert failed.status == 503
    assert mock.state() == before
    assert (await mock.get("/v2/destinations", token="pt-new")).body == {"data": []}


async def test_a_declared_success_answers_the_spec_example(mock):
    answer = await mock.delete("/v2/destinations/5", token="pt-a", headers=prefer("code=200"))
    assert (answer.status, answer.body) == (200, {"message": "OK"})
    listed = await mock.get("/api/v1/destinations", token="k", headers=prefer("code=200"))
    assert listed.status == 200 and listed.headers[APPLIED] == "code=200"
    entry = await last_entry(mock)
    assert (entry["prefer"], entry["reason"], entry["operation_id"]) == ("code=200", None, "listDestinations")


@pytest.mark.parametrize("value, ignored", [
    ("code=201", "code=201: not a success status listDestinations declares (declared: 200)"),
    ("code=302", "code=302: not a success status listDestinations declares (declared: 200)"),
    ("code=abc", "code=abc: not an HTTP status code"),
    ("code=999", "code=999: not an HTTP status code"),
    ("example=first", "example=first: named examples are not supported (the specs carry one example per response)"),
    ("dynamic=true", "dynamic=true: not supported: answers already come from the server's state"),
    ("respond-async", "respond-async: not a preference this server knows"),
])
async def test_preferences_that_cannot_apply_are_ignored_and_named(mock, value, ignored):
    answer = await mock.get("/v2/destinations", token="pt-a", headers=prefer(value))
    assert (answer.status, answer.body) == (200, {"data": []})
    assert answer.headers[IGNORED] == ignored and APPLIED not in answer.headers
    assert (await last_entry(mock))["prefer"] is None


async def test_several_preferences_in_one_header(mock):
    answer = await mock.get("/v2/destinations", token="pt-a", headers=prefer('code="429"; x=1, dynamic=false'),
                            check=False)
    assert answer.status == 429 and answer.headers[APPLIED] == "code=429"
    assert answer.headers[IGNORED] == "dynamic=false: not supported: answers already come from the server's state"


async def test_an_unknown_route_cannot_be_steered(mock):
    answer = await mock.get("/v2/nowhere", token="pt-a", headers=prefer("code=200"))
    assert answer.status == 404
    assert answer.headers[IGNORED] == "code=200: no operation matches this request"


async def test_prefer_wins_over_a_fault_rule(mock):
    rule = (await mock.post("/__admin/faults", {"vendor": "stitch", "status": 503, "count": 1})).body
    answer = await mock.get("/v4/destinations", token="tok-a", headers=prefer("code=429"))
    assert answer.status == 429
    assert (await mock.get("/__admin/faults")).body["faults"][0]["fired"] == rule["fired"] == 0


async def test_the_admin_api_ignores_prefer(mock):
    answer = await mock.get("/__admin/health", headers=prefer("code=503"))
    assert answer.status == 200 and APPLIED not in answer.headers
