"""The vendor packages. Each exposes `create(engine, settings) -> Vendor`; none imports another."""

from __future__ import annotations

import importlib

from mockserver.engine import Engine
from mockserver.settings import Settings
from mockserver.spec import VendorSpec
from mockserver.vendors.base import Vendor

VENDOR_MODULES = {
    "stitch": "mockserver.vendors.stitch",
    "portable": "mockserver.vendors.portable",
    "census": "mockserver.vendors.census",
}


def create_vendor(spec: VendorSpec, engine: Engine, settings: Settings) -> Vendor:
    name = spec.vendor
    if name not in VENDOR_MODULES:
        raise ValueError(f"unknown vendor {name!r}; known: {', '.join(VENDOR_MODULES)}")
    module = importlib.import_module(VENDOR_MODULES[name])
    return module.create(engine, settings, spec)
