"""`python benchmarks/variant.py --without PART [serve options]`: mockserver with one part switched off.

For the "what does each part cost" figures: the same server, the same scenario, once as shipped
and once without one part, side by side. Parts are switched off here, by replacing one function
before the app is built, so the product carries no benchmark-only options:

- `journal`: the request middleware's journal step records nothing (no journal entry, no access-log
  line, no rejection header); its other steps (faults, change tracking, JSON errors, admin) still run,
  so the figure is what the journal itself costs;
- `rejection`: no refusal reason is recorded, so no `X-Mock-Rejection` header is built;
- `lifecycles`: the job runner never runs due work (`Scheduler.run_due` does nothing).

A part this build does not have is an error (exit 3), so a renamed function cannot silently turn a
comparison into "the same server twice".
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's mockserver, not an installed one

PARTS = ("journal", "rejection", "lifecycles")


def switch_off(part: str) -> None:
    if part == "journal":
        import mockserver.middlewares as middlewares

        if not hasattr(middlewares, "record"):
            raise LookupError("mockserver.middlewares.record")
        middlewares.record = lambda *a, **k: None  # type: ignore[assignment]
    elif part == "rejection":
        import mockserver.rejections as rejections

        patched = 0
        for module in list(sys.modules.values()):
            name = getattr(module, "__name__", "")
            if not name.startswith("mockserver"):
                continue
            for attr in ("reject", "rejected"):
                if getattr(module, attr, None) is getattr(rejections, attr, object()):
                    setattr(module, attr, lambda *a, **k: None)
                    patched += 1
        if not patched:
            raise LookupError("mockserver.rejections.reject/rejected")
    elif part == "lifecycles":
        from mockserver.engine.scheduler import Scheduler

        if not hasattr(Scheduler, "run_due"):
            raise LookupError("Scheduler.run_due")
        Scheduler.run_due = lambda self, *a, **k: 0  # type: ignore[method-assign]
    else:
        raise LookupError(part)


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] != "--without" or argv[1] not in PARTS:
        print(f"usage: variant.py --without {{{','.join(PARTS)}}} [serve options]", file=sys.stderr)
        return 2
    import mockserver.app  # noqa: F401  (imported first so every module that names a part is loaded)
    import mockserver.cli as cli

    try:
        switch_off(argv[1])
    except LookupError as exc:
        print(f"variant.py: this build has no {exc}; cannot switch off {argv[1]!r}", file=sys.stderr)
        return 3
    return cli.main(argv[2:])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
