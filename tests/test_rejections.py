"""Why a request was refused: the `X-Mock-Rejection` header, the access log line and the journal
entry all carry the same reason, the vendor's body stays exactly the vendor's, and no credential
reaches the log, the journal or the reason."""

from __future__ import annotations

import json
import logging
import re

import pytest
from census_support import SEED_CREATE as CENSUS_CREATE
from stitch_support import SEED_V4_CREATE

from mockserver.rejections import HEADER, header_value, redact

SECRET_TOKEN = "sk-live-abcdefghijklmnop"


async def last_entry(mock) -> dict:
    return (await mock.get("/__admin/requests", params={"limit": "1"})).body["requests"][0]


async def test_a_malformed_stitch_body_keeps_stitch_words_and_says_why_in_the_header(mock):
    answer = await mock.request("POST", "/v4/destinations", token="tok-a", data=b'{"type": ',
                                headers={"Content-Type": "application/json"})
    assert answer.status == 400
    assert answer.body == ("POST body may only include a type, a name, a description, map of properties, "
                           "and boolean for unmapped sources")
    reason = answer.headers[HEADER]
    assert reason.startswith("malformed: malformed JSON")
    entry = await last_entry(mock)
    assert entry["reason"] == reason and entry["status"] == 400


async def test_schema_problems_are_named(mock):
    answer = await mock.post("/v4/destinations", {"type": "postgres", "colour": "blue"}, token="tok-a")
    assert answer.status == 400
    assert answer.headers[HEADER] == "invalid: unknown field colour; properties is required"


@pytest.mark.parametrize("path", ["/v4/destinations", "/v2/destinations", "/api/v1/destinations"])
async def test_a_missing_credential_is_an_auth_rejection(mock, path):
    answer = await mock.get(path)
    assert answer.status == 401
    assert answer.headers[HEADER] == "auth: missing or malformed bearer token"
    assert (await last_entry(mock))["reason"] == answer.headers[HEADER]


async def test_census_basic_auth_with_the_wrong_user(mock):
    answer = await mock.get("/api/v1/destinations", basic=("admin", "k"))
    assert answer.body == {"status": 401}
    assert answer.headers[HEADER] == "auth: Basic auth must be bearer:<workspace key>"


async def test_strict_auth_says_the_token_is_not_declared(make_mock):
    mock = await make_mock(strict_auth=True)
    answer = await mock.get("/v2/destinations", token="pt-unknown")
    assert answer.status == 401 and answer.body == {"message": "Unauthorized"}
    assert answer.headers[HEADER] == "auth: token not declared (strict auth)"


async def test_not_found_record_route_and_path_parameter(mock):
    record = (await mock.get("/api/v1/destinations/999", token="k")).headers[HEADER]
    assert record.startswith("not found: ") and record.endswith(" 999")
    route = await mock.get("/v4/nowhere", token="k")
    assert route.status == 404 and route.body == "Not Found"
    assert route.headers[HEADER] == "not found: no stitch operation matches GET /v4/nowhere"
    bad_id = await mock.get("/v2/destinations/abc", token="k")
    assert bad_id.status == 400 and bad_id.headers[HEADER] == "invalid path: invalid id: abc"


async def test_the_stitch_destination_limit(mock):
    await mock.post("/v4/destinations", SEED_V4_CREATE, token="tok-a")
    answer = await mock.post("/v4/destinations", SEED_V4_CREATE, token="tok-a")
    assert answer.body == "you are at your destination limit"
    assert answer.headers[HEADER] == "limit: you are at your destination limit"


async def test_a_forced_fault_says_which_rule(mock):
    rule = (await mock.post("/__admin/faults", {"vendor": "census", "status": 503, "count": 1})).body
    answer = await mock.get("/api/v1/destinations", token="k", check=False)
    assert answer.status == 503 and answer.body == {"status": "error", "message": "Service unavailable"}
    assert answer.headers[HEADER] == f"fault: rule {rule['id']} forced status 503"
    entry = await last_entry(mock)
    assert (entry["fault"], entry["reason"]) == ("status", answer.headers[HEADER])


async def test_a_dropped_connection_is_journaled_with_its_reason(mock):
    await mock.post("/__admin/faults", {"vendor": "portable", "drop": True, "count": 2})
    with pytest.raises(Exception):
        await mock.get("/v2/destinations", token="k")
    entry = await last_entry(mock)
    assert (entry["status"], entry["reason"]) == (0, "fault: rule 1 dropped the connection")


async def test_successes_carry_no_reason(mock):
    answer = await mock.get("/v4/destinations", token="tok-a")
    assert answer.status == 200 and HEADER not in answer.headers
    assert (await last_entry(mock))["reason"] is None


async def test_the_body_over_the_size_limit(make_mock):
    mock = await make_mock(max_body_bytes=100)
    answer = await mock.request("POST", "/v2/destinations", token="k", data=b"{" + b" " * 200 + b"}",
                                headers={"Content-Type": "application/json"})
    assert answer.status == 413 and answer.headers[HEADER].startswith("too large: ")


