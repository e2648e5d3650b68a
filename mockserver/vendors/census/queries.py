"""What the mock reads out of a model's SQL: the table it selects from, its columns, and its LIMIT.

Census runs a model's query on the warehouse to learn its columns; the mock has no warehouse, so it
reads the query itself, enough for the queries people write for syncs:

- the table is the first `FROM <name>`, `FROM <schema>.<name>` or `FROM <catalog>.<schema>.<name>`
  (quotes and backticks stripped, matched case-insensitively against the source's tables);
- `SELECT *` gives that table's columns; otherwise each select item is a column named by its alias
  (`expr AS alias`, or `expr alias`) or by the column it names, typed as the table's column of that
  name (else `unknown`);
- a trailing `LIMIT n` caps the rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_IDENT = r'(?:"[^"]+"|`[^`]+`|\[[^\]]+\]|[A-Za-z0-9_$-]+)'
_FROM = re.compile(rf"\bfrom\s+({_IDENT}(?:\s*\.\s*{_IDENT}){{0,2}})", re.IGNORECASE)
_SELECT = re.compile(r"^\s*select\s+(?:distinct\s+)?(.*?)\s+from\s", re.IGNORECASE | re.DOTALL)
_LIMIT = re.compile(r"\blimit\s+([0-9]+)\s*;?\s*$", re.IGNORECASE)
_ALIAS = re.compile(rf"(?:\s+as)?\s+({_IDENT})\s*$", re.IGNORECASE)
_COLUMN = re.compile(rf"^(?:{_IDENT}\s*\.\s*)*({_IDENT})$")


@dataclass(frozen=True)
class Reading:
    table: tuple[str, ...] | None  # the FROM name's parts, unquoted
    columns: tuple[str, ...] | None  # None: `*`
    sources: tuple[str | None, ...]  # per column, the column it reads when it is a bare column reference
    limit: int | None


def _unquote(ident: str) -> str:
    ident = ident.strip()
    if ident[:1] in ('"', "`", "[") and len(ident) > 1:
        return ident[1:-1]
    return ident


def _split_items(select_list: str) -> list[str]:
    """Split on commas outside parentheses and quotes."""
    items: list[str] = []
    current: list[str] = []
    depth, quote = 0, ""
    for char in select_list:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"`":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            items.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    items.append("".join(current).strip())
    return [item for item in items if item]


def read(query: str) -> Reading:
    found = _FROM.search(query)
    table = tuple(_unquote(part) for part in found.group(1).split(".")) if found else None
    limit_match = _LIMIT.search(query)
    limit = int(limit_match.group(1)) if limit_match else None
    select = _SELECT.search(query)
    if select is None or select.group(1).strip() == "*":
        return Reading(table, None, (), limit)
    names: list[str] = []
    sources: list[str | None] = []
    for item in _split_items(select.group(1)):
        column = _COLUMN.match(item)
        alias = _ALIAS.search(item) if column is None else None
        if column is not None:
            names.append(_unquote(column.group(1)))
            sources.append(_unquote(column.group(1)))
        elif alias is not None:
            names.append(_unquote(alias.group(1)))
            sources.append(None)
        else:
            names.append(item)
            sources.append(None)
    return Reading(table, tuple(names), tuple(sources), limit)


def matches(parts: tuple[str, ...], catalog: str, schema: str, name: str) -> bool:
    """`name`, `schema.name` or `catalog.schema.name`, case-insensitively."""
    full = (catalog, schema, name)[-len(parts):]
    return tuple(p.lower() for p in parts) == tuple(p.lower() for p in full)
