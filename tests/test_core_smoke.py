"""The core answers: health, unknown routes under each prefix, JSON 404s elsewhere."""

from __future__ import annotations


async def test_health_lists_vendors_and_version(mock):
    answer = await mock.get("/__admin/health")
    assert answer.status == 200
    assert answer.body["status"] == "ok"
    assert answer.body["version"]
    assert {v["name"] for v in answer.body["vendors"]} >= {"stitch"}


async def test_unknown_path_outside_vendors_is_json_404(mock):
    answer = await mock.request("GET", "/nowhere", check=False)
    assert answer.status == 404
    assert answer.body == {"message": "Not Found"}