async def test_a_rejection_changes_nothing(mock):
    before = mock.state()
    answer = await mock.post("/api/v1/destinations", {"service_connection": {"type": "nope"}}, token="k")
    assert answer.status == 400 and answer.headers[HEADER].startswith("invalid: Invalid destination type: nope")
    assert mock.state() == before


# -- the log line ------------------------------------------------------------------------------------

async def test_the_log_line_has_query_status_fault_and_reason_and_no_secret(mock, caplog):
    caplog.set_level(logging.INFO, logger="mockserver.access")
    await mock.post("/__admin/faults", {"vendor": "census", "method": "GET", "status": 429, "count": 1})
    await mock.get("/api/v1/destinations", token=SECRET_TOKEN, params={"page": "2", "api_key": "hidden-value"})
    await mock.get("/api/v1/destinations", token=SECRET_TOKEN, params={"page": "x"})
    lines = [r.getMessage() for r in caplog.records if r.name == "mockserver.access" and "/api/v1" in r.getMessage()]
    assert lines[0].startswith("census GET /api/v1/destinations?page=2&api_key=******** 429 ")
    assert lines[0].endswith(' fault=status reason="fault: rule 1 forced status 429"')
    assert lines[1].startswith("census GET /api/v1/destinations?page=x 400 ")
    assert "tenant=sk-l…" in lines[1]
    assert lines[1].endswith(' reason="invalid: invalid value for query parameter page"')
    assert SECRET_TOKEN not in caplog.text and "hidden-value" not in caplog.text


async def test_debug_adds_the_journal_detail_with_credentials_masked(mock, caplog):
    caplog.set_level(logging.DEBUG, logger="mockserver.access")
    body = {**CENSUS_CREATE, "credentials": {**CENSUS_CREATE.get("credentials", {}), "api_key": "very-secret-key"}}
    await mock.post("/api/v1/destinations", body, token=SECRET_TOKEN, params={"trace": "1"},
                    headers={"User-Agent": "my-client/1.0"}, check=False)
    detail = [r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG and r.name == "mockserver.access"]
    assert len(detail) == 1
    assert '"operation_id":"createDestination"' in detail[0]
    assert '"query":{"trace":"1"}' in detail[0] and '"user_agent":"my-client/1.0"' in detail[0]
    assert "very-secret-key" not in caplog.text and SECRET_TOKEN not in caplog.text


async def test_info_adds_no_detail_line(mock, caplog):
    caplog.set_level(logging.INFO, logger="mockserver.access")
    await mock.get("/v4/destinations", token="tok-a")
    assert [r.levelno for r in caplog.records if r.name == "mockserver.access"] == [logging.INFO]


# -- credentials never reach a reason ------------------------------------------------------------------

async def test_a_reason_quoting_a_credential_is_blanked(make_mock, monkeypatch):
    """A vendor message that echoes a secret (here from a swapped-in handler) is redacted before it is shown."""
    from mockserver.engine.errors import Invalid
    from mockserver.vendors.stitch import StitchVendor

    def echo(ctx):
        raise Invalid(f"'{ctx.body['properties']['password']}' is too short; token {SECRET_TOKEN}")

    built = StitchVendor.__init__

    def init(self, *args, **kwargs):
        built(self, *args, **kwargs)
        self.handlers["create-a-destination-v4"] = echo

    monkeypatch.setattr(StitchVendor, "__init__", init)
    mock = await make_mock()
    body = {**SEED_V4_CREATE, "properties": {**SEED_V4_CREATE["properties"], "password": "hunter2-long"}}
    answer = await mock.post("/v4/destinations", body, token=SECRET_TOKEN)
    assert answer.status == 400
    assert answer.headers[HEADER] == "invalid: '********' is too short; token ********"
    entry = await last_entry(mock)
    assert "hunter2-long" not in str(entry) and SECRET_TOKEN not in str(entry)


def test_redaction_matches_whole_values_only():
    assert redact("p is wrong for 'p' and pp", {"p"}) == "******** is wrong for '********' and pp"
    assert redact("nothing to hide", set()) == "nothing to hide"


def test_header_values_are_one_printable_ascii_line():
    assert header_value("a\r\nb\tc") == "a b c"
    assert header_value("naïve") == "na\\xefve"
    assert len(header_value("x" * 5000)) == 1000


