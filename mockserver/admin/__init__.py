"""The control plane under /__admin: health and reset (the rest of the control plane grows here)."""

from mockserver.admin.routes import setup_admin

__all__ = ["setup_admin"]
