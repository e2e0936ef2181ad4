"""The ICB tile map: one tile per ICB, and a chart whose twins are its rows."""

import csv

import altair as alt
import pytest

from msknet.core import tilemap
from msknet.core.charts import NUMBER, Column


def icb_codes():
    with tilemap.ICBS_CSV.open(newline="", encoding="utf-8") as f:
        return [row["icb_ods_code"] for row in csv.DictReader(f)]


def test_every_icb_has_exactly_one_tile_of_its_own():
    tiles = tilemap.read_tiles()
    codes = [t.code for t in tiles]
    squares = [(t.column, t.row) for t in tiles]

    assert sorted(codes) == sorted(icb_codes())
    assert len(set(codes)) == len(codes) == 42
    assert len(set(squares)) == len(squares)


def test_a_tile_on_a_taken_square_is_refused(tmp_path):
    tiles_csv = tmp_path / "tiles.csv"
    tiles_csv.write_text("icb_ods_code,column,row\nQHM,4,0\nQE1,4,0\n")

    with pytest.raises(ValueError, match="share the tile"):
        tilemap.read_tiles(tiles_csv)


def test_a_tile_for_no_known_icb_is_refused(tmp_path):
    tiles_csv = tmp_path / "tiles.csv"
    tiles_csv.write_text("icb_ods_code,column,row\nZZZ,0,0\n")

    with pytest.raises(ValueError, match="ZZZ is not an ICB"):
        tilemap.read_tiles(tiles_csv)


def test_tiles_carry_short_names():
    devon = next(t for t in tilemap.tiles() if t.code == "QJK")

    assert devon.short_name == "Devon"


def chart():
    return tilemap.tile_map(
        id="sites-in-use", title="Sites in use", description="Tile map.",
        columns=(Column("icb", "ICB"), Column("in_use", "Sites in use", NUMBER)),
        rows=[("Devon", 3), ("Dorset", 0)], codes=["QJK", "QVV"], value="in_use",
    )


def test_tile_map_draws_every_tile_and_shades_those_given():
    spec = chart().spec
    values = spec["data"]["values"] if "data" in spec else spec["datasets"]

    records = values if isinstance(values, list) else next(iter(values.values()))
    assert len(records) == 42
    devon = next(r for r in records if r["code"] == "QJK")
    kent = next(r for r in records if r["code"] == "QKS")
    assert (devon["highlighted"], devon["value"], devon["dark"]) == (True, 3, True)
    assert (kent["highlighted"], kent["value"]) == (False, None)


def test_tile_map_twins_are_the_rows_given():
    made = chart()

    assert made.to_csv().splitlines() == ["ICB,Sites in use", "Devon,3", "Dorset,0"]
    assert made.to_json()["rows"] == [{"icb": "Devon", "in_use": 3},
                                      {"icb": "Dorset", "in_use": 0}]


def test_tile_map_spec_is_valid_vega_lite():
    alt.LayerChart.from_dict(chart().spec, validate=True)


def test_rows_and_codes_must_match():
    with pytest.raises(ValueError, match="2 rows for 1 ICB codes"):
        tilemap.tile_map(
            id="x", title="x", description="x",
            columns=(Column("icb", "ICB"), Column("n", "N", NUMBER)),
            rows=[("Devon", 1), ("Dorset", 2)], codes=["QJK"], value="n")
