"""Fault rules over HTTP: forced statuses in the vendor's own shape, latency, dropped connections,
counts, seeded probability, listing and deleting, and bad rules."""

from __future__ import annotations

import time

import aiohttp
import pytest
from stitch_support import SEED_V4_CREATE


async def add(mock, **rule) -> dict:
    answer = await mock.post("/__admin/faults", rule)
    assert answer.status == 201, answer
    return answer.body


@pytest.mark.parametrize("status, text", [(429, "Too Many Requests"), (500, "Internal Server Error"),
                                          (502, "Bad Gateway"), (503, "Service Unavailable")])
async def test_forced_status_uses_the_vendors_error_shape(mock, status, text):
    await add(mock, vendor="stitch", status=status)
    answer = await mock.get("/v4/destinations", token="tok-a", check=status < 500)
    assert answer.status == status and answer.body == text


async def test_forced_status_with_a_message(mock):
    await add(mock, vendor="stitch", status=429, message="Rate limit exceeded")
    answer = await mock.get("/v4/destinations", token="tok-a")
    assert (answer.status, answer.body) == (429, "Rate limit exceeded")


async def test_a_counted_rule_fires_that_often_then_goes(mock):
    rule = await add(mock, vendor="stitch", method="POST", path="/v4/destinations", status=503, count=2)
    assert rule["count"] == 2 and rule["fired"] == 0
    statuses = [(await mock.post("/v4/destinations", SEED_V4_CREATE, token=f"tok-{i}", check=False)).status for i in range(3)]
    assert statuses == [503, 503, 200]
    assert (await mock.get("/__admin/faults")).body == {"faults": []}
    # A faulted request changed nothing: only the third created a destination.
    assert len(mock.state()["vendors"]["stitch"]["tenants"]) == 1


async def test_rules_match_by_method_and_path(mock):
    await add(mock, method="DELETE", path="/v4/destinations/*", status=500)
    assert (await mock.get("/v4/destinations", token="tok-a")).status == 200
    created = (await mock.post("/v4/destinations", SEED_V4_CREATE, token="tok-a")).body
    answer = await mock.delete(f"/v4/destinations/{created['id']}", token="tok-a", check=False)
    assert answer.status == 500


async def test_path_regex_must_match_the_whole_path(mock):
    await add(mock, path_regex=r"/v4/destination-types/\w+", status=429)
    assert (await mock.get("/v4/destination-types/postgres", token="tok-a")).status == 429
    assert (await mock.get("/v4/destination-types", token="tok-a")).status == 200


async def test_faults_never_touch_the_admin_api_or_other_paths(mock):
    await add(mock, status=500)
    assert (await mock.get("/__admin/health")).status == 200
    assert (await mock.request("GET", "/nowhere", check=False)).status == 404


async def test_faulted_requests_are_journaled_with_the_fault(mock):
    await add(mock, vendor="stitch", status=429, count=1)
    await mock.get("/v4/destinations", token="tok-a")
    await mock.get("/v4/destinations", token="tok-a")
    entries = (await mock.get("/__admin/requests")).body["requests"]
    assert [(e["status"], e["fault"]) for e in entries] == [(429, "status"), (200, None)]


async def test_fixed_latency_delays_the_answer(mock):
    await add(mock, vendor="stitch", latency_ms=40)
    started = time.perf_counter()
    answer = await mock.get("/v4/destinations", token="tok-a")
    assert answer.status == 200 and time.perf_counter() - started >= 0.04
    entry = (await mock.get("/__admin/requests")).body["requests"][0]
    assert entry["fault"] == "latency" and entry["duration_ms"] >= 40


async def test_ranged_latency_then_a_status(mock):
    rule = await add(mock, vendor="stitch", latency_ms=[10, 30], status=502)
    assert rule["latency_ms"] == [10, 30]
    started = time.perf_counter()
    answer = await mock.get("/v4/destinations", token="tok-a", check=False)
    elapsed = time.perf_counter() - started
    assert answer.status == 502 and 0.01 <= elapsed


async def test_dropped_connection(mock):
    await add(mock, vendor="stitch", method="POST", drop=True, count=1)
    with pytest.raises(aiohttp.ClientError):
        await mock.post("/v4/destinations", SEED_V4_CREATE, token="tok-a")
    entry = (await mock.get("/__admin/requests")).body["requests"][0]
    assert (entry["status"], entry["fault"]) == (0, "drop")
    assert (await mock.get("/__admin/requests/count", params={"status": "0"})).body == {"count": 1}
    assert (await mock.post("/v4/destinations", SEED_V4_CREATE, token="tok-a")).status == 200


async def statuses_with_probability(make_mock, seed: int) -> list[int]:
    mock = await make_mock(seed=seed)
    await add(mock, vendor="stitch", status=503, probability=0.5)
    return [(await mock.get("/v4/destinations", token="tok-a", check=False)).status for _ in range(24)]


