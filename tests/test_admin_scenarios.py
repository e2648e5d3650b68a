"""Forced connection-check outcomes over HTTP: /__admin/scenarios/checks."""

from __future__ import annotations

import pytest
from stitch_support import postgres

from mockserver.engine.journal import fingerprint



async def check_of(mock, token: str, destination_id: int) -> dict:
    return (await mock.get(f"/v4/destinations/{destination_id}/last-connection-check", token=token)).body


async def create_and_check(mock, token: str = "tok-a", **overrides: str) -> dict:
    created = (await mock.post("/v4/destinations", postgres(**overrides), token=token)).body
    await mock.post("/__admin/clock/advance", {"seconds": 2})
    return await check_of(mock, token, created["id"])


async def test_force_the_next_check_to_fail_with_a_message(mock):
    answer = await mock.post("/__admin/scenarios/checks", {"vendor": "stitch", "message": "SSL SYSCALL error: EOF detected"})
    assert answer.status == 201
    assert answer.body == {"id": 1, "vendor": "stitch", "ok": False, "message": "SSL SYSCALL error: EOF detected",
                           "tenant": None, "resource_id": None, "remaining": 1}
    check = await create_and_check(mock)
    assert check["status"] == "failed" and check["discovery_error_message"] == "SSL SYSCALL error: EOF detected"
    # Used up: the next check follows the rules again.
    assert (await create_and_check(mock, token="tok-b"))["status"] == "succeeded"
    assert (await mock.get("/__admin/scenarios/checks")).body == {"checks": []}


async def test_force_the_next_n_checks(mock):
    await mock.post("/__admin/scenarios/checks", {"vendor": "stitch", "times": 2})
    results = [(await create_and_check(mock, token=f"tok-{i}"))["status"] for i in range(3)]
    assert results == ["failed", "failed", "succeeded"]


async def test_force_a_success_over_the_rules(mock):
    await mock.post("/__admin/scenarios/checks", {"vendor": "stitch", "ok": True})
    assert (await create_and_check(mock, host="db.example.invalid"))["status"] == "succeeded"


async def test_force_only_for_one_token(mock):
    answer = await mock.post("/__admin/scenarios/checks", {"vendor": "stitch", "token": "tok-b", "message": "boom"})
    assert answer.body["tenant"] == fingerprint("tok-b")
    assert (await create_and_check(mock, token="tok-a"))["status"] == "succeeded"
    check = await create_and_check(mock, token="tok-b")
    assert check["status"] == "failed" and check["discovery_error_message"] == "boom"


async def test_force_only_for_one_destination(mock):
    created = (await mock.post("/v4/destinations", postgres(), token="tok-a")).body
    await mock.post("/__admin/clock/advance", {"seconds": 2})
    await mock.post("/__admin/scenarios/checks", {"vendor": "stitch", "destination_id": created["id"], "message": "gone"})
    other = await create_and_check(mock, token="tok-b")
    assert other["status"] == "succeeded"
    await mock.put(f"/v4/destinations/{created['id']}", {"properties": {"password": "new"}}, token="tok-a")
    await mock.post("/__admin/clock/advance", {"seconds": 2})
    check = await check_of(mock, "tok-a", created["id"])
    assert check["status"] == "failed" and check["discovery_error_message"] == "gone"


async def test_list_and_delete_forced_outcomes(mock):
    first = (await mock.post("/__admin/scenarios/checks", {"vendor": "stitch"})).body
    second = (await mock.post("/__admin/scenarios/checks", {"vendor": "stitch", "resource_id": "42", "times": 3})).body
    listed = (await mock.get("/__admin/scenarios/checks")).body["checks"]
    assert [c["id"] for c in listed] == [first["id"], second["id"]]
    assert listed[1]["resource_id"] == "42" and listed[1]["remaining"] == 3
    answer = await mock.delete(f"/__admin/scenarios/checks/{first['id']}")
    assert answer.status == 200 and answer.body == {"deleted": first["id"]}
    answer = await mock.delete(f"/__admin/scenarios/checks/{first['id']}")
    assert answer.status == 404 and answer.body == {"error": f"no forced check outcome {first['id']}"}
    answer = await mock.delete("/__admin/scenarios/checks")
    assert answer.status == 200 and answer.body == {"deleted": 1}
    assert (await mock.get("/__admin/scenarios/checks")).body == {"checks": []}


async def test_delete_forced_outcomes_of_one_vendor(mock):
    await mock.post("/__admin/scenarios/checks", {"vendor": "stitch"})
    answer = await mock.request("DELETE", "/__admin/scenarios/checks", params={"vendor": "stitch"})
    assert answer.body == {"deleted": 1}
    answer = await mock.request("DELETE", "/__admin/scenarios/checks", params={"vendor": "nobody"})
    assert answer.status == 400 and "unknown vendor" in answer.body["error"]


async def test_delete_with_a_non_numeric_id_is_not_found(mock):
    answer = await mock.delete("/__admin/scenarios/checks/abc")
    assert answer.status == 404 and "whole number" in answer.body["error"]


@pytest.mark.parametrize(
    "body, message",
    [
        ({}, "vendor is required"),
        ({"vendor": "nobody"}, "vendor is required and must be one of"),
        ({"vendor": "stitch", "ok": "no"}, "ok must be true or false"),
        ({"vendor": "stitch", "message": ""}, "message must be a non-empty string"),
        ({"vendor": "stitch", "ok": True, "message": "x"}, "message only applies to a failing check"),
        ({"vendor": "stitch", "token": 7}, "token must be a non-empty string"),
        ({"vendor": "stitch", "resource_id": [1]}, "resource_id must be a string or an integer"),
        ({"vendor": "stitch", "resource_id": 1, "destination_id": 1}, "not both"),
        ({"vendor": "stitch", "times": 0}, "times must be a whole number"),
        ({"vendor": "stitch", "times": 1.5}, "times must be a whole number"),
        ({"vendor": "stitch", "when": "now"}, "unknown field(s) when"),
        ([], "body must be a JSON object"),
    ],
)
async def test_forcing_refuses_bad_input(mock, body, message):
    answer = await mock.post("/__admin/scenarios/checks", body)
    assert answer.status == 400 and message in answer.body["error"]
    assert (await mock.get("/__admin/scenarios/checks")).body == {"checks": []}


async def test_forcing_needs_a_body(mock):
    answer = await mock.request("POST", "/__admin/scenarios/checks")
    assert answer.status == 400 and answer.body == {"error": "this call needs a JSON object body"}
