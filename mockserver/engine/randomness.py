"""The app's one source of randomness: same seed, same ids, names and tokens, byte for byte."""

from __future__ import annotations

import random
import uuid


class Randomness:
    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.random = random.Random(seed)
        self._streams: dict[str, random.Random] = {}

    def stream(self, name: str) -> random.Random:
        """A separate seeded generator for one concern (e.g. fault dice): using it never shifts the ids."""
        if name not in self._streams:
            self._streams[name] = random.Random(f"{self.seed}:{name}")
        return self._streams[name]

    def reseed(self) -> None:
        self.random.seed(self.seed)
        for name, stream in self._streams.items():
            stream.seed(f"{self.seed}:{name}")

    def uuid4(self) -> str:
        return str(uuid.UUID(int=self.random.getrandbits(128), version=4))

    def randint(self, low: int, high: int) -> int:
        return self.random.randint(low, high)

    def token(self, nbytes: int = 16) -> str:
        return self.random.getrandbits(nbytes * 8).to_bytes(nbytes, "big").hex()
