"""The demo's improvement projects: linked to nominations, with real SPC signals."""

import pytest

from msknet.analytics import spc
from msknet.demo import load_demo_data
from msknet.improvement import figures
from msknet.improvement.models import Measure, QIProject, Stage

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture
def demo(db):
    assert load_demo_data() is True


def rules(measure_name):
    measure = Measure.objects.get(name=measure_name)
    chart = figures.measure_spc(measure).overall
    return {s.rule for s in chart.signals}, chart


def test_demo_has_projects_in_both_networks_one_closed(demo):
    projects = QIProject.objects.all()

    assert projects.filter(network__slug="london").count() == 4
    # NENC's own project, and the spinal pathway's spread to one trust.
    assert projects.filter(network__slug="nenc").count() == 2
    assert projects.filter(network__slug="nenc", spread_of__isnull=False).count() == 1
    closed = projects.get(stage=Stage.CLOSED)
    assert "Leaflets alone" in closed.learning


def test_demo_projects_start_from_selected_nominations(demo):
    fcp = QIProject.objects.get(title__startswith="First-contact physiotherapy")
    opioids = QIProject.objects.get(title="Opioid tapering in chronic pain")

    assert fcp.nomination.decision == "selected"
    assert opioids.nomination.title == "Opioid deprescribing clinics in primary care"
    assert set(opioids.icbs.values_list("ods_code", flat=True)) == {"QHM"}


def test_demo_measures_show_a_shift_a_trend_and_a_point_beyond_limits(demo):
    shift, fcp = rules("Assessed within 2 weeks of referral")
    trend, _ = rules("Spinal MRI requests per 1,000 adults with back pain")
    beyond, _ = rules("Assessed by FLS within 12 weeks")

    assert any("shift" in r for r in shift)
    assert fcp.icons.variation == "improvement_high"
    assert any("trend" in r for r in trend)
    assert "a point above the upper process limit" in beyond


def test_demo_rebased_measure_keeps_its_reason_and_quintiles(demo):
    measure = Measure.objects.get(name="Adults on 120 mg OME a day or more per 10,000")
    result = figures.measure_spc(measure)

    assert "Deprescribing clinics adopted" in result.rebases[0].reason
    assert {p.rebase_group for p in result.overall.chart.points} == {0, 1}
    assert [q for q, _ in result.quintiles] == [1, 2, 3, 4, 5]
    assert isinstance(result.overall.chart, spc.XmRChart)


def test_demo_projects_have_cycles_chains_and_history(demo):
    leaflet = QIProject.objects.get(stage=Stage.CLOSED)
    second = leaflet.cycles.get(title="Leaflets in consultations")

    assert [c.title for c in second.chain()] == ["Leaflets in three waiting rooms",
                                                 "Leaflets in consultations"]
    assert second.act == "abandon"
    assert QIProject.objects.get(title__startswith="First-contact").progress_changes \
        .count() >= 6


def test_demo_measures_name_the_teams_data_lead_as_owner(demo):
    fcp = QIProject.objects.get(title__startswith="First-contact physiotherapy")

    owners = {m.owner.email if m.owner else None for m in fcp.measures.all()}

    assert owners == {"member@london.example.nhs.uk"}
