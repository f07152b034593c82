"""Which spans cover a position: a sorted index, so that long texts with thousands of mentions
stay linear-ish instead of checking every earlier mention for every candidate."""

from __future__ import annotations

from bisect import bisect_right


class SpanIndex:
    """Spans as (start, end) pairs; `covers(a, b)` is whether one of them holds [a, b)."""

    def __init__(self, spans=()):
        self._spans = sorted((s, e) for s, e in spans)
        self._starts = [s for s, _ in self._spans]
        # the longest end among spans starting at or before each index: a span further back can cover
        self._reach = []
        best = -1
        for _, e in self._spans:
            best = max(best, e)
            self._reach.append(best)

    def covers(self, a: int, b: int, strict_start: bool = False) -> bool:
        i = bisect_right(self._starts, a) - 1
        while i >= 0 and self._reach[i] >= b:
            s, e = self._spans[i]
            if (s < a if strict_start else s <= a) and b <= e:
                return True
            i -= 1
        return False

    def overlaps(self, a: int, b: int) -> bool:
        i = bisect_right(self._starts, b - 1) - 1
        while i >= 0 and self._reach[i] > a:
            s, e = self._spans[i]
            if s < b and a < e:
                return True
            i -= 1
        return False
