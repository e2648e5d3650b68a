"""Everything of an account beyond its destinations: sources (with streams), jobs, tokens, notifications.

One object so the operations that span them (deleting a source stops its job and revokes its
tokens) have one home, and the handlers stay a line per call.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mockserver.engine import Engine
from mockserver.engine.resources import Resource
from mockserver.engine.store import TenantState
from mockserver.vendors.stitch.jobs import JobModel
from mockserver.vendors.stitch.notifications import NotificationModel
from mockserver.vendors.stitch.source_types import SourceCatalogue, SourceType
from mockserver.vendors.stitch.sources import SourceModel
from mockserver.vendors.stitch.tokens import TokenModel


class ConnectModel:
    def __init__(self, engine: Engine, catalogue_path: Path, destinations: Resource) -> None:
        self.engine = engine
        self.types = SourceCatalogue.load(catalogue_path)
        self.sources = SourceModel(engine, self.types, destinations)
        self.streams = self.sources.streams
        self.jobs = JobModel(engine, self.sources, destinations, engine.settings.check_delay)
        self.tokens = TokenModel(engine, self.sources)
        self.notifications = NotificationModel(engine, destinations)

    def delete_source(self, tenant: TenantState, source_id: int) -> dict[str, Any]:
        """Soft delete: the running job stops, Import API tokens are revoked, the source stays listed."""
        self.sources.live(tenant, source_id)
        self.jobs.stop(tenant, source_id)
        self.tokens.revoke_all(tenant, source_id)
        return self.sources.delete(tenant, source_id)

    def mapped_destination(self, tenant: TenantState, source_id: int) -> int | None:
        """The destination a source loads into; None for an unknown source or one without."""
        record = self.sources.records.find(tenant, source_id)
        return record["destination_id"] if record is not None else None

    def source_body(self, tenant: TenantState, record: dict[str, Any], stype: SourceType) -> tuple[dict[str, Any], Any]:
        """(report card, schedule) of a source of this type, for its serializer."""
        return self.sources.body_parts(tenant, record, stype)
