"""--demo's Census warehouse: a source with models, two syncs, and a run history in every state."""

from __future__ import annotations

from mockserver.demo import seed_demo
from mockserver.demo.census import WORKSPACE


async def test_the_demo_has_a_source_models_syncs_and_runs(make_mock):
    mock = await make_mock(demo=True)
    await seed_demo(mock.app, str(mock.client.make_url("")).rstrip("/"))
    sources = (await mock.get("/api/v1/sources", token=WORKSPACE)).body["data"]
    assert [(s["label"], s["type"], s["last_test_succeeded"]) for s in sources] == [("Analytics warehouse", "snowflake", True)]
    models = (await mock.get(f"/api/v1/sources/{sources[0]['id']}/models", token=WORKSPACE, params={"order": "asc"})).body["data"]
    assert [m["name"] for m in models] == ["Active users", "Churn risk"]
    syncs = (await mock.get("/api/v1/syncs", token=WORKSPACE, params={"order": "asc"})).body["data"]
    assert [(s["label"], s["resource_identifier"], s["status"]) for s in syncs] == [
        ("Active users to Braze", f"sync_{syncs[0]['id']}", "up to date"), (None, f"sync_{syncs[1]['id']}", "failing"),
    ]
    history = {}
    for sync in syncs:
        runs = (await mock.get(f"/api/v1/syncs/{sync['id']}/sync_runs", token=WORKSPACE)).body["data"]
        history[sync["id"]] = [r["status"] for r in runs]
    assert history == {syncs[0]["id"]: ["queued", "completed"], syncs[1]["id"]: ["failed"]}
