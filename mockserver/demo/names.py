"""A made-up company name for the demo data, from the seed: same seed, same name.

The demo needs one plausible name ("Silverbrook Logistics") to put in destination names and
descriptions. A few word lists do that; a fake-data library would be a dependency (and a pytest
plugin in every user's test session) for one string.
"""

from __future__ import annotations

import random

FIRST = ("Silver", "North", "Blue", "Red", "Green", "Iron", "Oak", "Cedar", "Summit", "River", "Harbor",
         "Stone", "Maple", "Pine", "Falcon", "Bright", "Copper", "Granite", "Willow", "Aspen", "Lake", "Sun")
SECOND = ("brook", "field", "ridge", "wood", "gate", "point", "haven", "line", "crest", "vale", "ford", "bay")
TRADE = ("Logistics", "Analytics", "Foods", "Outfitters", "Health", "Energy", "Retail", "Media", "Labs",
         "Travel", "Insurance", "Manufacturing", "Apparel", "Software", "Pharmacy", "Home Goods")


def company_name(rng: random.Random) -> str:
    """`<First><second> <Trade>`, e.g. "Cedarhaven Foods"; 4,224 of them, drawn from `rng`."""
    return f"{rng.choice(FIRST)}{rng.choice(SECOND)} {rng.choice(TRADE)}"
