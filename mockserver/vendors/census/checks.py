"""Connection tests as a lifecycle: `running`, then `succeeded` or `failed` after the check delay.

Census has no test endpoint; a destination only exposes its last test (`last_test_results`,
`last_test_succeeded`, `last_tested_at`). A create or a credentials update starts one. The outcome
is decided when it starts (a forced outcome from the control plane, else the engine's deterministic
rules). While it runs, the first step shows `running`; when it ends, the steps up to and including
a failed one are shown (Census does not surface steps after a failure). `declare()` serves any
resource whose records carry `type`, `credentials` and the `last_test_*` fields.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, Mapping

from mockserver.engine import Engine
from mockserver.engine.clock import iso_seconds
from mockserver.engine.lifecycles import CHECK_FAILED, CHECK_RUNNING, CHECK_SUCCEEDED, Outcome, Run, connection_check
from mockserver.engine.outcomes import classify
from mockserver.engine.store import TenantState
from mockserver.vendors.census.catalogue import Connector

DESTINATION_TEST = "census.connection_check"
STEPS = ("Verify connectivity", "Verify credentials", "Verify permissions")
FAILED_STEP = {"dns": 0, "auth": 1}
RUNNING, SUCCEEDED, FAILED = CHECK_RUNNING, CHECK_SUCCEEDED, CHECK_FAILED

ConnectorOf = Callable[[dict[str, Any]], Connector]


def failure_message(reason: str, field: str, value: str, connector: Connector) -> str:
    if reason == "dns":
        return f"Could not connect to {connector.label}: unable to resolve host {value}"
    if reason == "auth":
        found = connector.field(field)
        return f"{connector.label} rejected the credentials: invalid {found.label if found else field}"
    return f"The connection test to {connector.label} failed"


def steps_for(failed_step: int | None, message: str | None) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = []
    for index, step in enumerate(STEPS):
        if index == failed_step:
            steps.append({"step": step, "status": "failed", "error": {"message": message}})
            break
        steps.append({"step": step, "status": "success"})
    return steps


def declare(engine: Engine, name: str, resource: str, connector_of: ConnectorOf, description: str) -> None:
    def decide(tenant: TenantState, record: dict[str, Any], context: Mapping[str, Any]) -> Outcome:
        connector = connector_of(record)
        credentials = record["credentials"]
        secrets = connector.secret_ids
        # Every non-secret string credential is a host candidate: only a host or URL under `.invalid` fails.
        hosts = [key for key, value in credentials.items() if isinstance(value, str) and key not in secrets]
        found = classify(credentials, hosts, secrets)
        if found.ok:
            return Outcome(SUCCEEDED)
        message = failure_message(found.reason, found.field, found.value, connector)
        return Outcome(FAILED, message, found.reason, {"failed_step": FAILED_STEP.get(found.reason, 0)})

    def write(record: dict[str, Any], run: Run, now: datetime) -> None:
        if run.state == RUNNING:
            record["test_job"] = run.context.get("job")
            record["last_test_results"] = {"steps": [{"step": STEPS[0], "status": "running"}]}
            record["last_test_succeeded"] = None
            return
        outcome = run.outcome
        failed_step = None if run.state == SUCCEEDED else int(outcome.data.get("failed_step", 0))
        message = outcome.message or failure_message("", "", "", connector_of(record))
        record["test_job"] = None
        record["last_test_results"] = {"steps": steps_for(failed_step, None if failed_step is None else message)}
        record["last_test_succeeded"] = failed_step is None
        record["last_tested_at"] = iso_seconds(now)

    engine.lifecycles.declare(connection_check(name, resource, engine.settings.check_delay, decide, write, description))


def start(engine: Engine, name: str, tenant: TenantState, record_id: int) -> None:
    engine.lifecycles.start(name, tenant, record_id, {"job": engine.random.uuid4()})
