"""The course of a yearly series in a few landmarks: where it started, peaked, bottomed and
ended, and the shape they make (a rise to a peak and a fall after it, a fall and a rise, a rise,
a fall, about the same), so that a chapter tells only what the numbers show.

A move counts only when it is larger than ``tolerance`` (by default 5 % of the largest absolute
value in the series): swings of small numbers are not told as a rise or a fall.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

#: A move smaller than this share of the series' largest absolute value is no move.
RELATIVE_TOLERANCE = 0.05
#: Fewer years with values than this: no course is told.
MIN_YEARS = 3

RISE_THEN_FALL = "rise_then_fall"
FALL_THEN_RISE = "fall_then_rise"
RISE = "rise"
FALL = "fall"
FLAT = "flat"
TOO_FEW = "too_few"

Point = tuple[int, float]


@dataclass(frozen=True)
class Course:
    """Landmarks of a series (``(year, value)``) and its ``shape``.

    ``peak`` and ``trough`` are the highest and lowest values (the earliest year on a tie);
    ``after`` is the lowest value after the peak for a rise then fall (the highest after the
    trough for a fall then rise), which may differ from ``last`` when the series turned again.
    """

    shape: str
    first: Point | None = None
    last: Point | None = None
    peak: Point | None = None
    trough: Point | None = None
    after: Point | None = None
    tolerance: float = 0.0
    n_years: int = 0

    def turned_again(self) -> bool:
        """Whether the series moved more than the tolerance between ``after`` and ``last``."""
        if self.after is None or self.last is None:
            return False
        return abs(self.last[1] - self.after[1]) > self.tolerance and self.after != self.last


def course(values: Mapping[int, float], tolerance: float | None = None) -> Course:
    """The :class:`Course` of ``values`` (year → value; missing values are NaN or absent)."""
    points = sorted(
        (int(y), float(v)) for y, v in values.items() if v is not None and not math.isnan(v)
    )
    if len(points) < MIN_YEARS:
        return Course(TOO_FEW, n_years=len(points))
    tol = RELATIVE_TOLERANCE * max(abs(v) for _, v in points) if tolerance is None else tolerance
    first, last = points[0], points[-1]
    peak = max(points, key=lambda p: (p[1], -p[0]))
    trough = min(points, key=lambda p: (p[1], p[0]))

    def make(shape: str, after: Point | None = None) -> Course:
        return Course(shape, first, last, peak, trough, after, tol, len(points))

    ends = (first[0], last[0])
    rose_to_peak = peak[0] not in ends and peak[1] - first[1] > tol and peak[1] - last[1] > tol
    fell_to_trough = (
        trough[0] not in ends and first[1] - trough[1] > tol and last[1] - trough[1] > tol
    )
    if rose_to_peak and fell_to_trough:  # both: tell the larger swing
        rise = peak[1] - min(first[1], last[1])
        fall = max(first[1], last[1]) - trough[1]
        rose_to_peak, fell_to_trough = rise >= fall, rise < fall
    if rose_to_peak:
        after = min((p for p in points if p[0] > peak[0]), key=lambda p: (p[1], p[0]))
        return make(RISE_THEN_FALL, after)
    if fell_to_trough:
        after = max((p for p in points if p[0] > trough[0]), key=lambda p: (p[1], -p[0]))
        return make(FALL_THEN_RISE, after)
    if last[1] - first[1] > tol:
        return make(RISE)
    if first[1] - last[1] > tol:
        return make(FALL)
    return make(FLAT)
