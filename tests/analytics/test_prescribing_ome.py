"""OME of real presentation descriptions, checked against hand arithmetic."""

from pathlib import Path

import pytest

from msknet.analytics.prescribing import Store, compute, import_files, ome

FIXTURES = Path(__file__).parent / "fixtures" / "prescribing"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("store"))
    import_files(
        store,
        [FIXTURES / "EPD_202401.csv"],
        [FIXTURES / "gp-reg-pat-prac-quin-age-jan-24.csv"],
    )
    return store


def by_org(result):
    return {r["org_code"]: r for r in result.to_records()}


@pytest.mark.slow
def test_opioid_ome_matches_hand_computation(store):
    # Practice A81001 (list size 10,000), mg OME = TOTAL_QUANTITY x mg x factor:
    co_codamol = (100 * 10 + 30 * 5) * 30 * 0.1  # two pack-size rows; codeine only
    morphine_liquid = 100 * 2 * (10 / 5) * 1  # 10mg/5ml = 2 mg/ml, 200 ml
    fentanyl_25 = 5 * 3 * (25 / 1000 * 72) * 100  # 72 h per patch
    butrans_10 = 4 * 2 * (10 / 1000 * 168) * 100  # branded 7-day patch: 168 h
    bup_52_5 = 8 * 1 * (52.5 / 1000 * 96) * 100  # 35/52.5/70 patches: 96 h
    oxycontin_40 = 56 * 1 * 40 * 1.5  # branded MR oxycodone
    # Buprenorphine 8mg sublingual (0410, dependence) is excluded.
    a81001 = co_codamol + morphine_liquid + fentanyl_25 + butrans_10 + bup_52_5 + oxycontin_40
    assert a81001 == pytest.approx(15286)
    # Practice B86010 (list size 5,000):
    co_dydramol = 100 * 4 * 10 * 0.1  # dihydrocodeine only
    tramadol = 100 * 3 * 50 * 0.1
    oxycodone_liquid = 250 * 1 * (5 / 5) * 1.5  # 5mg/5ml = 1 mg/ml
    fentanyl_50 = 10 * 1 * (50 / 1000 * 72) * 100
    b86010 = co_dydramol + tramadol + oxycodone_liquid + fentanyl_50

    practices = by_org(compute(store, "opioid_ome", "practice"))
    region = by_org(compute(store, "opioid_ome", "region"))

    assert set(practices) == {"A81001", "B86010"}  # the ...998 practice is excluded
    assert practices["A81001"]["numerator"] == pytest.approx(a81001)
    assert practices["A81001"]["value"] == pytest.approx(a81001 / 10000 * 1000)
    assert practices["B86010"]["numerator"] == pytest.approx(b86010)
    assert practices["B86010"]["value"] == pytest.approx(b86010 / 5000 * 1000)
    # Region: total numerator over total denominator, not a mean of ratios.
    assert region["Y63"]["value"] == pytest.approx((a81001 + b86010) / 15000 * 1000)


@pytest.mark.slow
def test_high_dose_items_use_daily_dose(store):
    # Daily OME: Bup 52.5 = 52.5/1000*24*100 = 126 (yes); OxyContin 40 = 40*1.5*2
    # = 120 (yes); fentanyl 25 = 60 (no); fentanyl 50 = 120 (yes).
    practices = by_org(compute(store, "high_dose_opioid_items", "practice"))

    assert practices["A81001"]["numerator"] == 1 + 1
    assert practices["B86010"]["numerator"] == 1


@pytest.mark.slow
def test_items_and_mg_measures(store):
    national = compute(store, "opioid_items", "national").to_records()
    pregabalin = by_org(compute(store, "pregabalin_mg", "practice"))
    gabapentin = by_org(compute(store, "gabapentin_mg", "practice"))
    nsaids = by_org(compute(store, "nsaid_items", "icb"))

    assert national[0]["org_code"] == "E92000001"
    assert national[0]["numerator"] == (10 + 5 + 2 + 3 + 2 + 1 + 1) + (4 + 3 + 1 + 1)
    assert pregabalin["A81001"]["numerator"] == 56 * 3 * 75
    assert gabapentin["B86010"]["numerator"] == 100 * 2 * 300
    assert gabapentin["A81001"]["numerator"] == 0  # no gabapentin: zero, not missing
    assert nsaids["QHM"]["value"] == pytest.approx(6 / 10000 * 1000)


