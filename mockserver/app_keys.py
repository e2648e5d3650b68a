"""Typed keys for what `create_app` puts on the application, in a module of their own so that any
part of the package (the demo, the CLI, tests) can read them without importing the app factory."""

from __future__ import annotations

from aiohttp import web

from mockserver.admin import Control
from mockserver.engine import Engine
from mockserver.settings import Settings
from mockserver.spec import SpecRegistry

ENGINE = web.AppKey("engine", Engine)
SETTINGS = web.AppKey("settings", Settings)
REGISTRY = web.AppKey("registry", SpecRegistry)
VENDORS = web.AppKey("vendors", dict)
CONTROL = web.AppKey("control", Control)
