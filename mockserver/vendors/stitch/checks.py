"""Connection checks as a lifecycle: `running`, then `succeeded` or `failed` after the check delay.

A check starts when a create or update leaves a record's required properties complete. The
outcome is decided when it starts (a forced outcome from the control plane, else the engine's
deterministic rules: a `.invalid` host fails to resolve, a `wrong-password` secret fails to
authenticate), so a check in flight is visibly `running` and an exported state carries its result.
`declare()` makes the lifecycle for any resource whose records carry `properties`, `last_check`,
`check_job_name` and `configured` (destinations here; sources use the same shape).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, Mapping

from mockserver.engine import Engine
from mockserver.engine.clock import iso_seconds
from mockserver.engine.lifecycles import CHECK_FAILED, CHECK_RUNNING, CHECK_SUCCEEDED, Outcome, Run, connection_check
from mockserver.engine.outcomes import classify
from mockserver.engine.store import TenantState

DESTINATION_CHECK = "stitch.connection_check"
HOST_FIELDS = ("host", "endpoint", "encryption_host", "jdbc_url")
RUNNING, SUCCEEDED, FAILED = CHECK_RUNNING, CHECK_SUCCEEDED, CHECK_FAILED

SecretsOf = Callable[[dict[str, Any]], list[str]]
OnFinish = Callable[[TenantState, dict[str, Any], Run], None]


def failure_message(reason: str, field: str, value: str, record: dict[str, Any]) -> str:
    if reason == "dns":
        return f'could not translate host name "{value}" to address: Name or service not known'
    if reason == "auth":
        user = record["properties"].get("username") or record["properties"].get("user")  # sources say `user`
        if isinstance(user, str) and user:
            return f'FATAL:  password authentication failed for user "{user}"'
        return f"authentication failed: the {field} was rejected"
    return "connection check failed"


def declare(
    engine: Engine, name: str, resource: str, secrets_of: SecretsOf, description: str, on_finish: OnFinish | None = None
) -> None:
    """The check lifecycle for one resource; `secrets_of(record)` names its credential properties, and
    `on_finish(tenant, record, run)` runs once a check has ended (sources discover their streams there)."""

    def decide(tenant: TenantState, record: dict[str, Any], context: Mapping[str, Any]) -> Outcome:
        found = classify(record["properties"], HOST_FIELDS, secrets_of(record))
        if found.ok:
            return Outcome(SUCCEEDED)
        message = failure_message(found.reason, found.field, found.value, record)
        return Outcome(FAILED, message, found.reason, {"field": found.field, "value": found.value})

    def write(record: dict[str, Any], run: Run, now: datetime) -> None:
        if run.state == RUNNING:
            record["check_job_name"] = run.context["job_name"]
            record["last_check"] = running(run.context["job_name"], iso_seconds(now))
            return
        check = record["last_check"]
        check["completion_time"] = iso_seconds(now)
        if run.state == SUCCEEDED:
            check.update(status=SUCCEEDED, error=False, check_exit_status=0, discovery_exit_status=0)
            record["configured"] = True
        else:
            message = run.outcome.message or failure_message("", "", "", record)
            check.update(status=FAILED, error=True, discovery_exit_status=1, discovery_error_message=message)
            record["configured"] = False
        if on_finish is not None and run.tenant is not None:
            on_finish(run.tenant, record, run)

    job_kind = "stitch.check" if name == DESTINATION_CHECK else None  # the kind older state files carry
    engine.lifecycles.declare(connection_check(name, resource, engine.settings.check_delay, decide, write, description, job_kind))


def start(engine: Engine, name: str, tenant: TenantState, record_id: int) -> None:
    """Start a check; its job name is `<client>.<record>.check.<uuid>`, as the vendor's are."""
    job_name = f"{tenant.attrs['stitch_client_id']}.{record_id}.check.{engine.random.uuid4()}"
    engine.lifecycles.start(name, tenant, record_id, {"job_name": job_name})


def unchecked(now: str) -> dict[str, Any]:
    """The fields a new destination or source starts with: its times, and no check run yet."""
    return {
        "created_at": now,
        "updated_at": now,
        "deleted_at": None,
        "paused_at": None,
        "system_paused_at": None,
        "check_job_name": None,
        "last_check": None,
        "configured": False,
    }


def tenant_of(engine: Engine, job_name: str) -> TenantState | None:
    """The account a job name (`<client>.<record>.<kind>.<uuid>`) belongs to: for the extraction log,
    which a client downloads without credentials (a redirect drops them), so no token names it."""
    client = job_name.split(".", 1)[0]
    for tenant in engine.store.tenants("stitch").values():
        if str(tenant.attrs.get("stitch_client_id")) == client:
            return tenant
    return None


def running(job_name: str, started: str) -> dict[str, Any]:
    return {
        "name": job_name,
        "mode": "check",
        "status": RUNNING,
        "start_time": started,
        "completion_time": None,
        "error": False,
        "check_exit_status": None,
        "discovery_exit_status": None,
        "discovery_error_message": None,
        "tap_exit_status": None,
        "tap_error_message": None,
        "target_exit_status": None,
        "target_error_message": None,
    }
