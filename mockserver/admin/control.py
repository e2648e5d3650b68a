"""Every control-plane operation, once: the HTTP routes and the Python `MockServer` both call these.

Inputs are plain JSON-like values (as a JSON body or a query string would give them); bad input
raises `AdminError` with the message the caller sees. Nothing here awaits, so each operation is
atomic on the event loop (callers on other threads hop onto the loop first; see `testing.py`).
"""

from __future__ import annotations

from typing import Any, Mapping

from mockserver import __version__
from mockserver.admin.baseline import Baseline
from mockserver.admin.http import AdminError
from mockserver.admin.journal import parse_filter, parse_limit
from mockserver.admin.scenarios import forced_to_json, lifecycle_force_to_json, parse_forced, parse_lifecycle_force
from mockserver.admin.state import replace_state, unservable
from mockserver.engine import Engine
from mockserver.engine.clock import iso_millis
from mockserver.engine.errors import DomainError
from mockserver.engine.faults import FaultRule
from mockserver.engine.journal import fingerprint
from mockserver.engine.lifecycles import RUNS, LifecycleError, Run
from mockserver.engine.fields import FieldError
from mockserver.vendors.base import Vendor

MAX_ADVANCE_SECONDS = 10 * 365 * 24 * 3600


class Control:
    def __init__(self, engine: Engine, vendors: Mapping[str, Vendor]) -> None:
        self.engine = engine
        self.vendors = vendors
        # `starting` while --demo or --load puts the starting state in place (health answers 503);
        # `baseline` is that starting state, which a full reset returns to (see admin/baseline.py).
        self.starting = False
        self.baseline: Baseline | None = None

    def started(self, baseline: bool = True) -> None:
        """The starting state (--demo's data, a --load file) is in place: report healthy, and with
        `baseline` make it what a full reset returns to."""
        self.baseline = Baseline.capture(self.engine) if baseline else None
        self.starting = False

    # -- health and reset ---------------------------------------------------------------------------
    def health(self) -> dict[str, Any]:
        return {
            "status": "starting" if self.starting else "ok",
            "version": __version__,
            "vendors": [
                {"name": name, "prefixes": list(v.spec.prefixes), "operations": len(v.spec.operations)}
                for name, v in self.vendors.items()
            ],
            "clock": {"virtual": self.engine.clock.virtual, "now": self.engine.clock.now().isoformat()},
        }

    def reset(self, vendor: Any = None, token: Any = None) -> dict[str, Any]:
        vendor = self._vendor(vendor, required=False)
        if token is not None and (not isinstance(token, str) or not token):
            raise AdminError("token must be a non-empty string")
        if token is not None and vendor is None:
            raise AdminError("token needs a vendor: tokens are per vendor")
        self.engine.reset(vendor, self.vendors[vendor].tenant_key(token) if token is not None else None)
        if vendor is None and self.baseline is not None:
            self.baseline.restore(self.engine)
        return {"status": "reset", "vendor": vendor, "token": token is not None}

    # -- state --------------------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        return self.engine.export()

    def replace_state(self, raw: Any) -> dict[str, Any]:
        replace_state(self.engine, raw, self.vendors)
        return self.summary()

    def summary(self) -> dict[str, Any]:
        """How much state there is: tenants and records per vendor, and pending jobs."""
        vendors = {}
        for name in self.vendors:
            tenants = self.engine.store.tenants(name)
            records = sum(len(c) for t in tenants.values() for n, c in t.collections.items() if n != RUNS)  # runs: not records
            vendors[name] = {"tenants": len(tenants), "records": records}
        return {"status": "loaded", "vendors": vendors, "jobs": len(self.engine.scheduler.pending())}

    # -- journal ------------------------------------------------------------------------------------
    def requests(self, filters: Mapping[str, Any]) -> dict[str, Any]:
        where = parse_filter(filters, self.vendors, allow=("limit",))
        entries, matched = self.engine.journal.find(where, parse_limit(filters.get("limit")))
        journal = self.engine.journal
        return {
            "requests": [e.to_json() for e in entries],
            "matched": matched,
            "journal": {"size": journal.size, "kept": len(journal), "total": journal.total},
        }

    def count(self, filters: Mapping[str, Any]) -> dict[str, Any]:
        return {"count": self.engine.journal.count(parse_filter(filters, self.vendors))}

    def clear_requests(self) -> dict[str, Any]:
        dropped = len(self.engine.journal)
        self.engine.journal.clear()
        return {"cleared": dropped}

    # -- clock --------------------------------------------------------------------------------------
    def clock(self) -> dict[str, Any]:
        scheduler = self.engine.scheduler
        due = scheduler.next_due()
        return {
            "virtual": self.engine.clock.virtual,
            "now": iso_millis(self.engine.clock.now()),
            "pending_jobs": len(scheduler.pending()),
            "next_due": iso_millis(due) if due is not None else None,
        }

    def advance(self, seconds: Any) -> dict[str, Any]:
        if not self.engine.clock.virtual:
            raise AdminError("the clock is real; start the server with --virtual-clock to advance it", 409)
        if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or not 0 <= seconds <= MAX_ADVANCE_SECONDS:
            raise AdminError(f"seconds must be a number from 0 to {MAX_ADVANCE_SECONDS}")
        ran = self.engine.scheduler.advance(float(seconds))
        return {**self.clock(), "ran": ran}

    # -- scenarios: forced check outcomes -------------------------------------------------------------
    def force_check(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        return forced_to_json(self.engine.outcomes.force(parse_forced(raw, self.vendors)))

    def forced_checks(self) -> dict[str, Any]:
        return {"checks": [forced_to_json(r) for r in self.engine.outcomes.forced if r.lifecycle is None]}

    def delete_forced_check(self, rule_id: Any) -> dict[str, Any]:
        book = self.engine.outcomes
        number = _rule_id(rule_id)
        rule = next((r for r in book.forced if r.id == number and r.lifecycle is None), None)
        if rule is None:
            raise AdminError(f"no forced check outcome {rule_id}", 404)
        book.forced.remove(rule)
        return {"deleted": rule.id}

    def clear_forced_checks(self, vendor: Any = None) -> dict[str, Any]:
        book = self.engine.outcomes
        name = self._vendor(vendor, required=False)
        kept = [r for r in book.forced if r.lifecycle is not None or (name is not None and r.vendor != name)]
        deleted, book.forced = len(book.forced) - len(kept), kept
        return {"deleted": deleted}

    # -- lifecycles ---------------------------------------------------------------------------------
    def lifecycles(self) -> dict[str, Any]:
        declared = self.engine.lifecycles.declared
        return {"lifecycles": [self.engine.lifecycles.describe(name) for name in sorted(declared)]}

    def lifecycle(self, name: Any) -> dict[str, Any]:
        """One lifecycle: its declaration, mode and delays, its runs in flight and its forced outcomes."""
        lifecycles = self.engine.lifecycles
        lifecycle = self._lifecycle(name)
        runs = [{**Run(data).to_json(), "tenant": fingerprint(tenant.key)} for tenant, data in lifecycles.active_runs(lifecycle.name)]
        forced = [lifecycle_force_to_json(r) for r in self.engine.outcomes.forced
                  if r.lifecycle == lifecycle.name or (r.lifecycle is None and lifecycle.check and r.vendor == lifecycle.vendor)]
        return {**lifecycles.describe(lifecycle.name), "runs": runs, "forced": forced}

    def configure_lifecycle(self, name: Any, raw: Mapping[str, Any]) -> dict[str, Any]:
        lifecycle = self._lifecycle(name)
        extra = sorted(set(raw) - {"mode", "delays"})
        if extra:
            raise AdminError(f"unknown field(s) {', '.join(extra)}; send mode and/or delays")
        delays = raw.get("delays")
        if delays is not None and not isinstance(delays, dict):
            raise AdminError(f"delays must map a state of {lifecycle.name} to seconds")
        mode = raw.get("mode")
        if mode is not None and not isinstance(mode, str):
            raise AdminError("mode must be a string: time, immediate or manual")
        try:
            self.engine.lifecycles.configure(lifecycle.name, mode, delays)
        except LifecycleError as exc:
            raise AdminError(str(exc)) from None
        self.engine.touch()
        return self.engine.lifecycles.describe(lifecycle.name)

    def force_lifecycle(self, name: Any, raw: Mapping[str, Any]) -> dict[str, Any]:
        rule = parse_lifecycle_force(self._lifecycle(name), raw, self.vendors)
        return lifecycle_force_to_json(self.engine.outcomes.force(rule))

    def clear_forced_lifecycle(self, name: Any) -> dict[str, Any]:
        lifecycle = self._lifecycle(name)
        before = len(self.engine.outcomes.forced)
        self.engine.outcomes.clear(lifecycle=lifecycle.name)
        return {"deleted": before - len(self.engine.outcomes.forced)}

    def advance_lifecycle(self, name: Any, raw: Mapping[str, Any]) -> dict[str, Any]:
        """Move one run (by token and/or resource_id) or every run of a lifecycle one step now."""
        lifecycle = self._lifecycle(name)
        extra = sorted(set(raw) - {"token", "resource_id"})
        if extra:
            raise AdminError(f"unknown field(s) {', '.join(extra)}; send token and/or resource_id, or nothing for every run")
        token, resource = raw.get("token"), raw.get("resource_id")
        if token is not None and (not isinstance(token, str) or not token):
            raise AdminError("token must be a non-empty string")
        if resource is not None and (isinstance(resource, bool) or not isinstance(resource, (str, int))):
            raise AdminError("resource_id must be a string or an integer")
        tenant = self.vendors[lifecycle.vendor].tenant_key(token) if token is not None else None
        moved = self.engine.lifecycles.advance(lifecycle.name, tenant, resource)
        self.engine.touch()
        return {"advanced": len(moved), "runs": moved}

    # -- faults -------------------------------------------------------------------------------------
    def add_fault(self, raw: Any) -> dict[str, Any]:
        try:
            rule = FaultRule.from_json(raw)
        except FieldError as exc:
            raise AdminError(str(exc)) from None
        self._vendor(rule.vendor, required=False)
        return self.engine.faults.add(rule).to_json()

    def faults(self) -> dict[str, Any]:
        return {"faults": [r.to_json() for r in self.engine.faults.rules]}

    def delete_fault(self, rule_id: Any) -> dict[str, Any]:
        number = _rule_id(rule_id)
        if not self.engine.faults.delete(number):
            raise AdminError(f"no fault rule {rule_id}", 404)
        return {"deleted": number}

    def clear_faults(self, vendor: Any = None) -> dict[str, Any]:
        before = len(self.engine.faults.rules)
        self.engine.faults.clear(self._vendor(vendor, required=False))
        return {"deleted": before - len(self.engine.faults.rules)}

    # -- records: read and adjust what the vendors keep -----------------------------------------------
    def records(self, vendor: Any, resource: Any, token: Any) -> dict[str, Any]:
        """One tenant's records of one declared resource, raw (as the state document holds them)."""
        handle, tenant = self._records_of(vendor, resource, token)
        return {"records": handle.list(tenant)}

    def update_record(self, vendor: Any, resource: Any, record_id: Any, raw: Mapping[str, Any]) -> dict[str, Any]:
        """Set fields of one record (a model's `row_count`, say), then hold the result to the vendor:
        a record its handlers could not serve within the spec is put back, and the call refused."""
        fields = raw.get("fields")
        if not isinstance(fields, dict) or not fields:
            raise AdminError("fields must be a non-empty JSON object of the record's fields to set")
        if "id" in fields:
            raise AdminError("a record's id cannot be changed")
        handle, tenant = self._records_of(vendor, resource, raw.get("token"))
        key = _record_key(handle.records(tenant), record_id)
        store = self.engine.store
        store.begin()
        try:
            handle.update(tenant, key, **fields)
            problems = unservable(self.engine, {str(vendor): self.vendors[str(vendor)]})
        except DomainError:
            store.rollback()
            raise AdminError(f"no {handle.name} {record_id} for that token", 404) from None
        if problems:
            store.rollback()
            raise AdminError("record not changed: " + "; ".join(problems))
        store.commit()
        self.engine.touch()
        return {"record": handle.get(tenant, key)}

    def _records_of(self, vendor: Any, resource: Any, token: Any) -> tuple[Any, Any]:
        name = self._vendor(vendor, required=True)
        assert name is not None
        try:
            handle = self.engine.resources.of(name, str(resource))
        except KeyError:
            known = ", ".join(sorted(r.name for r in self.engine.resources.all() if r.type.vendor == name))
            raise AdminError(f"{name} has no resource {resource!r}; known: {known}", 404) from None
        if not isinstance(token, str) or not token:
            raise AdminError("token is required: records belong to the tenant a token names")
        tenant = self.engine.store.find_tenant(name, self.vendors[name].tenant_key(token))
        if tenant is None:
            raise AdminError(f"no {name} tenant has used that token yet", 404)
        return handle, tenant

    # -- helpers ------------------------------------------------------------------------------------
    def _lifecycle(self, name: Any) -> Any:
        try:
            return self.engine.lifecycles.get(str(name))
        except LifecycleError as exc:
            raise AdminError(str(exc), 404) from None

    def _vendor(self, name: Any, *, required: bool) -> str | None:
        if name is None and not required:
            return None
        if name not in self.vendors:
            raise AdminError(f"unknown vendor {name!r}; known: {', '.join(self.vendors)}")
        return str(name)


def _record_key(records: Mapping[Any, Any], raw: Any) -> Any:
    """The key a record is stored under: ids are integers for most resources, strings for some."""
    text = str(raw)
    if text.isdigit() and len(text) <= 19 and int(text) in records:
        return int(text)
    return text


def _rule_id(raw: Any) -> int:
    text = str(raw)
    if not text.isdigit() or len(text) > 12:
        raise AdminError(f"rule id must be a whole number, not {raw!r}", 404)
    return int(text)
