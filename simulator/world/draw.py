"""Cheap random draws for the generator's hot loop (random.choice/choices cost several times more)."""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from itertools import accumulate
from typing import TypeVar

T = TypeVar("T")


def one(rng: random.Random, options: Sequence[T]) -> T:
    return options[int(rng.random() * len(options))]


class Weighted:
    """A fixed weighted choice, cumulative weights computed once."""

    def __init__(self, weighted: dict) -> None:
        self.options = list(weighted)
        self._cumulative = list(accumulate(weighted.values()))
        self._total = self._cumulative[-1]

    def draw(self, rng: random.Random):
        return self.options[bisect(self._cumulative, rng.random() * self._total)]


def below(rng: random.Random, n: int) -> int:
    """An int in [0, n), for n far below 2**53."""
    return int(rng.random() * n)


def between(rng: random.Random, low: int, high: int) -> int:
    """An int in [low, high] (randint without its argument checks)."""
    return low + int(rng.random() * (high - low + 1))


def sample(rng: random.Random, options: Sequence[T], k: int) -> list[T]:
    """k distinct options in random order (random.sample for small tuples, minus its checks)."""
    pool = list(options)
    n = len(pool)
    random_ = rng.random
    for i in range(k):
        j = i + int(random_() * (n - i))
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:k]
