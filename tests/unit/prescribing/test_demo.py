"""The demo's prescribing store names its synthetic practices."""

import pytest

from msknet.analytics import prescribing as rx
from msknet.analytics.prescribing.practices import practice_names
from msknet.demo.loader import PRESCRIBING_PRACTICES, load_demo_prescribing


@pytest.mark.slow
def test_demo_store_has_realistic_synthetic_practice_names(settings, tmp_path):
    settings.DATA_DIR = tmp_path

    load_demo_prescribing()

    store = rx.Store(tmp_path / "prescribing")
    names = practice_names(store)
    table, _ = rx.practice_values(store, "opioid_ome")
    assert len(names) == PRESCRIBING_PRACTICES
    assert set(table["practice_code"].to_pylist()) <= set(names)
    assert names[min(names)].endswith(("Surgery", "Centre", "Practice", "Partnership",
                                       "Doctors"))
    assert not any("SYNTHETIC PRACTICE" in n.upper() for n in names.values())
