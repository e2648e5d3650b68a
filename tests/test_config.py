"""--config (declared tokens and their attributes) and --strict-auth, from the file to HTTP answers."""

from __future__ import annotations

import pytest
from stitch_support import SEED_V4_CREATE

from mockserver.cli import build_parser, settings_from_args
from mockserver.config import ConfigError, load_config, parse_config

CONFIG = """\
strict_auth: true
tokens:
  stitch:
    sk-big: {destination_limit: 3}
    sk-small: {}
  portable:
    pt-starter: {api_access: false}
  census:
    - cs-one
"""


def settings_for(tmp_path, text: str, *extra: str):
    path = tmp_path / "mock.yaml"
    path.write_text(text)
    return settings_from_args(build_parser().parse_args(["serve", "--config", str(path), *extra]))


def test_the_config_file_feeds_declared_tenants_and_strict_auth(tmp_path):
    settings = settings_for(tmp_path, CONFIG)
    assert settings.strict_auth is True
    assert settings.declared_tenants == {
        "stitch": {"sk-big": {"destination_limit": 3}, "sk-small": {}},
        "portable": {"pt-starter": {"api_access": False}},
        "census": {"cs-one": {}},
    }


def test_strict_auth_flag_with_a_lenient_file(tmp_path):
    settings = settings_for(tmp_path, "tokens: {stitch: [sk-a]}", "--strict-auth")
    assert settings.strict_auth is True


def test_strict_auth_without_declared_tokens_refuses_to_start():
    with pytest.raises(SystemExit, match="declare tokens with --config"):
        settings_from_args(build_parser().parse_args(["serve", "--strict-auth"]))


def test_a_bad_config_file_stops_the_start_with_its_place(tmp_path):
    with pytest.raises(SystemExit, match=r"tokens\.stitch\.sk-a\.destination_limit: must be a whole number"):
        settings_for(tmp_path, "tokens: {stitch: {sk-a: {destination_limit: 0}}}")


@pytest.mark.parametrize(
    "raw, message",
    [
        ([], "the top level must be a mapping"),
        ({"token": {}}, "unknown key(s) token"),
        ({"strict_auth": "yes"}, "strict_auth must be true or false"),
        ({"tokens": ["a"]}, "tokens must map a vendor name"),
        ({"tokens": {"nobody": {}}}, "tokens.nobody: unknown vendor"),
        ({"tokens": {"stitch": "sk-a"}}, "give a mapping of token -> attributes, or a list of tokens"),
        ({"tokens": {"stitch": [1]}}, "give a mapping of token -> attributes"),
        ({"tokens": {"stitch": {"": {}}}}, "must be a non-empty string without spaces"),
        ({"tokens": {"stitch": {"a b": {}}}}, "must be a non-empty string without spaces"),
        ({"tokens": {"stitch": {"sk": [1]}}}, "tokens.stitch.sk: attributes must be a mapping"),
        ({"tokens": {"stitch": {"sk": {"plan": "pro"}}}}, "unknown attribute 'plan'; known: destination_limit"),
        ({"tokens": {"stitch": {"sk": {"destination_limit": True}}}}, "destination_limit: must be a whole number"),
        ({"tokens": {"portable": {"pt": {"api_access": "no"}}}}, "api_access: must be true or false"),
        ({"tokens": {"census": {"cs": {"workspace_name": ""}}}}, "workspace_name: must be a non-empty string"),
        ({"partners": ["oc_a"]}, "partners must map a vendor name"),
        ({"partners": {"census": {"p": "s"}}}, "partners.census: only stitch has partners"),
        ({"partners": {"stitch": {}}}, "partners.stitch: give a mapping of partner id -> partner secret"),
        ({"partners": {"stitch": {"oc a": "s"}}}, "the partner id 'oc a' must be a non-empty string"),
        ({"partners": {"stitch": {"oc_a": 12345}}}, "the secret of 'oc_a' must be a non-empty string"),
    ],
)
def test_config_mistakes_are_named(raw, message):
    with pytest.raises(ConfigError) as caught:
        parse_config(raw, "mock.yaml")
    assert message in str(caught.value) and str(caught.value).startswith("mock.yaml: ")


def test_unreadable_and_invalid_files(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("tokens: [unclosed")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(bad)
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    assert load_config(empty).declared_tenants == {}


async def test_strict_auth_refuses_undeclared_tokens_over_http(make_mock, tmp_path):
    config = load_config_text(tmp_path, CONFIG)
    mock = await make_mock(declared_tenants=config.declared_tenants, strict_auth=config.strict_auth)
    assert (await mock.get("/v4/destinations", token="sk-small")).status == 200
    answer = await mock.get("/v4/destinations", token="sk-unknown")
    assert (answer.status, answer.body) == (401, {"message": "Not Authorized"})
    assert "sk-unknown" not in mock.state()["vendors"]["stitch"]["tenants"]


async def test_declared_destination_limit_applies(make_mock, tmp_path):
    config = load_config_text(tmp_path, CONFIG)
    mock = await make_mock(declared_tenants=config.declared_tenants)
    statuses = [(await mock.post("/v4/destinations", SEED_V4_CREATE, token="sk-big")).status for _ in range(4)]
    assert statuses == [200, 200, 200, 400]
    statuses = [(await mock.post("/v4/destinations", SEED_V4_CREATE, token="sk-small")).status for _ in range(2)]
    assert statuses == [200, 400]  # the default limit


def load_config_text(tmp_path, text: str):
    path = tmp_path / "c.yaml"
    path.write_text(text)
    return load_config(path)


def test_partners_reach_the_settings_and_a_secret_is_never_quoted(tmp_path):
    settings = settings_for(tmp_path, "partners: {stitch: {oc_partner: oc_secret}}\n")
    assert settings.partners == {"stitch": {"oc_partner": "oc_secret"}}
    with pytest.raises(ConfigError) as caught:
        parse_config({"partners": {"stitch": {"oc_a": "has space"}}}, "mock.yaml")
    assert "has space" not in str(caught.value)
