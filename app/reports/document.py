"""A report as format-neutral blocks: facts, tables, charts and notes.

Every renderer (PDF, XLSX, CSV, the UI preview) draws the same Document, so the
numbers cannot differ between formats. Cells hold ints for counts (renderers format
them) and str for everything else."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Union



class Signed(int):
    """A change such as an amendment's +1 / −1: a number in every format (Excel can
    sum it), shown with its sign."""

    def __repr__(self) -> str:
        return f"Signed({int(self):+d})"


Cell = Union[int, str]   # int (Signed included) for numbers; renderers format them


@dataclass(frozen=True)
class Head:
    """A header cell spanning `span` columns."""
    text: str
    span: int = 1


@dataclass
class Table:
    key: str                         # stable id (tests, CSV section, XLSX anchor)
    title: str
    header: list[list[Head]]         # one or more header rows; spans add up to the width
    rows: list[list[Cell]]
    total_rows: int = 0              # trailing rows that are totals (drawn bold)
    note: str = ""

    @property
    def width(self) -> int:
        return sum(h.span for h in self.header[-1]) if self.header else len(self.rows[0])

    def flat_header(self) -> list[str]:
        """One name per column (upper header text + lower), for CSV and lookups."""
        names = [""] * self.width
        for level in self.header:
            col = 0
            for h in level:
                for i in range(h.span):
                    names[col + i] = f"{names[col + i]}／{h.text}" if names[col + i] and h.text else (
                        names[col + i] or h.text)
                col += h.span
        return names

    def column(self, name: str) -> int:
        return self.flat_header().index(name)


def simple_header(*names: str) -> list[list[Head]]:
    return [[Head(n) for n in names]]


@dataclass(frozen=True)
class Facts:
    key: str
    title: str
    items: list[tuple[str, str]]


@dataclass(frozen=True)
class Note:
    key: str
    text: str


@dataclass(frozen=True)
class BarChart:
    """Grouped bars: one group per category, one bar per series."""
    key: str
    title: str
    categories: list[str]
    series: list[tuple[str, list[int]]]


@dataclass(frozen=True)
class ProgressChart:
    """Cumulative actual by date against a horizontal target line."""
    key: str
    title: str
    points: list[tuple[date, int]]
    target: int
    target_label: str


Chart = Union[BarChart, ProgressChart]


@dataclass(frozen=True)
class Charts:
    """Charts placed side by side (wrapping to the next row when they do not fit)."""
    key: str
    title: str
    charts: list[Chart]


Block = Union[Facts, Table, Note, Charts]


@dataclass
class Document:
    kind: str                        # daily | monthly | final
    title: str
    subtitle: str
    landscape: bool
    generated_at: datetime
    lang: str = "ja"
    blocks: list[Block] = field(default_factory=list)
    footer: str = ""

    def table(self, key: str) -> Table:
        return next(b for b in self.blocks if isinstance(b, Table) and b.key == key)

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def chart_tables(self) -> list[Table]:
        """The charts' numbers as tables: spreadsheets and CSV carry the data."""
        out = []
        for block in self.blocks:
            if isinstance(block, Charts):
                out += [chart_table(c) for c in block.charts]
        return out


def chart_table(chart: Chart) -> Table:
    if isinstance(chart, BarChart):
        header = simple_header("", *[name for name, _ in chart.series])
        rows = [[cat, *[values[i] for _, values in chart.series]]
                for i, cat in enumerate(chart.categories)]
        return Table(chart.key, chart.title, header, rows)
    header = simple_header("", chart.title, chart.target_label)
    rows = [[d.isoformat(), n, chart.target] for d, n in chart.points]
    return Table(chart.key, chart.title, header, rows)
