"""Lets `python -m mockserver serve` behave exactly like the `mockserver` console script."""

from mockserver.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
