"""Census's pagination, as its API docs describe it, for every collection GET.

- `page`: default 1; 0 (and any value below 1) counts as 1.
- `per_page`: default 25; over 100 clamps to 100, below 1 clamps to 1.
- `order`: `desc` (default) or `asc`, by creation time (catalogues: their fixture order).
  Non-integer `page`/`per_page` and other `order` values are rejected by the spec (400).
- `pagination`: `{total_records, per_page, prev_page, page, next_page, last_page}`; `last_page` is at
  least 1 (an empty collection has one, empty, page); `prev_page`/`next_page` are null at the ends,
  and both are null on a page past the last.
- `next`: the deprecated full URL of the next page (or null), on the host the request came to.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Mapping, Sequence

from yarl import URL

DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 100


def page_of(
    items: Sequence[Any], query: Mapping[str, Any], url: URL, render: Callable[[Any], Any] = lambda item: item
) -> dict[str, Any]:
    """The paginated envelope for `items` (given oldest first); only the page's items are rendered."""
    page = max(1, int(query.get("page", 1)))
    per_page = min(MAX_PER_PAGE, max(1, int(query.get("per_page", DEFAULT_PER_PAGE))))
    ordered = list(items) if query.get("order", "desc") == "asc" else list(reversed(items))
    total = len(ordered)
    last_page = max(1, math.ceil(total / per_page))
    in_range = page <= last_page
    next_page = page + 1 if page < last_page else None
    next_query = {"page": str(next_page), "per_page": str(per_page)}
    if "order" in query:
        next_query["order"] = str(query["order"])
    return {
        "status": "success",
        "data": [render(item) for item in ordered[(page - 1) * per_page : page * per_page]],
        "next": str(url.with_query(next_query)) if next_page is not None else None,
        "pagination": {
            "total_records": total,
            "per_page": per_page,
            "prev_page": page - 1 if page > 1 and in_range else None,
            "page": page,
            "next_page": next_page,
            "last_page": last_page,
        },
    }