async def test_probability_is_seeded_and_reproducible(make_mock):
    first = await statuses_with_probability(make_mock, seed=7)
    again = await statuses_with_probability(make_mock, seed=7)
    assert first == again
    assert set(first) == {200, 503}


async def test_fault_dice_never_shift_generated_ids(make_mock):
    plain = await make_mock(seed=3)
    faulty = await make_mock(seed=3)
    await add(faulty, vendor="stitch", method="GET", status=503, probability=0.5)
    for mock in (plain, faulty):
        for _ in range(5):
            await mock.get("/v4/destinations", token="tok-a", check=False)
    a = (await plain.post("/v4/destinations", SEED_V4_CREATE, token="tok-a")).body
    b = (await faulty.post("/v4/destinations", SEED_V4_CREATE, token="tok-a")).body
    assert a["check_job_name"] == b["check_job_name"]


async def test_first_matching_rule_wins(mock):
    await add(mock, vendor="stitch", path="/v4/destination-types/*", status=429)
    await add(mock, vendor="stitch", status=503)
    assert (await mock.get("/v4/destination-types/postgres", token="tok-a")).status == 429
    assert (await mock.get("/v4/destinations", token="tok-a", check=False)).status == 503


async def test_list_and_delete_rules(mock):
    first = await add(mock, vendor="stitch", status=429)
    second = await add(mock, latency_ms=5, probability=0.25)
    listed = (await mock.get("/__admin/faults")).body["faults"]
    assert listed == [first, second]
    assert second == {"id": 2, "vendor": None, "method": None, "path": None, "path_regex": None, "probability": 0.25,
                      "count": None, "latency_ms": 5.0, "status": None, "drop": False, "message": None, "fired": 0}
    answer = await mock.delete(f"/__admin/faults/{first['id']}")
    assert answer.status == 200 and answer.body == {"deleted": first["id"]}
    answer = await mock.delete(f"/__admin/faults/{first['id']}")
    assert answer.status == 404 and answer.body == {"error": f"no fault rule {first['id']}"}
    assert (await mock.delete("/__admin/faults")).body == {"deleted": 1}
    assert (await mock.get("/v4/destinations", token="tok-a")).status == 200


async def test_delete_rules_of_one_vendor(mock):
    await add(mock, vendor="stitch", status=429)
    await add(mock, status=500)
    answer = await mock.request("DELETE", "/__admin/faults", params={"vendor": "stitch"})
    assert answer.body == {"deleted": 1}
    assert [r["vendor"] for r in (await mock.get("/__admin/faults")).body["faults"]] == [None]


async def test_a_full_reset_drops_fault_rules(mock):
    await add(mock, vendor="stitch", status=429)
    await mock.post("/__admin/reset")
    assert (await mock.get("/__admin/faults")).body == {"faults": []}


@pytest.mark.parametrize(
    "rule, message",
    [
        ({}, "a rule needs an effect"),
        ({"vendor": "stitch"}, "a rule needs an effect"),
        ({"vendor": "nobody", "status": 500}, "unknown vendor"),
        ({"status": 200}, "status must be a whole number from 400 to 599"),
        ({"status": "500"}, "status must be a whole number"),
        ({"status": 500, "drop": True}, "not both"),
        ({"drop": "yes"}, "drop must be true or false"),
        ({"latency_ms": -5}, "latency_ms must satisfy"),
        ({"latency_ms": [50, 10]}, "latency_ms must satisfy"),
        ({"latency_ms": [1, 2, 3]}, "latency_ms must be a number or a [low, high] pair"),
        ({"latency_ms": 120_000}, "latency_ms must satisfy"),
        ({"status": 500, "probability": 0}, "probability must be a number above 0"),
        ({"status": 500, "probability": 1.5}, "probability must be a number above 0"),
        ({"status": 500, "count": 0}, "count must be a whole number"),
        ({"status": 500, "method": "FETCH"}, "method must be one of"),
        ({"status": 500, "path": "/a", "path_regex": "/a"}, "not both"),
        ({"status": 500, "path_regex": "(["}, "does not compile"),
        ({"status": 500, "path": ""}, "path must be a non-empty string"),
        ({"latency_ms": 5, "message": "x"}, "message only applies with status"),
        ({"status": 500, "kind": "boom"}, "unknown field(s) kind"),
        ([1], "body must be a JSON object"),
    ],
)
async def test_bad_rules_are_refused(mock, rule, message):
    answer = await mock.post("/__admin/faults", rule)
    assert answer.status == 400 and message in answer.body["error"]
    assert (await mock.get("/__admin/faults")).body == {"faults": []}


async def test_a_rule_needs_a_body(mock):
    answer = await mock.request("POST", "/__admin/faults")
    assert answer.status == 400 and answer.body == {"error": "this call needs a JSON object body"}
