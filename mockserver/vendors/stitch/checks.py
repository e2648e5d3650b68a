"""Connection checks: started by a create or update with complete properties, finished on the clock.

The outcome is decided when the check starts (a forced outcome from the control plane, else the
engine's deterministic rules) and applied when it falls due, so a check in flight is visibly
`running` and an exported state carries its pending result.
"""

from __future__ import annotations

from typing import Any

from mockserver.engine import Engine
from mockserver.engine.clock import iso_seconds
from mockserver.engine.outcomes import CheckOutcome
from mockserver.vendors.stitch.catalogue import DestinationType

JOB_KIND = "stitch.check"
HOST_FIELDS = ("host", "endpoint", "encryption_host", "jdbc_url")


def failure_message(outcome: CheckOutcome, record: dict[str, Any]) -> str:
    if outcome.message:
        return outcome.message
    if outcome.reason == "dns":
        return f'could not translate host name "{outcome.value}" to address: Name or service not known'
    if outcome.reason == "auth":
        user = record["properties"].get("username")
        if isinstance(user, str) and user:
            return f'FATAL:  password authentication failed for user "{user}"'
        return f"authentication failed: the {outcome.field} was rejected"
    return "connection check failed"


def start(engine: Engine, tenant_key: str, client_id: int, record: dict[str, Any], dtype: DestinationType) -> None:
    name = f"{client_id}.{record['id']}.check.{engine.random.uuid4()}"
    secrets = [p.name for p in dtype.properties if p.is_credential]
    outcome = engine.outcomes.decide("stitch", tenant_key, record["id"], record["properties"], HOST_FIELDS, secrets)
    record["check_job_name"] = name
    record["last_check"] = {
        "name": name,
        "mode": "check",
        "status": "running",
        "start_time": iso_seconds(engine.clock.now()),
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
    engine.scheduler.run_later(
        engine.settings.check_delay,
        JOB_KIND,
        {
            "tenant": tenant_key,
            "destination_id": record["id"],
            "name": name,
            "ok": outcome.ok,
            "message": None if outcome.ok else failure_message(outcome, record),
        },
    )


def make_runner(engine: Engine) -> Any:
    def finish(payload: dict[str, Any]) -> None:
        tenant = engine.store.find_tenant("stitch", payload["tenant"])
        record = tenant.collection("destinations").get(payload["destination_id"]) if tenant else None
        if record is None or (record.get("last_check") or {}).get("name") != payload["name"]:
            return  # deleted, or superseded by a newer check
        check = record["last_check"]
        check["completion_time"] = iso_seconds(engine.clock.now())
        if payload["ok"]:
            check.update(status="succeeded", error=False, check_exit_status=0, discovery_exit_status=0)
            record["configured"] = True
        else:
            check.update(status="failed", error=True, discovery_exit_status=1, discovery_error_message=payload["message"])
            record["configured"] = False

    return finish
