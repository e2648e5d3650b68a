"""Same seed, same requests: the same answers, byte for byte. Reset returns to a fresh start."""

from __future__ import annotations

from stitch_support import SEED_V4_CREATE


async def drive(mock) -> list[str]:
    texts = []
    for token in ("ac_one", "ac_two"):
        texts.append((await mock.post("/v4/destinations", SEED_V4_CREATE, token=token)).text)
    mock.advance(3)
    for token in ("ac_one", "ac_two"):
        texts.append((await mock.get("/v4/destinations", token=token)).text)
    return texts


async def test_same_seed_same_bytes(make_mock):
    first = await drive(await make_mock(seed=7))
    second = await drive(await make_mock(seed=7))
    assert first == second
    other = await drive(await make_mock(seed=8))
    assert other != first  # check job uuids come from the seed


async def test_reset_starts_over_with_the_same_ids(mock):
    first = await drive(mock)
    answer = await mock.post("/__admin/reset")
    assert answer.status == 200
    assert (await mock.get("/v4/destinations", token="ac_one")).body == []
    # The virtual clock keeps its time across a reset, so compare everything but timestamps.
    again = (await mock.post("/v4/destinations", SEED_V4_CREATE, token="ac_one")).body
    assert again["id"] == 337658 and again["stitch_client_id"] == 116078
    assert again["check_job_name"] in first[0]
