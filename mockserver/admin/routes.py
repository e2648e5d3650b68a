"""The admin routes: each one reads its input (JSON body or query string) and calls `Control`.

| call                                        | what it does                                          |
|---------------------------------------------|-------------------------------------------------------|
| GET    /__admin/health                      | liveness, version, vendors, clock                     |
| POST   /__admin/reset                       | drop state: all, one vendor, or one vendor's token    |
| GET    /__admin/state                       | export all state (all vendors, all tenants, jobs)     |
| PUT    /__admin/state                       | replace all state (validated first)                   |
| GET    /__admin/requests                    | journal entries, filtered, newest `limit`             |
| DELETE /__admin/requests                    | empty the journal                                     |
| GET    /__admin/requests/count              | how many entries match (query-string filters)         |
| POST   /__admin/requests/count              | the same with a JSON body (WireMock's verify)         |
| GET    /__admin/clock                       | the clock and pending jobs                            |
| POST   /__admin/clock/advance               | move a virtual clock, running every job that falls due |
| GET/POST/DELETE /__admin/scenarios/checks   | forced connection-check outcomes                      |
| DELETE /__admin/scenarios/checks/{id}       | drop one forced outcome                               |
| GET/POST/DELETE /__admin/faults             | fault rules                                           |
| GET    /__admin/lifecycles                  | every lifecycle: states, delays, mode, runs in flight |
| GET    /__admin/lifecycles/{name}           | one lifecycle, with its runs and forced outcomes      |
| PUT    /__admin/lifecycles/{name}           | set its mode (time/immediate/manual) and/or delays    |
| POST/DELETE /__admin/lifecycles/{name}/force | force the next run(s)' outcome / drop those rules    |
| POST   /__admin/lifecycles/{name}/advance   | move one run (token, resource_id) or all one step     |
| DELETE /__admin/faults/{id}                 | drop one fault rule                                   |
| GET    /__admin/records/{vendor}/{resource} | one token's records of a resource (?token=)           |
| PATCH  /__admin/records/{vendor}/{resource}/{id} | set fields of a record, held to the vendor's spec |
| GET    /__admin/specs/{vendor}              | the vendor's OpenAPI 3.1 document, this server first  |
| GET    /__admin/docs                        | the OpenAPI document of /__admin (`?format=html`)     |
| GET    /__admin/ui                          | the dashboard (HTML, script, style sheet)             |
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable

from aiohttp import web

from mockserver.admin.control import Control
from mockserver.admin.dashboard import dashboard_routes
from mockserver.admin.docs import docs_routes, guard
from mockserver.admin.http import AdminError, read_json, read_object, reply
from mockserver.spec.export import served_document

Route = Callable[[web.Request], Awaitable[web.StreamResponse]]


def setup_admin(app: web.Application, control: Control,
                add_route: Callable[[str, str, Route], Any] | None = None) -> None:
    """The admin routes, each added through `add_route` (the app wraps its handlers in the request
    steps there; by default the router's own)."""
    add_route = add_route or app.router.add_route

    async def health(request: web.Request) -> web.Response:
        health = control.health()
        return reply(health, 503 if health["status"] == "starting" else 200)  # 503 until --demo/--load is in place

    async def reset(request: web.Request) -> web.Response:
        body = await read_object(request)
        return reply(control.reset(body.get("vendor", request.query.get("vendor")), body.get("token", request.query.get("token"))))

    async def get_state(request: web.Request) -> web.Response:
        return reply(control.state())

    async def put_state(request: web.Request) -> web.Response:
        return reply(control.replace_state(await read_json(request, default=None)))

    async def list_requests(request: web.Request) -> web.Response:
        return reply(control.requests(dict(request.query)))

    async def clear_requests(request: web.Request) -> web.Response:
        return reply(control.clear_requests())

    async def count_get(request: web.Request) -> web.Response:
        return reply(control.count(dict(request.query)))

    async def count_post(request: web.Request) -> web.Response:
        return reply(control.count(await read_object(request)))

    async def clock(request: web.Request) -> web.Response:
        return reply(control.clock())

    async def advance(request: web.Request) -> web.Response:
        body = await read_object(request, required=True)
        extra = sorted(set(body) - {"seconds"})
        if extra:
            raise AdminError(f"unknown field(s) {', '.join(extra)}; send {{\"seconds\": N}}")
        return reply(control.advance(body.get("seconds")))

    async def list_checks(request: web.Request) -> web.Response:
        return reply(control.forced_checks())

    async def force_check(request: web.Request) -> web.Response:
        return reply(control.force_check(await read_object(request, required=True)), 201)

    async def clear_checks(request: web.Request) -> web.Response:
        return reply(control.clear_forced_checks(request.query.get("vendor")))

    async def delete_check(request: web.Request) -> web.Response:
        return reply(control.delete_forced_check(request.match_info["id"]))

    async def list_faults(request: web.Request) -> web.Response:
        return reply(control.faults())

    async def add_fault(request: web.Request) -> web.Response:
        return reply(control.add_fault(await read_object(request, required=True)), 201)

    async def clear_faults(request: web.Request) -> web.Response:
        return reply(control.clear_faults(request.query.get("vendor")))

    async def delete_fault(request: web.Request) -> web.Response:
        return reply(control.delete_fault(request.match_info["id"]))

    async def spec_document(request: web.Request) -> web.Response:
        vendor = control.vendors.get(request.match_info["vendor"])
        if vendor is None:
            raise AdminError(f"no vendor {request.match_info['vendor']!r}; served: {', '.join(control.vendors)}", 404)
        return reply(served_document(vendor.spec, f"{request.scheme}://{request.host}"))

    async def list_lifecycles(request: web.Request) -> web.Response:
        return reply(control.lifecycles())

    async def get_lifecycle(request: web.Request) -> web.Response:
        return reply(control.lifecycle(request.match_info["name"]))

    async def put_lifecycle(request: web.Request) -> web.Response:
        return reply(control.configure_lifecycle(request.match_info["name"], await read_object(request, required=True)))

    async def force_lifecycle(request: web.Request) -> web.Response:
        return reply(control.force_lifecycle(request.match_info["name"], await read_object(request, required=True)), 201)

    async def clear_forced_lifecycle(request: web.Request) -> web.Response:
        return reply(control.clear_forced_lifecycle(request.match_info["name"]))

    async def advance_lifecycle(request: web.Request) -> web.Response:
        return reply(control.advance_lifecycle(request.match_info["name"], await read_object(request)))

    async def list_records(request: web.Request) -> web.Response:
        info = request.match_info
        return reply(control.records(info["vendor"], info["resource"], request.query.get("token")))

    async def update_record(request: web.Request) -> web.Response:
        info = request.match_info
        return reply(control.update_record(info["vendor"], info["resource"], info["id"], await read_object(request, required=True)))

    table: list[tuple[str, str, Route]] = [
        ("GET", "/__admin/health", health),
        ("POST", "/__admin/reset", reset),
        ("GET", "/__admin/state", get_state),
        ("PUT", "/__admin/state", put_state),
        ("GET", "/__admin/requests", list_requests),
        ("DELETE", "/__admin/requests", clear_requests),
        ("GET", "/__admin/requests/count", count_get),
        ("POST", "/__admin/requests/count", count_post),
        ("GET", "/__admin/clock", clock),
        ("POST", "/__admin/clock/advance", advance),
        ("GET", "/__admin/scenarios/checks", list_checks),
        ("POST", "/__admin/scenarios/checks", force_check),
        ("DELETE", "/__admin/scenarios/checks", clear_checks),
        ("DELETE", "/__admin/scenarios/checks/{id}", delete_check),
        ("GET", "/__admin/faults", list_faults),
        ("POST", "/__admin/faults", add_fault),
        ("DELETE", "/__admin/faults", clear_faults),
        ("DELETE", "/__admin/faults/{id}", delete_fault),
        ("GET", "/__admin/specs/{vendor}", spec_document),
        ("GET", "/__admin/lifecycles", list_lifecycles),
        ("GET", "/__admin/lifecycles/{name}", get_lifecycle),
        ("PUT", "/__admin/lifecycles/{name}", put_lifecycle),
        ("POST", "/__admin/lifecycles/{name}/force", force_lifecycle),
        ("DELETE", "/__admin/lifecycles/{name}/force", clear_forced_lifecycle),
        ("POST", "/__admin/lifecycles/{name}/advance", advance_lifecycle),
        ("GET", "/__admin/records/{vendor}/{resource}", list_records),
        ("PATCH", "/__admin/records/{vendor}/{resource}/{id}", update_record),
    ]
    table += docs_routes() + dashboard_routes()  # /__admin/docs and the /__admin/ui dashboard
    for method, path, handler in table:
        add_route(method, path, guard(method, path, handler))  # checked against /__admin/docs

