"""What every vendor package provides, and the request plumbing they share.

A vendor is: its spec (routes and validation), an authenticator (credential -> tenant), one error
renderer (domain error -> the vendor's error body), and handlers keyed by operation id. Handlers get
a `RequestContext` and return a `Reply`; they translate HTTP to model calls and model results to
vendor-shaped JSON, and never build error bodies themselves.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, Callable, Iterable, Mapping
from urllib.parse import quote

from aiohttp import web

from mockserver.engine import Engine
from mockserver.engine.errors import DomainError, NotFound, Unauthorized
from mockserver.engine.store import TenantInit, TenantState
from mockserver.settings import Settings
from mockserver.spec import Operation, VendorSpec


@dataclass(slots=True)
class Reply:
    status: int
    body: Any = None
    headers: dict[str, str] | None = None


@dataclass(slots=True)
class RequestContext:
    request: web.Request
    operation: Operation
    engine: Engine
    tenant: TenantState
    path: dict[str, Any]  # coerced to the types the spec declares
    query: dict[str, Any]  # declared query parameters only, coerced; the raw ones are on `request`
    body: Any = None


# Handlers are synchronous on purpose: with no await between validation and mutation, every request's
# change is atomic on the event loop, and the dispatcher can undo a failed request's side effects.
Handler = Callable[[RequestContext], Reply]


class Vendor:
    """Base class; a vendor package subclasses it and fills `handlers`."""

    name: str = ""

    def __init__(self, engine: Engine, settings: Settings, spec: VendorSpec) -> None:
        self.engine = engine
        self.settings = settings
        self.spec = spec
        self.handlers: dict[str, Handler] = {}

    # -- hooks a vendor overrides ---------------------------------------------------------------
    def authenticate(self, request: web.Request) -> TenantState:
        raise NotImplementedError

    def render_error(self, error: DomainError, operation: Operation | None) -> Reply:
        raise NotImplementedError

    @cached_property
    def declared(self) -> dict[str, Mapping[str, Any]]:
        """Declared credentials by store key, with their attributes (settings are frozen: built once)."""
        return {self.tenant_key(t): attrs for t, attrs in self.settings.declared_tenants.get(self.name, {}).items()}

    def tenant_for(self, token: str, init: TenantInit | None = None) -> TenantState:
        """The tenant a credential names: declared attributes applied, undeclared refused under strict auth."""
        key = self.tenant_key(token)
        strict = self.settings.strict_auth
        known = self.engine.store.find_tenant(self.name, key)
        if known is not None and (not strict or known.attrs.get(ISSUED)):  # every known account: one lookup
            return known
        declared = self.declared
        if strict and key not in declared:
            raise Unauthorized("token not declared (strict auth)")

        def setup(tenant: TenantState) -> None:
            if init is not None:
                init(tenant)
            tenant.attrs.update(declared.get(key, {}))

        return self.engine.store.tenant(self.name, key, setup)

    def tenant_key(self, token: str) -> str:
        """The store key for a credential; a vendor that accepts spellings of one key normalises here."""
        return token

    def not_found(self) -> Reply:
        return self.render_error(NotFound("Not Found", code="route"), None)

    def undeclared_method(self, allowed: list[str]) -> Reply:
        """The answer to a method a path does not declare (`allowed` are the ones it does); its spec
        says which under `x-undeclared-method`. Default: the vendor's not-found answer."""
        return self.not_found()

    def mask(self, body: Any) -> Any:
        """The request body as the journal may keep it: secrets replaced. Default: by field name."""
        return mask_secrets(body)

    def probe(self, tenant: TenantState) -> Iterable[tuple[str, Any]]:
        """Every record of a tenant rendered as its handlers would, each with the id of an operation
        whose 200 answer it must fit. Used to refuse a loaded state that could not be served."""
        return ()

    def export_settings(self) -> dict[str, Any]:
        return {}