@pytest.mark.parametrize(
    ("description", "code", "mg", "ome_mg", "daily"),
    [
        ("Co-codamol 8mg/500mg effervescent tablets", "0407010F0AAABAB", 8, 0.8, None),
        ("Zapain 30mg/500mg capsules", "0407010F0BBAAAA", 30, 3, None),
        ("Morphine sulfate 20mg/ml oral solution", "0407020Q0AAAMAM", 20, 20, None),
        ("Oramorph 10mg/5ml oral solution", "0407020Q0BBAAAA", 2, 2, None),
        ("MXL 90mg capsules", "0407020Q0BEAAAA", 90, 90, 90),
        ("MST Continus 30mg tablets", "0407020Q0BCAAAA", 30, 30, 60),
        ("Targinact 10mg/5mg modified-release tablets", "0407020AFBBAAAA", 10, 15, 30),
        ("Transtec 35micrograms/hour transdermal patches", "0407020B0BDAAAA",
         0.035 * 96, 0.035 * 96 * 100, 84),
        ("Matrifen 12micrograms/hour transdermal patches", "0407020A0BBAAAA",
         0.012 * 72, 0.012 * 72 * 100, 28.8),
        ("Morphine sulfate 10mg/1ml solution for injection ampoules", "0407020Q0AAB1B1",
         10, 20, None),
        ("Diamorphine 5mg powder for solution for injection ampoules", "0407020K0AAAAAA",
         5, 16.5, None),
        ("Morphine 10mg suppositories", "0407020Q0AAAZAZ", 10, 10, None),
        ("Hydromorphone 1.3mg capsules", "0407020ABAAAAAA", 1.3, 6.5, None),
    ],
)
def test_presentation_strengths_from_descriptions(description, code, mg, ome_mg, daily):
    p = ome.presentation_strength(code, description)

    assert p.problem is None
    assert p.mg_per_unit == pytest.approx(mg)
    assert p.ome_mg_per_unit == pytest.approx(ome_mg)
    assert p.daily_ome_mg == (None if daily is None else pytest.approx(daily))


def test_unparseable_presentations_are_reported_not_guessed():
    alfentanil = ome.presentation_strength(
        "0407020X0AAAAAA", "Alfentanil 500micrograms/ml solution for injection ampoules"
    )
    odd_patch = ome.presentation_strength(
        "0407020B0AAAZZZ", "Buprenorphine 25micrograms/hour transdermal patches"
    )

    assert alfentanil.ome_mg_per_unit is None and "strength" in alfentanil.problem
    assert odd_patch.ome_mg_per_unit is None and "patch rule" in odd_patch.problem


def test_dmd_extract_takes_precedence_and_branded_codes_map_to_generic():
    dmd = ome.load_dmd_extract(FIXTURES / "dmd_extract.csv")

    zapain, fentanyl, liquid = ome.classify(
        [
            ("0407010F0BBAAAA", "Zapain capsules"),  # no strength in the text
            ("0407020A0AAABAB", "Fentanyl 50micrograms/hour transdermal patches"),
            ("0407020Q0AAAGAG", "Morphine sulfate 10mg/5ml oral solution"),
        ],
        dmd,
    )

    assert zapain.source == "dmd"
    assert zapain.ome_mg_per_unit == pytest.approx(30 * 0.1)  # paracetamol drops out
    assert fentanyl.ome_mg_per_unit == pytest.approx(0.05 * 72 * 100)
    assert fentanyl.daily_ome_mg == pytest.approx(120)
    assert liquid.ome_mg_per_unit == pytest.approx(2)


def test_ome_table_is_packaged_with_all_rows():
    factors = ome.ome_factors()

    assert len(factors) == 51
    assert factors[("Fentanyl", "transdermal")] == 100
    assert factors[("Oxycodone hydrochloride", "oral")] == 1.5
