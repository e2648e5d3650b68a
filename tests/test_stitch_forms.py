"""What Stitch keeps per source type so that an answer about a source is cheap: form properties by
name, report cards built once per step and property set (bounded), and which sources have a
selected stream (kept until the store changes). Each must answer as if it were worked out afresh."""

from __future__ import annotations

from stitch_support import RECURLY_CREATE, card_step, select

from mockserver.resources import fixtures_dir
from mockserver.vendors.stitch.catalogue import MAX_CARDS, FormIndex
from mockserver.vendors.stitch.source_types import SourceCatalogue

TOKEN = "ac_forms"


def hubspot():
    stype = SourceCatalogue.load(fixtures_dir() / "stitch" / "source-types.yaml").get("platform.hubspot")
    assert stype is not None and stype.oauth is not None
    return stype


def test_form_index_answers_as_a_scan_of_the_form_in_order():
    stype = hubspot()
    doubled = stype.properties + stype.properties[:1]  # a second property of the first one's name
    index = FormIndex(doubled)
    for prop in stype.properties:
        assert index.get(prop.name) is next(p for p in doubled if p.name == prop.name)
    assert index.get("not_a_property") is None
    assert index.credential_names == frozenset(p.name for p in stype.properties if p.is_credential)
    assert stype.form_property("start_date") is index.get("start_date")


def test_shared_cards_equal_fresh_ones_and_stay_bounded():
    stype = hubspot()
    names = [p.name for p in stype.properties]
    for step in stype.step_types:
        for given in ([], names[:1], names, names + ["undeclared"]):
            card = stype.report_card(step, given)
            assert card == stype._report_card(step, frozenset(given) & frozenset(names))
            assert stype.report_card(step, set(given)) is card  # the same set of names: the same card
    for n in range(MAX_CARDS * 2):  # more combinations than kept: older cards go, none is wrong
        given = [name for bit, name in enumerate(names) if n >> bit & 1]
        assert stype.report_card("form", given)["steps"][0]["properties"][0]["provided"] == (names[0] in given)
        assert len(stype._cards) <= MAX_CARDS


async def test_the_step_follows_stream_selection_at_once(make_mock):
    mock = await make_mock(check_delay=0)
    mine = (await mock.post("/v4/sources", RECURLY_CREATE, token=TOKEN)).body
    theirs = (await mock.post("/v4/sources", RECURLY_CREATE, token=TOKEN + "_other")).body
    path = f"/v4/sources/{mine['id']}"
    assert card_step((await mock.get(path, token=TOKEN)).body) == (3, "field_selection")
    assert (await mock.put(f"{path}/streams/metadata", select("accounts"), token=TOKEN)).status == 200
    assert card_step((await mock.get(path, token=TOKEN)).body) == (4, "fully_configured")
    other = (await mock.get(f"/v4/sources/{theirs['id']}", token=TOKEN + "_other")).body
    assert card_step(other) == (3, "field_selection")  # another account's selection is its own
    deselect = {"streams": [{"tap_stream_id": "accounts", "metadata": [{"breadcrumb": [], "metadata": {"selected": False}}]}]}
    assert (await mock.put(f"{path}/streams/metadata", deselect, token=TOKEN)).status == 200
    assert card_step((await mock.get(path, token=TOKEN)).body) == (3, "field_selection")
