"""--admin-token guards /__admin (and only /__admin); admin errors are always `{"error": ...}` JSON."""

from __future__ import annotations

import pytest

ADMIN = "adm-s3cret"


@pytest.fixture
async def guarded(make_mock):
    return await make_mock(admin_token=ADMIN)


@pytest.mark.parametrize("path", ["/__admin/health", "/__admin/state", "/__admin/requests", "/__admin/faults"])
async def test_admin_calls_need_the_token(guarded, path):
    answer = await guarded.get(path)
    assert answer.status == 401
    assert answer.body == {"error": "admin token required: send X-Admin-Token: <token> or Authorization: Bearer <token>"}


async def test_a_wrong_token_is_refused_and_changes_nothing(guarded):
    await guarded.get("/v4/destinations", token="tok-a")
    before = guarded.state()
    answer = await guarded.post("/__admin/reset", headers={"X-Admin-Token": "guess"})
    assert answer.status == 401
    answer = await guarded.post("/__admin/reset", token="adm-s3cre")
    assert answer.status == 401
    assert guarded.state() == before


async def test_the_token_as_header_or_bearer(guarded):
    assert (await guarded.get("/__admin/health", headers={"X-Admin-Token": ADMIN})).status == 200
    assert (await guarded.get("/__admin/health", token=ADMIN)).status == 200


async def test_unknown_admin_paths_stay_hidden_without_the_token(guarded):
    assert (await guarded.get("/__admin/nothing-here")).status == 401


async def test_vendor_routes_do_not_need_the_admin_token(guarded):
    assert (await guarded.get("/v4/destinations", token="tok-a")).status == 200


async def test_without_a_configured_token_admin_is_open(mock):
    assert (await mock.get("/__admin/health")).status == 200


async def test_unknown_admin_call_is_a_json_404(mock):
    answer = await mock.get("/__admin/nothing-here")
    assert answer.status == 404
    assert answer.body == {"error": "no admin call GET /__admin/nothing-here; see the README's Control plane section"}


async def test_wrong_method_on_an_admin_call_is_a_json_405(mock):
    answer = await mock.delete("/__admin/state")
    assert answer.status == 405
    assert answer.body == {"error": "DELETE is not allowed on /__admin/state"}
