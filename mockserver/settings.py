"""Everything the server can be told at start-up, in one immutable object built by the CLI or tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Mapping

@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8080
    seed: int = 0
    check_delay: float = 2.0
    virtual_clock: bool = False
    start_time: datetime | None = None
    vendors: tuple[str, ...] = ()  # empty: every vendor the package knows
    log_level: str = "info"
    journal_size: int = 1000
    max_body_bytes: int = 1024 * 1024
    stitch_destination_limit: int = 1
    portable_no_api_tokens: frozenset[str] = field(default_factory=frozenset)
    refresh_delay: float = 2.0
    # Declared tenants: vendor -> token -> attributes (stitch: destination_limit; portable: api_access;
    # census: workspace_name). With strict_auth, tokens not declared here are refused.
    declared_tenants: Mapping[str, Mapping[str, Mapping[str, Any]]] = field(default_factory=dict)
    strict_auth: bool = False
    # Declared partners: vendor -> partner id -> partner secret (stitch: who may create accounts with
    # POST /v3/accounts). None declared: any non-empty pair, or none at all under strict_auth.
    partners: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # Control plane and persistence (issue 5): /__admin needs this token when set; the state file is
    # loaded at start and rewritten atomically at most `state_write_delay` seconds after a change.
    admin_token: str | None = None
    state_file: str | None = None
    state_write_delay: float = 0.2
    demo: bool = False
    # --load FILE: a state document (JSON or YAML) loaded at start, never written; a full reset returns to it.
    load_file: str | None = None
    # Lifecycle overrides (issue 9): name -> {"mode": "time|immediate|manual", "delays": {state: seconds}};
    # from --config's `lifecycles:`. `check_delay` and `refresh_delay` above are shorthands for the
    # connection-check and object-refresh lifecycles' delays.
    lifecycles: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
