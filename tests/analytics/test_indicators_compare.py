import subprocess
import sys

import numpy as np
import pytest

from msknet.analytics.indicators import compare

HIGH = "higher_is_better"
LOW = "lower_is_better"
NONE = "no_judgement"


@pytest.mark.parametrize(
    ("lower", "upper", "benchmark", "polarity", "expected"),
    [
        (18.0, 19.0, 17.0, HIGH, "better"),
        (18.0, 19.0, 17.0, LOW, "worse"),
        (18.0, 19.0, 17.0, NONE, "higher"),
        (15.0, 16.0, 17.0, HIGH, "worse"),
        (15.0, 16.0, 17.0, LOW, "better"),
        (15.0, 16.0, 17.0, NONE, "lower"),
        (16.0, 18.0, 17.0, HIGH, "similar"),
        (16.0, 18.0, 17.0, NONE, "similar"),
    ],
)
def test_compare_respects_polarity(lower, upper, benchmark, polarity, expected):
    assert compare(lower, upper, benchmark, polarity=polarity) == expected


@pytest.mark.parametrize(("lower", "upper"), [(17.0, 18.0), (16.0, 17.0)])
def test_compare_limit_touching_benchmark_is_similar(lower, upper):
    # The benchmark lies inside the closed interval: not significant.
    assert compare(lower, upper, 17.0, polarity=HIGH) == "similar"


@pytest.mark.parametrize(
    ("lower", "upper", "benchmark"),
    [(None, 18.0, 17.0), (16.0, None, 17.0), (16.0, 18.0, None),
     (float("nan"), 18.0, 17.0)],
)
def test_compare_with_anything_missing_is_not_compared(lower, upper, benchmark):
    assert compare(lower, upper, benchmark, polarity=LOW) == "not compared"


def test_compare_many_areas_at_once():
    lower = np.array([18.0, 15.0, 16.0, np.nan])
    upper = np.array([19.0, 16.0, 18.0, np.nan])

    result = compare(lower, upper, 17.0, polarity=LOW)

    assert list(result) == ["worse", "better", "similar", "not compared"]


def test_compare_each_area_with_its_own_benchmark():
    result = compare([10, 10], [12, 12], [9, 13], polarity=HIGH)

    assert list(result) == ["better", "worse"]


def test_compare_two_levels_names_the_level_reached():
    result = compare(
        [17.5, 17.5, 16.0, 15.0, 15.0],
        [19.0, 19.0, 18.0, 16.5, 16.5],
        17.0,
        polarity=HIGH,
        lower_998=[17.2, 16.8, 15.5, 14.0, 14.5],
        upper_998=[19.5, 19.5, 18.5, 16.9, 17.5],
    )

    assert list(result) == [
        "better 99.8%", "better 95%", "similar", "worse 99.8%", "worse 95%"
    ]


def test_compare_two_levels_without_998_limits_gives_95_result():
    result = compare([18.0], [19.0], 17.0, polarity=LOW, lower_998=[None],
                     upper_998=[None])

    assert list(result) == ["worse 95%"]


def test_compare_rejects_unknown_polarity():
    with pytest.raises(ValueError, match="polarity must be one of"):
        compare(1, 2, 3, polarity="RAG - High is good")


@pytest.mark.slow
def test_indicators_package_never_imports_django():
    code = (
        "import sys, msknet.analytics.indicators; "
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django']"
    )

    result = subprocess.run([sys.executable, "-c", code], capture_output=True,
                            text=True, check=False)

    assert result.returncode == 0, result.stderr