def redirect(uri: str) -> Reply:
    """A 302 to `uri`, a URI a client gave (a connect link's or an OAuth redirect URI), made fit for
    a header: every character outside those a URI may hold (controls, spaces, non-ASCII) is
    percent-encoded, as a browser would before following it. Sent as given, a control character
    made aiohttp drop the connection, and a line break could have added a header of the client's."""
    return Reply(302, b"", headers={"Location": quote(uri, safe=URI_CHARACTERS)})


URI_CHARACTERS = ":/?#[]@!$&'()*+,;=%~"  # RFC 3986's reserved characters and `%`, kept as they are


# -- credentials ----------------------------------------------------------------------------------

def bearer_token(request: web.Request) -> str:
    """The token of `Authorization: Bearer <token>`; Unauthorized when absent or malformed."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or " " in token:
        raise Unauthorized("missing or malformed bearer token")
    return token


def basic_credentials(request: web.Request) -> tuple[str, str] | None:
    """`(user, password)` of an `Authorization: Basic` header, or None when there is none or it is garbled."""
    header = request.headers.get("Authorization", "")
    scheme, _, encoded = header.strip().partition(" ")
    if scheme.lower() != "basic" or not encoded.strip():
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    user, sep, password = decoded.partition(":")
    return (user, password) if sep else None


# A tenant attribute: the vendor's own API issued this credential (a Stitch partner's new account),
# so strict auth accepts it as if it had been declared.
ISSUED = "issued_by_api"

SECRET_WORDS = ("password", "secret", "token", "api_key", "apikey", "private_key", "credential", "key_id", "sentinel")
# Names that are secrets as a whole word only (as a part they are not: `author`, `oauth_provider`):
# a Census connect link's page is opened with `?auth=<the link's key>`.
SECRET_NAMES = frozenset({"auth"})
MASK = "********"


@lru_cache(maxsize=4096)  # field names are a small vocabulary, asked about on every journaled body
def is_secret_name(name: str) -> bool:
    lowered = name.lower()
    return lowered in SECRET_NAMES or any(word in lowered for word in SECRET_WORDS)


class SecretNames(dict[str, bool]):
    """Field name -> is its value a secret: a vendor's own secret names, seeded True, and any other
    name decided by `is_secret_name` the first time it is asked about and remembered (bounded).

    Masking asks about every key of every journaled body; as one dictionary, each answer after the
    first is a single lookup in C rather than a vendor lookup plus a cached function call."""

    LIMIT = 4096

    def __init__(self, secret: Iterable[str] = ()) -> None:
        super().__init__((name, True) for name in secret)
        self._seeded = len(self)

    def __missing__(self, name: str) -> bool:
        secret = is_secret_name(name)
        if len(self) >= self._seeded + self.LIMIT:  # a client inventing names cannot grow it without end
            return secret
        self[name] = secret
        return secret


GENERIC_SECRETS = SecretNames()


def mask_secrets(value: Any, secret_names: SecretNames = GENERIC_SECRETS) -> Any:
    """`value` with every field that names a secret replaced by `********`: a copy of each dict and
    list on the way to a masked field, the very same objects wherever nothing was masked.

    Sharing what needs no mask keeps the journal from copying every body it records (most hold no
    secret at all), and lets `rejections.request_secrets` skip, by identity, every part of a body
    that held none. Only dicts and lists are walked (only they can hold a secret field); JSON
    decoding makes exactly these types, so they are tested by `type`, not `isinstance`."""
    kind = type(value)
    if kind is dict:
        out = None
        for key, item in value.items():
            if secret_names[key] and item is not None and item != "":
                shown: Any = MASK
            elif type(item) is dict or type(item) is list:
                shown = mask_secrets(item, secret_names)
                if shown is item:
                    continue
            else:
                continue
            if out is None:
                out = dict(value)
            out[key] = shown
        return value if out is None else out
    if kind is list:
        copied = None
        for i, item in enumerate(value):
            if type(item) is dict or type(item) is list:
                shown = mask_secrets(item, secret_names)
                if shown is not item:
                    if copied is None:
                        copied = list(value)
                    copied[i] = shown
        return value if copied is None else copied
    return value
