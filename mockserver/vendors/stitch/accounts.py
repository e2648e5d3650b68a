"""Stitch client accounts made through the API: a partner's `POST /v3/accounts`, and the ephemeral
sessions an account asks for.

An account is a tenant like any other (its access token is its store key), made at once with the
attributes the partner sent; the token it answers works on every endpoint from the next request,
strict auth included (the tenant is marked as issued by the API). Knows nothing of HTTP.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

from mockserver.engine import Engine
from mockserver.engine.errors import Invalid, Unauthorized
from mockserver.engine.store import TenantState
from mockserver.vendors.base import ISSUED, Handler, Reply, RequestContext

EXISTING_USER = "This email address is already associated with an active user."
DEFAULT_REGION = "us-east-1"  # [infer] the Connect API's documented host is the US one
PROFILE = ("first_name", "last_name", "company", "email")


class AccountModel:
    def __init__(self, engine: Engine, init_account: Callable[[TenantState], None],
                 partners: Mapping[str, str], strict: bool) -> None:
        self.engine = engine
        self.init_account = init_account
        self.partners = partners  # partner_id -> partner_secret; empty: any non-empty pair
        self.strict = strict

    def create(self, form: dict[str, Any]) -> TenantState:
        """A new account for `form` (already checked against the spec: every field a non-empty string)."""
        self._check_partner(form["partner_id"], form["partner_secret"])
        email = form["email"].strip().lower()
        if any(str(t.attrs.get("email", "")).lower() == email for t in self.engine.store.tenants("stitch").values()):
            raise Invalid(EXISTING_USER, code="ExistingUser")
        token = "ac_" + self.engine.random.token(16)

        def setup(tenant: TenantState) -> None:
            self.init_account(tenant)
            tenant.attrs.update({name: form[name] for name in PROFILE})
            tenant.attrs.update(region=form.get("region", DEFAULT_REGION), partner_id=form["partner_id"])
            tenant.attrs[ISSUED] = True

        return self.engine.store.tenant("stitch", token, setup)

    def _check_partner(self, partner_id: str, secret: str) -> None:
        if self.partners:
            if self.partners.get(partner_id) != secret:
                raise Unauthorized("partner credentials not declared")
        elif self.strict:
            raise Unauthorized("no partner declared (strict auth)")

    def session(self) -> str:
        """An ephemeral token for the vendor's web application, which the mock does not serve."""
        return self.engine.random.token(16)


def build_account_handlers(model: AccountModel) -> dict[str, Handler]:
    def create_account(ctx: RequestContext) -> Reply:
        tenant = model.create(ctx.body)
        return Reply(200, {"access_token": tenant.key, "stitch_account_id": tenant.attrs["stitch_client_id"]})

    def create_session(ctx: RequestContext) -> Reply:
        return Reply(200, {"ephemeral_token": model.session()})

    return {"create-an-account": create_account, "create-a-session": create_session}
