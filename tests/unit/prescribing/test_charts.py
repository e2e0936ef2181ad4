"""The prescribing charts' specs: labels a reader can read in full."""

import altair as alt

from msknet.analytics import prescribing as rx
from msknet.members.models import ICB
from msknet.prescribing import charts
from msknet.prescribing.queries import ICBLatest

LONG = "NHS Bath and North East Somerset, Swindon and Wiltshire Integrated Care Board"


def icbs():
    return [
        ICBLatest(ICB(name=LONG, ods_code="QOX"), "2024-12", 10100.0, 1.0, 1.0),
        ICBLatest(ICB(name="NHS Cheshire and Merseyside Integrated Care Board",
                      ods_code="QYG"), "2024-12", 11000.0, 1.0, 1.0),
    ]


def chart(england=10716.7):
    return charts.icb_chart(rx.load_measure("opioid_ome"), "December 2024", england,
                            icbs())


def test_icb_labels_keep_the_verdict_whole_and_england_capitalised():
    spec = chart().spec

    labels = [d["label"] for d in spec["datasets"]["figures"]]
    assert labels == [
        "Bath and North East Somerset, Swindon and Wiltshire: Lower than England",
        "Cheshire and Merseyside: Higher than England"]
    assert spec["layer"][0]["encoding"]["y"]["axis"]["labelExpr"] == (
        "split(datum.value, ': ')")
    assert spec["datasets"]["figures"][0]["icb"] == LONG


def test_england_label_is_drawn_once_inside_the_chart():
    spec = chart().spec

    (label,) = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]

    assert label["encoding"]["text"] == {"value": "England 10,716.7"}
    assert label["data"] == {"values": [{}]}
    # England is near the largest value: the label reads leftwards from the line.
    assert (label["mark"]["align"], label["mark"]["dx"]) == ("right", -4)
    alt.LayerChart.from_dict(spec, validate=True)
