"""Vendor-agnostic simulation: state, ids, time, jobs, randomness and the request journal.

`Engine` bundles them so a vendor receives one object. Nothing here imports a vendor.
"""

from mockserver.engine.core import Engine

__all__ = ["Engine"]
