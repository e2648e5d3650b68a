"""Portable flows over HTTP: create, list, get, update, delete, and every bad input."""

from __future__ import annotations

import pytest

from portable_support import OTHER_TOKEN, POSTGRES, TOKEN, create, make_flow, make_source, warm

BINDING = 'Invalid format for parameter id: error binding string parameter: strconv.ParseInt: parsing "{}": invalid syntax'


async def ends(mock, token=TOKEN):
    source = await make_source(mock, token)
    destination = await create(mock, token, spec="postgres", properties=POSTGRES)
    return source["id"], destination["id"]


async def test_create_answers_201_with_the_flow(mock):
    source, destination = await ends(mock)
    body = {"displayName": "My Freshsales to Postgres Flow", "source": source, "destination": destination, "frequency": "6h"}
    answer = await mock.post("/v2/flows", body, token=TOKEN)
    assert answer.status == 201
    assert answer.body == {"data": {"id": 568971, **body}}


async def test_the_documented_create_body_runs_every_24_hours(mock):
    source, destination = await ends(mock)
    data = (await mock.post("/v2/flows", {"source": source, "destination": destination}, token=TOKEN)).body["data"]
    assert data == {"id": 568971, "displayName": "", "source": source, "destination": destination, "frequency": "24h"}


async def test_a_cron_flow_answers_cron_and_no_frequency(mock):
    source, destination = await ends(mock)
    body = {"source": source, "destination": destination, "cron": "7 5 * * 5"}
    data = (await mock.post("/v2/flows", body, token=TOKEN)).body["data"]
    assert data["cron"] == "7 5 * * 5" and "frequency" not in data


@pytest.mark.parametrize("frequency", ["manual", "24h", "12h", "6h", "1h", "30m", "15m"])
async def test_every_documented_frequency_is_accepted(mock, frequency):
    flow = await make_flow(mock, frequency=frequency)
    assert flow["frequency"] == frequency


async def test_list_get_and_organisations(mock):
    first = await make_flow(mock)
    second = await make_flow(mock)
    listed = (await mock.get("/v2/flows", token=TOKEN)).body["data"]
    assert [f["id"] for f in listed] == [first["id"], second["id"]]
    assert [(f["id"], f["displayName"]) for f in listed] == [(first["id"], ""), (second["id"], "")]
    page = (await mock.get("/v2/flows", token=TOKEN, params={"limit": "1", "offset": "1"})).body["data"]
    assert page == [second]
    assert (await mock.get(f"/v2/flows/{first['id']}", token=TOKEN)).body == {"data": first}
    assert (await mock.get("/v2/flows", token=OTHER_TOKEN)).body == {"data": []}
    assert (await mock.get(f"/v2/flows/{first['id']}", token=OTHER_TOKEN)).status == 404


async def test_patch_changes_only_what_is_sent(mock):
    flow = await make_flow(mock)
    other_source = await make_source(mock)
    answer = await mock.patch(f"/v2/flows/{flow['id']}", {"displayName": "Renamed", "source": other_source["id"]}, token=TOKEN)
    assert answer.status == 200
    assert answer.body["data"] == {**flow, "displayName": "Renamed", "source": other_source["id"]}


async def test_patch_the_documented_example_body(mock):
    flow = await make_flow(mock)
    body = {"source": flow["source"], "destination": flow["destination"]}
    assert (await mock.patch(f"/v2/flows/{flow['id']}", body, token=TOKEN)).body == {"data": flow}


async def test_cron_replaces_frequency_and_back(mock):
    flow = await make_flow(mock, frequency="1h")
    data = (await mock.patch(f"/v2/flows/{flow['id']}", {"cron": "0 */6 * * *"}, token=TOKEN)).body["data"]
    assert data["cron"] == "0 */6 * * *" and "frequency" not in data
    data = (await mock.patch(f"/v2/flows/{flow['id']}", {"frequency": "30m"}, token=TOKEN)).body["data"]
    assert data["frequency"] == "30m" and "cron" not in data


async def test_delete_answers_ok_and_removes_the_flow_and_its_attempts(mock):
    flow = await make_flow(mock)
    assert (await mock.post(f"/v2/flows/{flow['id']}/run", token=TOKEN)).status == 201
    answer = await mock.delete(f"/v2/flows/{flow['id']}", token=TOKEN)
    assert (answer.status, answer.body) == (200, {"message": "OK"})
    for path in ("", "/status", "/run"):
        assert (await mock.get(f"/v2/flows/{flow['id']}{path}", token=TOKEN)).status == 404
    tenants = mock.state()["vendors"]["portable"]["tenants"].values()
    assert not any(t["collections"].get("flow_runs") or t["collections"].get("lifecycle_runs") for t in tenants)


