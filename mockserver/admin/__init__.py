"""The control plane under /__admin: health, reset, state, journal, clock, scenarios and faults.

`control.Control` holds every operation; `routes` exposes them over HTTP and `testing.MockServer`
calls them directly, so both ways of driving the server behave the same.
"""

from mockserver.admin.control import Control
from mockserver.admin.http import AdminError, admin_step
from mockserver.admin.routes import setup_admin

__all__ = ["AdminError", "Control", "admin_step", "setup_admin"]
