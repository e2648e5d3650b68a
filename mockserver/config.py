"""`--config FILE`: declared tokens per vendor, with the attributes that shape each tenant.

```yaml
strict_auth: true            # optional; refuse every token not declared below (401)
tokens:
  stitch:
    sk-team-a: {destination_limit: 5}     # Stitch: destinations allowed on the account
    sk-team-b: {}                         # declared, default attributes
  portable:
    pt-live: {}
    pt-starter: {api_access: false}       # a plan without API access: every call answers 403
  census:
    cs-workspace: {workspace_name: Acme Analytics}
partners:                    # optional; who may create Stitch accounts (POST /v3/accounts)
  stitch:
    oc_partner_id: oc_partner_secret      # none declared: any non-empty pair (none under strict_auth)
lifecycles:                  # optional; per lifecycle (GET /__admin/lifecycles lists them)
  census.sync_run: {mode: time, delays: {queued: 1, working: 5}}
  stitch.connection_check: {mode: manual}
```

A vendor's tokens may also be a plain list (`stitch: [sk-a, sk-b]`) when no attribute is needed.
Mistakes are reported with their place in the file, and the server does not start.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Mapping


class ConfigError(ValueError):
    """The config file cannot be used; the message names the file and the offending entry."""


def _positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _boolean(value: Any) -> bool:
    return isinstance(value, bool)


def _name(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip()) and len(value) <= 200


# vendor -> attribute -> (check, what it must be)
ATTRIBUTES: dict[str, dict[str, tuple[Callable[[Any], bool], str]]] = {
    "stitch": {"destination_limit": (_positive_int, "a whole number of at least 1")},
    "portable": {"api_access": (_boolean, "true or false")},
    "census": {"workspace_name": (_name, "a non-empty string of at most 200 characters")},
}
TOP_LEVEL = ("strict_auth", "tokens", "partners", "lifecycles")
PARTNER_VENDORS = ("stitch",)  # the vendors whose API lets a partner create accounts
LIFECYCLE_KEYS = ("mode", "delays")


@dataclass(frozen=True)
class Config:
    declared_tenants: Mapping[str, Mapping[str, Mapping[str, Any]]] = field(default_factory=dict)
    strict_auth: bool = False
    lifecycles: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    partners: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


def load_config(path: str | Path) -> Config:
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{source}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{source}: not UTF-8 text") from None
    return parse_config(read_yaml(text, str(source)), str(source))


class _DuplicateKey(Exception):
    def __init__(self, key: Any, line: int, first: int) -> None:
        super().__init__(key, line, first)
        self.key, self.line, self.first = key, line, first


@lru_cache(maxsize=1)
def _unique_key_loader() -> Any:
    """Built on first use: yaml is imported only when a config file is read (cold start: a served
    process without --config never needs it, the specs come from the start-up cache)."""
    import yaml

    class _UniqueKeyLoader(yaml.SafeLoader):
        """PyYAML's safe loader, except that a key given twice in one mapping is an error: silently
        keeping the last one hides a typo (two `sk-team:` entries, the first one's attributes lost)."""

        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
            seen: dict[Any, int] = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                line = key_node.start_mark.line + 1
                try:
                    if key in seen:
                        raise _DuplicateKey(key, line, seen[key])
                    seen[key] = line
                except TypeError:  # an unhashable key: PyYAML's own error below says so
                    continue
            return super().construct_mapping(node, deep=deep)

    return _UniqueKeyLoader


def read_yaml(text: str, source: str) -> Any:
    """The YAML document in `text`; a syntax error or a repeated key names its line (and column)."""
    import yaml

    try:
        return yaml.load(text, Loader=_unique_key_loader())  # noqa: S506 - a SafeLoader subclass
    except _DuplicateKey as dup:
        raise ConfigError(f"{source}:{dup.line}: key {dup.key!r} given twice (first on line {dup.first})") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{source}:{mark.line + 1}:{mark.column + 1}" if mark is not None else source
        what = ": ".join(part for part in (exc.context, exc.problem) if part)
        raise ConfigError(f"{where}: not valid YAML: {what}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source}: not valid YAML: {str(exc).splitlines()[0]}") from None


def parse_config(raw: Any, source: str = "config") -> Config:
    if raw is None:
        return Config()
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: the top level must be a mapping with {' and/or '.join(TOP_LEVEL)}")
    unknown = sorted(str(k) for k in raw if k not in TOP_LEVEL)
    if unknown:
        raise ConfigError(f"{source}: unknown key(s) {', '.join(unknown)}; known: {', '.join(TOP_LEVEL)}")
    strict = raw.get("strict_auth", False)
    if not isinstance(strict, bool):
        raise ConfigError(f"{source}: strict_auth must be true or false")
    tokens = raw.get("tokens") or {}
    if not isinstance(tokens, dict):
        raise ConfigError(f"{source}: tokens must map a vendor name to its tokens")
    declared: dict[str, dict[str, dict[str, Any]]] = {}
    for vendor, entries in tokens.items():
        if vendor not in ATTRIBUTES:
            raise ConfigError(f"{source}: tokens.{vendor}: unknown vendor; known: {', '.join(ATTRIBUTES)}")
        declared[vendor] = _vendor_tokens(entries, f"{source}: tokens.{vendor}", ATTRIBUTES[vendor])
    return Config(declared_tenants=declared, strict_auth=strict, lifecycles=_lifecycles(raw.get("lifecycles"), source),
                  partners=_partners(raw.get("partners"), source))


def _partners(raw: Any, source: str) -> dict[str, dict[str, str]]:
    """Partner id -> secret per vendor; both non-empty strings without spaces, like tokens."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: partners must map a vendor name to its partner ids and secrets")
    out: dict[str, dict[str, str]] = {}
    for vendor, pairs in raw.items():
        where = f"{source}: partners.{vendor}"
        if vendor not in PARTNER_VENDORS:
            raise ConfigError(f"{where}: only {', '.join(PARTNER_VENDORS)} has partners")
        if not isinstance(pairs, dict) or not pairs:
            raise ConfigError(f"{where}: give a mapping of partner id -> partner secret")
        for pid, secret in pairs.items():
            for what, value in (("partner id", pid), ("secret", secret)):
                if not isinstance(value, str) or not value or value != value.strip() or " " in value:
                    shown = repr(pid) if what == "partner id" else f"of {pid!r}"
                    raise ConfigError(f"{where}: the {what} {shown} must be a non-empty string without spaces")
        out[str(vendor)] = {str(k): str(v) for k, v in pairs.items()}
    return out


def _lifecycles(raw: Any, source: str) -> dict[str, dict[str, Any]]:
    """Modes and delays by lifecycle name; the names and states are checked when the app is built,
    where the vendors have declared them."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: lifecycles must map a lifecycle name to its mode and/or delays")
    out: dict[str, dict[str, Any]] = {}
    for name, entry in raw.items():
        where = f"{source}: lifecycles.{name}"
        if not isinstance(entry, dict) or not entry:
            raise ConfigError(f"{where}: give mode and/or delays")
        unknown = sorted(str(k) for k in entry if k not in LIFECYCLE_KEYS)
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}; known: {', '.join(LIFECYCLE_KEYS)}")
        if "delays" in entry and not isinstance(entry["delays"], dict):
            raise ConfigError(f"{where}.delays: map each timed state to seconds")
        out[str(name)] = dict(entry)
    return out


def _vendor_tokens(entries: Any, where: str, known: dict[str, tuple[Callable[[Any], bool], str]]) -> dict[str, dict[str, Any]]:
    if entries is None:
        return {}
    if isinstance(entries, list):
        entries = {token: {} for token in entries} if all(isinstance(t, str) for t in entries) else None
    if not isinstance(entries, dict):
        raise ConfigError(f"{where}: give a mapping of token -> attributes, or a list of tokens")
    out: dict[str, dict[str, Any]] = {}
    for token, attrs in entries.items():
        if not isinstance(token, str) or not token or token != token.strip() or " " in token:
            raise ConfigError(f"{where}: token {token!r} must be a non-empty string without spaces")
        attrs = {} if attrs is None else attrs
        if not isinstance(attrs, dict):
            raise ConfigError(f"{where}.{token}: attributes must be a mapping")
        for name, value in attrs.items():
            if name not in known:
                raise ConfigError(f"{where}.{token}: unknown attribute {name!r}; known: {', '.join(known)}")
            check, wanted = known[name]
            if not check(value):
                raise ConfigError(f"{where}.{token}.{name}: must be {wanted}")
        out[token] = dict(attrs)
    return out
