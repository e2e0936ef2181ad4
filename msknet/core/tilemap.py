"""A tile map of England's 42 integrated care boards, drawn with Vega-Lite.

Each ICB is one square tile, laid out by hand to follow England's shape
roughly (`msknet/members/data/icb_tiles.csv`), so every ICB gets the same
room whatever its size and nothing is fetched from a map server. The chart is
a `msknet.core.charts.Chart`: its table and CSV/JSON twins carry the figures
the caller gives, one row per ICB it is about.

    chart = tile_map(
        id="sites-in-use",
        title="Sites using it, by ICB",
        description="Tile map of England's ICBs, shaded by sites using it.",
        columns=(Column("icb", "ICB"), Column("in_use", "Sites in use", NUMBER)),
        rows=[("North East and North Cumbria", 3)],
        codes=["QHM"],
        value="in_use",
    )

Tiles of ICBs not in `codes` are drawn in pale grey for context; those in it
are shaded by `value` and labelled with it, so colour is never the only sign.
"""

from __future__ import annotations

import csv
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import altair as alt

from .charts import (
    NHS_DARK_BLUE,
    NHS_PALE_GREY,
    NHS_SECONDARY_TEXT,
    NHS_TEXT,
    VALIDATE_SPECS,
    Chart,
    Column,
    check_figures,
    nhs_style,
)

DATA = Path(__file__).resolve().parent.parent / "members" / "data"
TILES_CSV = DATA / "icb_tiles.csv"
ICBS_CSV = DATA / "icbs.csv"
#: The lightest shade for an ICB of the highlighted set, and the darkest.
LIGHT, DARK = "#deebf7", NHS_DARK_BLUE
TILE_WIDTH, TILE_HEIGHT = 84, 64
LABEL_WIDTH = 16  # characters on a line of a tile's label


@dataclass(frozen=True)
class Tile:
    """One ICB's tile: where it sits on the grid, and its names."""

    code: str
    column: int
    row: int
    name: str

    @property
    def short_name(self) -> str:
        """'NHS Devon Integrated Care Board' → 'Devon', as `ICB.short_name`."""
        return self.name.removeprefix("NHS ").removesuffix(" Integrated Care Board")

    @property
    def label_lines(self) -> list[str]:
        return (textwrap.wrap(self.short_name, LABEL_WIDTH, break_long_words=False)
                or [self.code])


def read_tiles(tiles_csv: Path = TILES_CSV, icbs_csv: Path = ICBS_CSV) -> list[Tile]:
    """Every tile in `tiles_csv`, named from `icbs_csv`, in the file's order.

    Raises ValueError for a tile of an ICB the list lacks, or two tiles on
    one square, so a mistake in the shipped file is found when it loads.
    """
    with icbs_csv.open(newline="", encoding="utf-8") as f:
        names = {row["icb_ods_code"]: row["icb_name"] for row in csv.DictReader(f)}
    tiles: list[Tile] = []
    taken: dict[tuple[int, int], str] = {}
    with tiles_csv.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code = row["icb_ods_code"].strip()
            if code not in names:
                raise ValueError(f"{tiles_csv.name}: {code} is not an ICB in "
                                 f"{icbs_csv.name}")
            square = (int(row["column"]), int(row["row"]))
            if square in taken:
                raise ValueError(f"{tiles_csv.name}: {code} and {taken[square]} "
                                 f"share the tile at {square}")
            taken[square] = code
            tiles.append(Tile(code, square[0], square[1], names[code]))
    return tiles


@cache
def tiles() -> tuple[Tile, ...]:
    """The shipped tiles, read once."""
    return tuple(read_tiles())


def tile_map(
    *,
    id: str,
    title: str,
    description: str,
    columns: tuple[Column, ...],
    rows: Sequence[tuple[Any, ...]],
    codes: Sequence[str],
    value: str,
    all_tiles: Sequence[Tile] | None = None,
) -> Chart:
    """A tile map whose table twin is `rows`; `codes[i]` is row i's ICB.

    `value` names the numeric column each highlighted tile is shaded by and
    labelled with.
    """
    rows = [tuple(row) for row in rows]
    check_figures(id, columns, rows)
    if len(codes) != len(rows):
        raise ValueError(f"Tile map {id!r} has {len(rows)} rows for "
                         f"{len(codes)} ICB codes")
    keys = [c.key for c in columns]
    by_code = {code: dict(zip(keys, row, strict=True))
               for code, row in zip(codes, rows, strict=True)}
    value_column = columns[keys.index(value)]
    highest = max([by_code[c][value] or 0 for c in by_code] + [0])
    data = []
    for tile in all_tiles if all_tiles is not None else tiles():
        figures = by_code.get(tile.code)
        shown = figures[value] if figures is not None else None
        data.append({
            "code": tile.code, "column": tile.column, "row": tile.row,
            "icb": tile.short_name, "label": tile.label_lines,
            "highlighted": figures is not None,
            "value": shown,
            "value_text": (f"{shown:,} {value_column.heading.lower()}"
                           if figures is not None else "Not in this network"),
            "dark": figures is not None and highest > 0 and shown * 2 > highest,
        })
    base = alt.Chart(alt.Data(values=data), description=description)
    x = alt.X("column:O", axis=None)
    y = alt.Y("row:O", axis=None)
    tooltip = [alt.Tooltip("icb:N", title="ICB"),
               alt.Tooltip("value_text:N", title=value_column.heading)]
    background = base.mark_rect(
        color=NHS_PALE_GREY, stroke="#ffffff", strokeWidth=2
    ).encode(x=x, y=y, tooltip=tooltip)
    shaded = base.transform_filter("datum.highlighted").mark_rect(
        stroke=NHS_TEXT, strokeWidth=2
    ).encode(
        x=x, y=y, tooltip=tooltip,
        color=alt.Color(
            "value:Q", title=value_column.heading,
            scale=alt.Scale(range=[LIGHT, DARK], domainMin=0,
                            domainMax=max(highest, 1)),
            legend=alt.Legend(format=",d", tickMinStep=1),
        ),
    )
    text_colour = alt.condition("datum.dark", alt.value("#ffffff"),
                                alt.value(NHS_TEXT))
    name_colour = alt.condition("datum.dark", alt.value("#ffffff"),
                                alt.value(NHS_SECONDARY_TEXT))
    # Names hang from the top of each tile and the figure sits at its foot,
    # so a name of up to four lines never runs into its number.
    names = base.mark_text(
        baseline="top", dy=4 - TILE_HEIGHT / 2, fontSize=9, lineHeight=10
    ).encode(x=x, y=y, text="label:N", tooltip=tooltip, color=name_colour)
    figures_text = base.transform_filter("datum.highlighted").mark_text(
        baseline="bottom", dy=TILE_HEIGHT / 2 - 3, fontSize=13, fontWeight="bold"
    ).encode(x=x, y=y, text=alt.Text("value:Q", format=",d"), tooltip=tooltip,
             color=text_colour)
    spec = nhs_style(
        alt.layer(background, shaded, names, figures_text).properties(
            width=alt.Step(TILE_WIDTH), height=alt.Step(TILE_HEIGHT)
        )
    ).to_dict(validate=VALIDATE_SPECS)
    return Chart(id, title, description, tuple(columns), tuple(rows), spec)


__all__ = ["Tile", "read_tiles", "tile_map", "tiles"]
