"""Import API access tokens of `import_api` sources: generated (shown once), listed by id, revoked.

Only a fingerprint of each token is kept, so neither the state file nor an export holds a usable
credential.
"""

from __future__ import annotations

import hashlib
from typing import Any

from mockserver.engine import Engine
from mockserver.engine.errors import Invalid
from mockserver.engine.resources import ResourceType
from mockserver.engine.store import TenantState
from mockserver.vendors.stitch.sources import SourceModel

TOKEN_ID_START = 815713587  # the token id in the vendor's list example


class TokenModel:
    def __init__(self, engine: Engine, sources: SourceModel) -> None:
        self.engine = engine
        self.sources = sources
        self.records = engine.resources.declare(
            ResourceType(
                vendor="stitch",
                name="import_tokens",
                id_start=TOKEN_ID_START,
                parent="sources",
                parent_field="source_id",
                missing=lambda token_id: Invalid(f"token not found ({token_id})", code="InvalidId"),
            )
        )

    def ids(self, tenant: TenantState, source_id: int) -> list[int]:
        self.sources.get(tenant, source_id)
        return [r["id"] for r in self.records.list(tenant, where=lambda r: r["source_id"] == source_id)]

    def generate(self, tenant: TenantState, source_id: int) -> tuple[int, str]:
        """A new token for a live Import API source: `(id, access_token)`; the token is not stored."""
        source = self.sources.live(tenant, source_id)
        if not self.sources.type_of(source).import_api:  # [infer] undocumented; the sources family's shape
            raise Invalid(f"source {source_id} is not an Import API source", code="InvalidType")
        token = "at_" + self.engine.random.token(32)
        record = self.records.create(
            tenant,
            {
                "source_id": source_id,
                "fingerprint": hashlib.sha256(token.encode()).hexdigest()[:16],
                "created_at": self.engine.clock.now_seconds(),
            },
        )
        return record["id"], token

    def revoke(self, tenant: TenantState, source_id: int, token_id: int) -> dict[str, Any]:
        """Revoke one token; answers its source."""
        source = self.sources.get(tenant, source_id)
        record = self.records.get(tenant, token_id)
        if record["source_id"] != source_id:
            raise Invalid(f"token not found ({token_id})", code="InvalidId")
        self.records.delete(tenant, token_id)
        return source

    def revoke_all(self, tenant: TenantState, source_id: int) -> None:
        for record in self.records.list(tenant, where=lambda r: r["source_id"] == source_id):
            self.records.delete(tenant, record["id"])