# Every schema keyword whose jsonschema message quotes the instance, with a schema it fails under
# when the instance is (or holds) a credential, and the sentence said instead.
QUOTING_KEYWORDS = [
    ({"minLength": 20}, "hunter2-secret", "body must be at least 20 characters"),
    ({"maxLength": 1}, "hunter2-secret", "body must be at most 1 character"),
    ({"pattern": "^x"}, "hunter2-secret", "body does not match ^x"),
    ({"const": "x"}, "hunter2-secret", 'body must be "x"'),
    ({"enum": ["a", "b"]}, "hunter2-secret", "body must be one of a, b"),
    ({"anyOf": [{"type": "integer"}, {"type": "boolean"}]}, {"password": "hunter2-secret"},
     "body matches none of the allowed forms"),
    ({"oneOf": [{"type": "integer"}, {"type": "boolean"}]}, {"password": "hunter2-secret"},
     "body matches none of the allowed forms"),
    ({"oneOf": [{"type": "object"}, {"required": ["password"]}]}, {"password": "hunter2-secret"},
     "body matches more than one of the allowed forms"),
    ({"not": {"required": ["password", "token"]}}, {"password": "hunter2-secret", "token": "t-secret"},
     "body must not have all of password, token"),
    ({"not": {"type": "object"}}, {"password": "hunter2-secret"}, "body matches a form that is not allowed"),
    ({"minItems": 2}, ["hunter2-secret"], "body must have at least 2 items"),
    ({"maxItems": 1}, ["hunter2-secret", "x"], "body must have at most 1 item"),
    ({"uniqueItems": True}, ["hunter2-secret", "hunter2-secret"], "body must not repeat an item"),
    ({"contains": {"type": "integer"}}, ["hunter2-secret"], "body must contain an item of the allowed form"),
    ({"maxProperties": 0}, {"password": "hunter2-secret"}, "body must have at most 0 fields"),
    ({"properties": {"pin": {"maximum": 10}}}, {"pin": 123456789}, "pin must be at most 10"),
    ({"properties": {"pin": {"multipleOf": 7}}}, {"pin": 123456789}, "pin must be a multiple of 7"),
]


@pytest.mark.parametrize(("schema", "instance", "sentence"), QUOTING_KEYWORDS)
def test_a_schema_problem_never_quotes_the_value(schema, instance, sentence):
    """The sentence goes to the client, the header, the log and the journal, where a body's secret
    is blanked only if the mask knows it: so it names the field and the rule, never the value."""
    from mockserver.spec.validation import compile_schema, errors_of

    assert errors_of(compile_schema(schema), instance) == [sentence]


async def test_a_body_refused_by_its_schema_is_journaled_masked_and_its_secret_shown_nowhere(mock, caplog):
    """A Census sync whose source object carries a password fails the schema: the answer, the header,
    the log line and the journal all say why without the password, the journal keeps the body it
    refused (masked), and nothing is stored."""
    caplog.set_level(logging.INFO, logger="mockserver.access")
    before = mock.state()
    body = {"operation": "upsert", "source_attributes": {"connection_id": 1, "object": {"password": "hunter2-secret"}},
            "destination_attributes": {"connection_id": 2, "object": "contact"}, "mappings": []}
    answer = await mock.post("/api/v1/syncs", body, token=SECRET_TOKEN)
    assert answer.status == 400
    assert answer.body == {"status": "error", "message": (
        "mappings must contain an item of the allowed form; mappings must have at least 1 item; "
        "source_attributes.object matches none of the allowed forms; source_attributes.object.type is required")}
    assert answer.headers[HEADER] == "invalid: " + answer.body["message"]
    entry = await last_entry(mock)
    assert entry["reason"] == answer.headers[HEADER]
    assert entry["request_body"]["source_attributes"]["object"] == {"password": "********"}
    assert entry["request_body"]["mappings"] == []
    assert "hunter2-secret" not in caplog.text and "hunter2-secret" not in str(entry)
    assert mock.state() == before


LEAK = "hunter2-leak-probe"


def bodies_with_a_secret(schema: object, depth: int = 0):
    """Bodies that carry LEAK only under names that the journal masks, at the top and under every
    property the schema declares (two levels down, through allOf/oneOf/anyOf): most are refused,
    some by the schema, some by a handler, some are accepted."""
    yield {"password": LEAK}
    yield {"api_key": LEAK, "name": "x"}
    yield {"credentials": {"password": LEAK}}
    yield {"properties": {"password": LEAK, "host": "db.example.com"}}
    if depth < 2 and isinstance(schema, dict):
        for name, inner in (schema.get("properties") or {}).items():
            for body in bodies_with_a_secret(inner, depth + 1):
                yield {name: body}
        for key in ("allOf", "oneOf", "anyOf"):
            for inner in schema.get(key, []):
                yield from bodies_with_a_secret(inner, depth)


@pytest.mark.parametrize("vendor", ["stitch", "portable", "census"])
async def test_a_body_secret_reaches_no_answer_header_log_line_or_journal_entry(mock, caplog, vendor):
    """Every operation that takes a body, sent secrets in every place the spec names: whatever it
    answers, the secret is in none of what the server shows."""
    from mockserver.app import REGISTRY

    caplog.set_level(logging.DEBUG, logger="mockserver.access")
    sent = 0
    for operation in mock.app[REGISTRY].specs[vendor].operations:
        if operation.body_schema is None:
            continue
        path = re.sub(r"\{[^}]+\}", "1", operation.path)
        for body in {json.dumps(b, sort_keys=True): b for b in bodies_with_a_secret(operation.body_schema)}.values():
            answer = await mock.request(operation.method, path, token="tok-leak", json_body=body)
            assert LEAK not in answer.text, (operation.operation_id, body, answer)
            assert all(LEAK not in value for value in answer.headers.values()), (operation.operation_id, body)
            sent += 1
    journal = (await mock.get("/__admin/requests", params={"limit": "100000"})).text
    assert 50 < sent <= mock.settings.journal_size and LEAK not in journal and LEAK not in caplog.text
