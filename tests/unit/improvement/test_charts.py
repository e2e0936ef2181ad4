"""The measure's SPC chart spec: the target drawn and labelled once."""

import datetime as dt

import altair as alt

from msknet.improvement import charts, figures
from msknet.improvement.models import DataPoint, Measure
from tests.factories.improvement import SHIFT, monthly


def test_target_line_and_label_are_drawn_once_inside_the_plot():
    measure = Measure(name="Seen within 2 weeks", unit="%", improvement="increase",
                      target=80)
    points = [DataPoint(period=p, value=v)
              for p, v in zip(monthly(dt.date(2024, 1, 1), 24), SHIFT, strict=True)]
    series = figures.measure_spc(measure, points, []).overall

    spec = charts.spc_chart("spc", measure, series, []).spec

    (label,) = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    (target,) = [layer for layer in spec["layer"] if layer["mark"]["type"] == "rule"
                 and layer["encoding"].get("y", {}).get("datum") == 80]
    assert label["encoding"]["text"] == {"value": "Target 80"}
    assert label["data"] == {"values": [{}]} and target["data"] == {"values": [{}]}
    assert (label["mark"]["align"], label["encoding"]["x"]) == ("left", {"value": 0})
    alt.LayerChart.from_dict(spec, validate=True)
