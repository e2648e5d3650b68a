"""Connection tests: started by a create or a credentials update, finished on the clock.

Census has no test endpoint; a destination only exposes its last test (`last_test_results`,
`last_test_succeeded`, `last_tested_at`). The outcome is decided when the test starts (a forced
outcome from the control plane, else the engine's deterministic rules) and applied when it falls
due after `check_delay`. While it runs, the first step shows `running`; when it ends, the steps up to
and including a failed one are shown (Census does not surface steps after a failure).
"""

from __future__ import annotations

from typing import Any

from mockserver.engine import Engine
from mockserver.engine.clock import iso_seconds
from mockserver.engine.outcomes import CheckOutcome
from mockserver.vendors.census.catalogue import Connector

JOB_KIND = "census.test"
STEPS = ("Verify connectivity", "Verify credentials", "Verify permissions")
FAILED_STEP = {"dns": 0, "auth": 1, "forced": 0}


def decide(engine: Engine, tenant_key: str, record: dict[str, Any], connector: Connector) -> CheckOutcome:
    credentials = record["credentials"]
    # Every non-secret string credential is a host candidate: only a host or URL under `.invalid` fails.
    secrets = connector.secret_ids
    hosts = [key for key, value in credentials.items() if isinstance(value, str) and key not in secrets]
    return engine.outcomes.decide("census", tenant_key, record["id"], credentials, hosts, secrets)


def failure_message(outcome: CheckOutcome, connector: Connector) -> str:
    if outcome.message:
        return outcome.message
    if outcome.reason == "dns":
        return f"Could not connect to {connector.label}: unable to resolve host {outcome.value}"
    if outcome.reason == "auth":
        field = connector.field(outcome.field)
        return f"{connector.label} rejected the credentials: invalid {field.label if field else outcome.field}"
    return f"The connection test to {connector.label} failed"


def start(engine: Engine, tenant_key: str, record: dict[str, Any], connector: Connector) -> None:
    outcome = decide(engine, tenant_key, record, connector)
    name = engine.random.uuid4()
    record["test_job"] = name
    record["last_test_results"] = {"steps": [{"step": STEPS[0], "status": "running"}]}
    record["last_test_succeeded"] = None
    engine.scheduler.run_later(
        engine.settings.check_delay,
        JOB_KIND,
        {
            "tenant": tenant_key,
            "destination_id": record["id"],
            "name": name,
            "failed_step": None if outcome.ok else FAILED_STEP.get(outcome.reason, 0),
            "message": None if outcome.ok else failure_message(outcome, connector),
        },
    )


def steps_for(failed_step: int | None, message: str | None) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = []
    for index, step in enumerate(STEPS):
        if index == failed_step:
            steps.append({"step": step, "status": "failed", "error": {"message": message}})
            break
        steps.append({"step": step, "status": "success"})
    return steps


def make_runner(engine: Engine) -> Any:
    def finish(payload: dict[str, Any]) -> None:
        tenant = engine.store.find_tenant("census", payload["tenant"])
        record = tenant.collection("destinations").get(payload["destination_id"]) if tenant else None
        if record is None or record.get("test_job") != payload["name"]:
            return  # deleted, or superseded by a newer test
        record["test_job"] = None
        record["last_test_results"] = {"steps": steps_for(payload["failed_step"], payload["message"])}
        record["last_test_succeeded"] = payload["failed_step"] is None
        record["last_tested_at"] = iso_seconds(engine.clock.now())

    return finish
