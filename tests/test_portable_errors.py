"""Portable's error renderer: every domain error becomes `{"message"}` with a status the spec declares."""

from __future__ import annotations

import pytest

from mockserver.engine.errors import (
    Conflict,
    DomainError,
    ForcedFault,
    Forbidden,
    Invalid,
    InvalidPathParameter,
    MalformedRequest,
    NotFound,
    PayloadTooLarge,
    Unauthorized,
)
from mockserver.resources import specs_dir
from mockserver.spec import load_vendor_spec
from mockserver.spec.validation import errors_of
from mockserver.vendors.portable import errors
from portable_support import NO_API

SPEC = load_vendor_spec("portable", specs_dir() / "portable")
OPERATIONS = {op.operation_id: op for op in SPEC.operations}


def assert_declared(status: int, body: object) -> None:
    """Every operation declares the status, and the body fits its schema."""
    for op in SPEC.operations:
        response = op.response_for(status)
        assert response is not None, f"{op.operation_id} does not declare {status}"
        assert errors_of(response.validator, body) == [], (op.operation_id, body)


@pytest.mark.parametrize(
    "status,message",
    [(429, "Too Many Requests"), (500, "Internal Server Error"), (502, "Bad Gateway"), (503, "Service Unavailable")],
)
def test_forced_faults_use_the_status_phrase(status, message):
    reply = errors.render(ForcedFault(status), None)
    assert (reply.status, reply.body) == (status, {"message": message})
    assert_declared(status, reply.body)


def test_forced_fault_with_its_own_message():
    reply = errors.render(ForcedFault(429, "slow down"), OPERATIONS["listDestinations"])
    assert (reply.status, reply.body) == (429, {"message": "slow down"})


@pytest.mark.parametrize(
    "error,status,message",
    [
        (Unauthorized("no token"), 401, "Unauthorized"),
        (Forbidden("plan"), 403, NO_API),
        (NotFound("destination 5 not found", code="destination"), 404, "Not Found"),
        (NotFound("Not Found", code="route"), 404, "Not Found"),
        (PayloadTooLarge("too big", code="too_large"), 413, "Request Entity Too Large"),
        (MalformedRequest("malformed JSON: x", code="malformed"), 400, "malformed JSON: x"),
        (Invalid("request body is required", code="empty_body"), 400, "request body is required"),
        (Invalid("", code="schema"), 400, "Bad Request"),
        (Conflict("busy"), 400, "busy"),
        (DomainError("internal error", code="internal"), 500, "Internal Server Error"),
    ],
)
def test_domain_errors_render_in_portable_shape(error, status, message):
    reply = errors.render(error, None)
    assert (reply.status, reply.body) == (status, {"message": message})
    assert_declared(status, reply.body)


def test_path_parameter_error_reads_like_go_binding():
    error = InvalidPathParameter("invalid id: x", code="path", name="id", value="x")
    reply = errors.render(error, OPERATIONS["getDestination"])
    assert reply.body == {
        "message": 'Invalid format for parameter id: error binding string parameter: strconv.ParseInt: parsing "x": invalid syntax'
    }


def test_required_query_parameter_without_value_keeps_the_message():
    reply = errors.render(Invalid("query parameter q is required", code="query", name="q"), OPERATIONS["listDestinations"])
    assert reply.body == {"message": "query parameter q is required"}


async def test_unknown_route_answers_portable_404(mock):
    answer = await mock.get("/v2/no-such-collection")
    assert answer.status == 404
    assert answer.body == {"message": "Not Found"}


async def test_a_method_a_path_does_not_have_answers_405_with_allow(mock):
    """Portable is a Go service: its router answers 405 and lists the path's methods [infer]."""
    answer = await mock.delete("/v2/destination-specs")
    assert answer.status == 405
    assert answer.body == {"message": "Method Not Allowed"}
    assert answer.headers["Allow"] == "GET"
    answer = await mock.request("TRACE", "/v2/destinations")
    assert (answer.status, answer.headers["Allow"]) == (405, "GET, POST")