DROP = object()
BAD_CREATES = [
    ({"source": DROP}, "source is required"),
    ({"destination": DROP}, "destination is required"),
    ({"source": "80190", "destination": 1}, "source must be of type integer"),
    ({"source": 1.5, "destination": 1}, "source must be of type integer"),
    ({"source": 1, "destination": 2}, "source 1 does not exist; destination 2 does not exist"),
    ({"frequency": "2h"}, "frequency must be one of manual, 24h, 12h, 6h, 1h, 30m, 15m"),
    ({"frequency": "24h", "cron": "0 0 * * *"}, "frequency and cron are mutually exclusive: send one of them"),
    ({"displayName": None}, "displayName must be of type string"),
    ({"cron": 5}, "cron must be of type string"),
]
CRON_MESSAGE = ("cron must be a cron expression: five fields (minute hour day-of-month month day-of-week), "
                "each *, a number, a range or a list, optionally with a /step")


@pytest.mark.parametrize(("fields", "message"), BAD_CREATES)
async def test_bad_create_bodies_answer_400_and_store_nothing(mock, fields, message):
    source, destination = await ends(mock)
    before = mock.state()
    merged = {"source": source, "destination": destination, **fields}
    body = {key: value for key, value in merged.items() if value is not DROP}
    answer = await mock.post("/v2/flows", body, token=TOKEN)
    assert (answer.status, answer.body) == (400, {"message": message})
    assert mock.state() == before


@pytest.mark.parametrize("cron", ["61 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *", "* * * * 8", "* * * *",
                                  "*/0 * * * *", "0 0 * * sun", "@daily", "0 0 * * * *", " 0 0 * * *"])
async def test_bad_cron_expressions_answer_400(mock, cron):
    source, destination = await ends(mock)
    before = mock.state()
    answer = await mock.post("/v2/flows", {"source": source, "destination": destination, "cron": cron}, token=TOKEN)
    assert (answer.status, answer.body) == (400, {"message": CRON_MESSAGE})
    assert mock.state() == before


async def test_a_flow_needs_ends_of_its_own_organisation(mock):
    theirs_source, theirs_destination = await ends(mock, OTHER_TOKEN)
    mine_source, mine_destination = await ends(mock)
    before = mock.state()
    answer = await mock.post("/v2/flows", {"source": theirs_source, "destination": mine_destination}, token=TOKEN)
    assert (answer.status, answer.body) == (400, {"message": f"source {theirs_source} does not exist"})
    answer = await mock.post("/v2/flows", {"source": mine_source, "destination": theirs_destination}, token=TOKEN)
    assert (answer.status, answer.body) == (400, {"message": f"destination {theirs_destination} does not exist"})
    assert mock.state() == before


@pytest.mark.parametrize(("body", "message"), [
    ({"source": 1}, "source 1 does not exist"),
    ({"destination": "x"}, "destination must be of type integer"),
    ({"frequency": "1d"}, "frequency must be one of manual, 24h, 12h, 6h, 1h, 30m, 15m"),
    ({"frequency": "1h", "cron": "* * * * *"}, "frequency and cron are mutually exclusive: send one of them"),
    ({"cron": "99 * * * *"}, CRON_MESSAGE),
])
async def test_bad_patches_answer_400_and_change_nothing(mock, body, message):
    flow = await make_flow(mock)
    before = mock.state()
    answer = await mock.patch(f"/v2/flows/{flow['id']}", body, token=TOKEN)
    assert (answer.status, answer.body) == (400, {"message": message})
    assert mock.state() == before


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/v2/flows/{}"), ("PATCH", "/v2/flows/{}"), ("DELETE", "/v2/flows/{}"), ("POST", "/v2/flows/{}/run"),
    ("GET", "/v2/flows/{}/run"), ("GET", "/v2/flows/{}/status"), ("POST", "/v2/flows/{}/cancel"),
])
async def test_ids_bad_and_unknown(mock, method, path):
    """A non-integer id (Shipyard's live test sends `bad_flow_id`) is Go's binding 400; an unknown one 404."""
    before = await warm(mock)
    extra = {"json_body": {"displayName": "x"}} if method == "PATCH" else {}
    answer = await mock.request(method, path.format("bad_flow_id"), token=TOKEN, **extra)
    assert (answer.status, answer.body) == (400, {"message": BINDING.format("bad_flow_id")})
    answer = await mock.request(method, path.format(568971), token=TOKEN, **extra)
    assert (answer.status, answer.body) == (404, {"message": "Not Found"})
    assert (await mock.request(method, path.format(568971), **extra)).status == 401
    assert mock.state() == before
