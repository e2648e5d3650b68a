"""A stateful, high-fidelity mock server for the Stitch Connect, Portable and Census APIs."""

__version__ = "0.1.0"
