"""Progress of a long batch run as plain lines, for output that is not a terminal (a
scheduled run's log): every so many seconds and at the end, the files done, the rate and
the time left — «Обработано 500 из 2 000 книг (25 %), 41,7 книги/с, осталось ≈ 36 с»."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

from sheetprog.fmt import number


def duration(seconds: float) -> str:
    """ "36 с", "4 мин 05 с", "1 ч 02 мин"."""
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} ч {minutes:02d} мин"
    if minutes:
        return f"{minutes} мин {secs:02d} с"
    return f"{secs} с"


def progress_line(done: int, total: int, elapsed: float) -> str:
    rate = done / elapsed if elapsed > 0 else 0.0
    share = f" ({done * 100 // total} %)" if total else ""
    word = "книги" if total % 10 == 1 and total % 100 != 11 else "книг"  # из 1 книги, из 5 книг
    line = f"Обработано {number(done)} из {number(total)} {word}{share}"
    if done and elapsed > 0:
        rate_text = number(round(rate, 1)) if rate < 100 else number(round(rate))
        line += f", {rate_text} книг/с"
        if done < total:
            line += f", осталось ≈ {duration((total - done) / rate)}"
        else:
            line += f", за {duration(elapsed)}"
    return line + "."


class ProgressLines:
    """A ``progress(done, total)`` callback that writes a line at most every ``every``
    seconds, and the last one when all is done."""

    def __init__(
        self,
        stream: TextIO,
        every: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.every = every
        self.clock = clock
        self.start = self.last = clock()

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        if done < total and now - self.last < self.every:
            return
        self.last = now
        self.stream.write(progress_line(done, total, now - self.start) + "\n")
        self.stream.flush()
