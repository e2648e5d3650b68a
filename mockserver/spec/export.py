"""A vendor's OpenAPI 3.1 document as served at `/__admin/specs/{vendor}`, for outside tools.

It is the very document the server routes and validates by (`VendorSpec.document`), with one
change: the running mock is named as the first server, so schemathesis, Prism or a client generator
pointed at the URL talks to this mock; the vendor's real base URL stays listed after it.
"""

from __future__ import annotations

from typing import Any

from mockserver.spec.model import VendorSpec


def served_document(spec: VendorSpec, base_url: str) -> dict[str, Any]:
    document = dict(spec.document)  # shallow: only `servers` is replaced, the rest is shared, read-only
    vendor_servers = [
        {**server, "description": server.get("description", f"the real {spec.vendor} API")}
        for server in spec.document.get("servers", [])
    ]
    document["servers"] = [{"url": base_url.rstrip("/"), "description": "this mock server"}, *vendor_servers]
    return document
