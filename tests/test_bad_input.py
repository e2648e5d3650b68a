"""Bad input of every kind, against every vendor: the vendor's error shape and status, no state change.

Shapes are checked by the harness against each vendor's spec; here we pin the status and prove the
state is untouched.
"""

from __future__ import annotations

import json

import pytest

from vendor_matrix import CASES

TOKEN = "bad-input-token"

BAD_BODIES = {
    "malformed JSON": (b'{"type": ', "application/json"),
    "trailing garbage": (b'{"a": 1} trailing', "application/json"),
    "empty body": (b"", "application/json"),
    "whitespace body": (b"  \n ", "application/json"),
    "JSON array": (b"[1, 2]", "application/json"),
    "JSON string": (b'"destination"', "application/json"),
    "JSON null": (b"null", "application/json"),
    "deeply nested": (b'{"a": ' + b"[" * 3000 + b"]" * 3000 + b"}", "application/json"),
    "huge number": (b'{"n": ' + b"9" * 5000 + b"}", "application/json"),
    "64-bit overflow": (b'{"n": 184467440737095516160}', "application/json"),
    "non-UTF-8": (b'{"name": "\xff\xfe\xfa"}', "application/json"),
    "UTF-16": ('{"a": 1}'.encode("utf-16"), "application/json"),
    "XML": (b"<destination><type>postgres</type></destination>", "text/xml"),
    "form data": (b"type=postgres&name=x", "multipart/form-data; boundary=x"),
}


async def refused(mock, method, path, expected_status, **kw):
    before = mock.state()
    answer = await mock.request(method, path, **kw)
    assert answer.status in expected_status, answer
    assert mock.state() == before
    return answer


@pytest.mark.parametrize("vendor", sorted(CASES))
@pytest.mark.parametrize("case", sorted(BAD_BODIES))
async def test_bad_bodies_are_400(mock, vendor, case):
    data, ctype = BAD_BODIES[case]
    await refused(mock, "POST", CASES[vendor].collection, {400}, token=TOKEN, data=data, headers={"Content-Type": ctype})


@pytest.mark.parametrize("vendor", sorted(CASES))
async def test_body_over_the_limit_is_413(make_mock, vendor):
    mock = await make_mock(max_body_bytes=64 * 1024)
    body = dict(CASES[vendor].create_body)
    body["padding"] = "x" * (128 * 1024)
    await refused(mock, "POST", CASES[vendor].collection, {413}, token=TOKEN, data=json.dumps(body),
                  headers={"Content-Type": "application/json"})


@pytest.mark.parametrize("vendor", sorted(CASES))
async def test_default_limit_is_one_mebibyte(mock, vendor):
    data = b'{"pad": "' + b"x" * (1024 * 1024) + b'"}'
    await refused(mock, "POST", CASES[vendor].collection, {413}, token=TOKEN, data=data,
                  headers={"Content-Type": "application/json"})


PATH_TRICKS = ["..", "..%2F..%2Fetc%2Fpasswd", "%2F", "a%2Fb", "%00", "9" * 40, "x" * 5000, "%E2%98%83", "-1", "1.0", "0x10"]


@pytest.mark.parametrize("vendor", sorted(CASES))
@pytest.mark.parametrize("trick", PATH_TRICKS)
async def test_ids_with_path_tricks(mock, vendor, trick):
    case = CASES[vendor]
    created = await mock.post(case.collection, case.create_body, token=TOKEN)
    assert created.status == case.created
    path = f"{case.collection}/{trick}"
    await refused(mock, "GET", path, {400, 404}, token=TOKEN)
    await refused(mock, case.update_method, path, {400, 404}, token=TOKEN, json_body=case.update_body("x"))
    await refused(mock, "DELETE", path, {400, 404}, token=TOKEN)


@pytest.mark.parametrize("vendor", ["portable", "census"])
async def test_unknown_query_parameters_are_ignored(mock, vendor):
    case = CASES[vendor]
    await mock.post(case.collection, case.create_body, token=TOKEN)
    answer = await mock.get(case.collection, token=TOKEN, params={"colour": "blue", "expand[]": "x"})
    assert answer.status == 200 and len(case.unwrap(answer.body)) == 1


async def test_stitch_refuses_unknown_query_parameters(mock):
    await refused(mock, "GET", "/v4/destinations", {400}, token=TOKEN, params={"colour": "blue"})


def _spellings(real_id: int) -> list[str]:
    """Ways to write an existing id that Python's int() accepts but no vendor does."""
    digits = str(real_id)
    arabic_indic = "".join(chr(0x0660 + int(d)) for d in digits)
    return [f"{digits[:1]}_{digits[1:]}", f"%2B{digits}", f"%20{digits}", f"{digits}%20", arabic_indic, f"{digits}.0"]


@pytest.mark.parametrize("vendor", sorted(CASES))
async def test_an_existing_id_spelled_otherwise_names_nothing(mock, vendor):
    case = CASES[vendor]
    created = case.unwrap((await mock.post(case.collection, case.create_body, token=TOKEN)).body)
    item = f"{case.collection}/{created['id']}"
    assert (await mock.request(case.update_method, item, token=TOKEN, json_body=case.update_body("ok"))).status == 200
    for spelling in _spellings(created["id"]):
        path = f"{case.collection}/{spelling}"
        await refused(mock, case.update_method, path, {400, 404}, token=TOKEN, json_body=case.update_body("other"))
        await refused(mock, "DELETE", path, {400, 404}, token=TOKEN)
    listed = case.unwrap((await mock.get(case.collection, token=TOKEN)).body)
    assert [case.marker(d) for d in listed] == ["ok"]


async def test_unicode_digits_do_not_pass_a_digits_pattern(mock):
    from stitch_support import SEED_V4_CREATE

    body = {**SEED_V4_CREATE, "properties": {**SEED_V4_CREATE["properties"], "port": "\u0665\u0664\u0663\u0662"}}
    answer = await refused(mock, "POST", "/v4/destinations", {400}, token=TOKEN, json_body=body)
    assert answer.body["data"]["bad_properties"] == ["port"]
    await refused(mock, "GET", "/v4/destinations", {400}, token=TOKEN, params={"destination_id": "\u0663"})
