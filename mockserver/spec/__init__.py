"""Vendor-agnostic API descriptions: load spec files into one Operation model, validate against it.

Two source formats feed the same model: OpenAPI 3.x documents (Portable, Census) and Stitch-style
endpoint definitions (Stitch). Nothing here knows about a particular vendor.
"""

from mockserver.spec.model import Operation, Parameter, ResponseSpec, SpecRegistry, VendorSpec
from mockserver.spec.loader import load_vendor_spec

__all__ = ["Operation", "Parameter", "ResponseSpec", "SpecRegistry", "VendorSpec", "load_vendor_spec"]
