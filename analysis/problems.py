"""One way to report bad input: ``file:row:column: message``, the form editors and CI logs link to.

Every check of the package (the data against the codebook, the bibliography, the identifier scan, the lint of
typed numbers, the translations) reports a list of :class:`Problem`; :func:`report` prints them and gives the
exit status of a command.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Iterable, TextIO


@dataclass(frozen=True)
class Problem:
    file: str  # relative to the repository (or the data directory) where it can be
    row: int | None  # the line or data row, counted as the file shows it
    column: str | None  # a column name, a field or a key inside the file
    message: str

    def __str__(self) -> str:
        row = self.row if self.row is not None else "-"
        return f"{self.file}:{row}:{self.column or '-'}: {self.message}"


def report(problems: Iterable[Problem], what: str, stream: TextIO = sys.stderr) -> int:
    """Print each problem and a count; 1 if there was any, else 0 (a command's exit status)."""
    problems = list(problems)
    for problem in problems:
        print(problem, file=stream)
    if problems:
        print(f"{what}: {len(problems)} problem(s)", file=stream)
    return 1 if problems else 0
