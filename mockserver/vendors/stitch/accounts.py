"""Stitch client accounts made through the API: a partner's `POST /v3/accounts`, the partner OAuth
flow (`/oauth/authorization` then `/oauth/token`), and the ephemeral sessions an account asks for.

An account is a tenant like any other (its access token is its store key), made at once with the
attributes the partner sent; the token it answers works on every endpoint from the next request,
strict auth included (the tenant is marked as issued by the API). An OAuth code is kept only as a
fingerprint, in the account it authorizes. Knows nothing of HTTP.
"""

from __future__ import annotations

import hashlib
from typing import Any, Callable, Mapping
from urllib.parse import urlencode

from mockserver.engine import Engine
from mockserver.engine.errors import Invalid, Unauthorized
from mockserver.engine.resources import ResourceType
from mockserver.engine.store import TenantState
from mockserver.vendors.base import ISSUED, Handler, Reply, RequestContext, redirect

EXISTING_USER = "This email address is already associated with an active user."
DEFAULT_REGION = "us-east-1"  # [infer] the Connect API's documented host is the US one
PROFILE = ("first_name", "last_name", "company", "email")
CODE_LIFETIME = 5 * 60  # seconds: "The code is single-use and expires after 5 minutes"
GRANT_TYPE = "authorization_code"


def _fingerprint(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8", "surrogatepass")).hexdigest()[:24]


class AccountModel:
    def __init__(self, engine: Engine, init_account: Callable[[TenantState], None],
                 partners: Mapping[str, str], strict: bool) -> None:
        self.engine = engine
        self.init_account = init_account
        self.partners = partners  # partner_id -> partner_secret; empty: any non-empty pair
        self.strict = strict
        self.codes = engine.resources.declare(ResourceType(vendor="stitch", name="oauth_codes", keep=20))

    def create(self, form: dict[str, Any]) -> TenantState:
        """A new account for `form` (already checked against the spec: every field a non-empty string)."""
        self._check_partner(form["partner_id"], form["partner_secret"])
        if self._holding(form["email"]) is not None:
            raise Invalid(EXISTING_USER, code="ExistingUser")
        return self._new_account({name: form[name] for name in PROFILE}, form.get("region", DEFAULT_REGION), form["partner_id"])

    def _holding(self, email: str) -> TenantState | None:
        wanted = email.strip().lower()
        return next((t for t in self.engine.store.tenants("stitch").values()
                     if str(t.attrs.get("email", "")).lower() == wanted), None)

    def _new_account(self, profile: dict[str, Any], region: str, partner_id: str) -> TenantState:
        token = "ac_" + self.engine.random.token(16)

        def setup(tenant: TenantState) -> None:
            self.init_account(tenant)
            tenant.attrs.update(profile)
            tenant.attrs.update(region=region, partner_id=partner_id)
            tenant.attrs[ISSUED] = True

        return self.engine.store.tenant("stitch", token, setup)

    def _check_partner(self, partner_id: str, secret: str | None) -> None:
        """`secret` None: only the id is known yet (the authorization page)."""
        if self.partners:
            if partner_id not in self.partners or (secret is not None and self.partners[partner_id] != secret):
                raise Unauthorized("partner credentials not declared")
        elif self.strict:
            raise Unauthorized("no partner declared (strict auth)")

    # -- the partner OAuth flow --------------------------------------------------------------------------
    def authorize(self, client_id: str, profile: dict[str, Any]) -> str:
        """The user approves `client_id` for the account holding `profile`'s email (a new account when
        none does): a code for it, usable once within 5 minutes."""
        try:
            self._check_partner(client_id, None)
        except Unauthorized:
            raise Invalid("unknown client_id", code="invalid_client") from None
        email = profile.get("email")
        tenant = self._holding(email) if email else None
        if tenant is None:
            given = {name: profile[name] for name in PROFILE if profile.get(name)}
            tenant = self._new_account(given, DEFAULT_REGION, client_id)
        code = self.engine.random.token(16)
        self.codes.create(tenant, {
            "id": self.codes.new_id(), "fingerprint": _fingerprint(code), "client_id": client_id,
            "expires_at": self.engine.clock.timestamp() + CODE_LIFETIME, "used": False,
        })
        return code

    def exchange(self, form: dict[str, Any]) -> TenantState:
        """The account a code was issued for, once, to the partner it was issued to."""
        if form["grant_type"] != GRANT_TYPE:
            raise Invalid(f"grant_type must be {GRANT_TYPE}", code="unsupported_grant_type")
        fingerprint = _fingerprint(form["code"])
        found = self.codes.locate(lambda record: record["fingerprint"] == fingerprint)
        if found is None:
            raise Invalid("unknown authorization code", code="invalid_grant")
        tenant, record = found
        if record["used"]:
            raise Invalid("the authorization code was used already", code="invalid_grant")
        if self.engine.clock.timestamp() >= record["expires_at"]:
            raise Invalid("the authorization code has expired", code="invalid_grant")
        self._check_partner(record["client_id"], form["client_secret"])
        self.codes.update(tenant, record["id"], used=True)
        return tenant

    def session(self) -> str:
        """An ephemeral token for the vendor's web application, which the mock does not serve."""
        return self.engine.random.token(16)


def with_query(uri: str, values: dict[str, str]) -> str:
    """`uri` with `values` added to its query (as an OAuth server adds `code` to a redirect URI)."""
    base, _, fragment = uri.partition("#")
    joined = base + ("&" if "?" in base else "?") + urlencode(values)
    return joined + ("#" + fragment if fragment else "")


def build_account_handlers(model: AccountModel) -> dict[str, Handler]:
    def answer(tenant: TenantState, **extra: Any) -> dict[str, Any]:
        return {**extra, "access_token": tenant.key, "stitch_account_id": tenant.attrs["stitch_client_id"]}

    def create_account(ctx: RequestContext) -> Reply:
        return Reply(200, answer(model.create(ctx.body)))

    def create_session(ctx: RequestContext) -> Reply:
        return Reply(200, {"ephemeral_token": model.session()})

    def authorize(ctx: RequestContext) -> Reply:
        code = model.authorize(ctx.query["client_id"], ctx.query)
        back = {"code": code, **({"state": ctx.query["state"]} if "state" in ctx.query else {})}
        if ctx.query.get("redirect_uri"):
            return redirect(with_query(ctx.query["redirect_uri"], back))
        page = ("<!doctype html><html><head><meta charset=\"utf-8\"><title>Authorized</title></head><body>"
                f"<h1>Authorized</h1><p>Your authorization code: <code>{code}</code></p></body></html>")
        return Reply(200, page.encode(), headers={"Content-Type": "text/html; charset=utf-8"})

    def exchange(ctx: RequestContext) -> Reply:
        return Reply(200, answer(model.exchange(ctx.body), token_type="bearer"))

    return {
        "create-an-account": create_account,
        "create-a-session": create_session,
        "authorize-a-partner": authorize,
        "exchange-an-authorization-code": exchange,
    }
