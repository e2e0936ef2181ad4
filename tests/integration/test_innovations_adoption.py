"""Adoption by site and spread: recording statuses and their rules, the sites
and curve, the spread matrix and map, and spread projects."""

import csv
import datetime as dt
import io

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from msknet.communications.models import Kind as NotificationKind
from msknet.communications.models import Notification
from msknet.core.models import AuditEvent
from msknet.improvement.models import Measure, QIProject
from msknet.innovations.detail_parts import adoption_context
from msknet.innovations.models import (
    Adoption,
    AdoptionChange,
    AdoptionStatus,
    Follow,
    InnovationMeasure,
    InnovationsEvent,
    Stage,
)
from msknet.members.models import ICB, OrganisationType, Role
from msknet.priorities.models import Source, StrategicPriority
from tests.factories.improvement import SHIFT, add_points
from tests.factories.innovations import adoption, innovation, site
from tests.factories.memberships import MembershipFactory
from tests.queries import queries_of

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

S = AdoptionStatus
JAN, APR = dt.date(2026, 1, 5), dt.date(2026, 4, 1)


@pytest.fixture
def recommended(network, member):
    return innovation(network, name="Back pain pathway", stage=Stage.RECOMMENDED,
                      by=member)


@pytest.fixture
def trust(network):
    return site(network, name="Riverside Community Trust")


@pytest.fixture
def from_trust(network, trust):
    """A member who works at the trust, so may record its status."""
    return MembershipFactory(network=network, role=Role.MEMBER,
                             organisation=trust).user


def record_url(innovation_):
    return reverse("innovation-adoption-record",
                   args=[innovation_.network.slug, innovation_.pk])


def detail_url(adoption_):
    return reverse("innovation-adoption", args=[
        adoption_.innovation.network.slug, adoption_.innovation_id, adoption_.pk])


def form(**fields):
    data = {"status": S.AWARE, "on": "2026-01-05", "note": "", "reason": ""}
    data.update(fields)
    return data


# Recording a site's first status --------------------------------------------


def test_record_page_preselects_the_members_own_site(client, recommended, trust,
                                                     from_trust):
    client.force_login(from_trust)

    response = client.get(record_url(recommended))

    assert response.status_code == 200
    assert response.context["form"]["site"].value() == trust.pk


def test_member_records_their_sites_status_and_followers_hear(
        client, recommended, trust, from_trust, lead, sent_on_commit):
    Follow.objects.create(innovation=recommended, user=lead)
    client.force_login(from_trust)

    with sent_on_commit():
        response = client.post(record_url(recommended), form(
            site=trust.pk, status=S.PILOTING, contacts=[from_trust.pk],
            note="Two clinics started in January"))

    record = Adoption.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(record)
    assert (record.site, record.status, record.status_on) == (trust, S.PILOTING, JAN)
    assert list(record.contacts.all()) == [from_trust]
    change = record.changes.get()
    assert (change.status_from, change.status_to, change.by) == ("", S.PILOTING,
                                                                 from_trust)
    assert AuditEvent.objects.filter(type=InnovationsEvent.ADOPTION_RECORDED,
                                     target_id=str(record.pk)).exists()
    told = Notification.objects.get(user=lead)
    assert told.kind == NotificationKind.INNOVATION_ADOPTION
    assert told.title == "Back pain pathway: Riverside Community Trust is piloting"
    assert told.url == detail_url(record)
    # The one who recorded it is not told of their own change.
    assert not Notification.objects.filter(user=from_trust).exists()


def test_recording_a_site_that_has_a_record_adds_its_next_change(
        client, recommended, trust, from_trust):
    existing = adoption(recommended, trust, history=[(S.AWARE, JAN)])
    client.force_login(from_trust)

    client.post(record_url(recommended), form(site=trust.pk, status=S.EXPLORING,
                                              on="2026-02-01"))

    existing.refresh_from_db()
    assert existing.status == S.EXPLORING
    assert existing.changes.count() == 2


def refused_on_record(client, user, innovation_, data, field, message):
    client.force_login(user)
    before = (Adoption.objects.count(), AdoptionChange.objects.count(),
              AuditEvent.objects.filter(type=InnovationsEvent.ADOPTION_RECORDED).count())

    response = client.post(record_url(innovation_), data)

    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert escape(message) in response.content.decode()
    assert before == (
        Adoption.objects.count(), AdoptionChange.objects.count(),
        AuditEvent.objects.filter(type=InnovationsEvent.ADOPTION_RECORDED).count())


def test_a_site_outside_the_networks_icbs_is_refused(client, network, recommended,
                                                     lead):
    elsewhere = site(network, name="Far Away Trust",
                     icb=ICB.objects.exclude(pk__in=network.icbs.all()).first())

    refused_on_record(client, lead, recommended, form(site=elsewhere.pk), "site",
                      "Choose a site in one of the network's ICBs")


def test_an_organisation_that_is_not_a_site_is_refused(client, network, recommended,
                                                       lead):
    university = site(network, name="City University", type=OrganisationType.UNIVERSITY)

    refused_on_record(client, lead, recommended, form(site=university.pk), "site",
                      "Choose a site in one of the network's ICBs")


def test_an_unknown_site_is_refused(client, recommended, lead):
    refused_on_record(client, lead, recommended, form(site=999999), "site",
                      "Choose a site in one of the network's ICBs")


def test_stopping_without_a_reason_is_refused(client, recommended, trust, lead):
    refused_on_record(client, lead, recommended,
                      form(site=trust.pk, status=S.STOPPED), "reason",
                      "Say why the site stopped")


def test_a_date_in_the_future_is_refused(client, recommended, trust, lead):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    refused_on_record(client, lead, recommended,
                      form(site=trust.pk, on=tomorrow.isoformat()), "on",
                      "The date cannot be in the future")


def test_a_member_from_another_organisation_is_refused(client, network, recommended,
                                                       trust, member):
    refused_on_record(client, member, recommended, form(site=trust.pk), "site",
                      "You can record the status of your own organisation")


def test_visitors_are_sent_to_sign_in_and_outsiders_refused(client, recommended,
                                                            outsider):
    assert client.get(record_url(recommended)).status_code == 302
    client.force_login(outsider)
    assert client.get(record_url(recommended)).status_code == 403


# Later changes --------------------------------------------------------------


@pytest.fixture
def piloting(recommended, trust, from_trust):
    return adoption(recommended, trust, by=from_trust, contacts=[from_trust],
                    history=[(S.AWARE, JAN), (S.PILOTING, APR)])


def refused_on_change(client, user, adoption_, data, field, message):
    client.force_login(user)
    before = (adoption_.changes.count(), adoption_.status)

    response = client.post(detail_url(adoption_), data)

    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    adoption_.refresh_from_db()
    assert before == (adoption_.changes.count(), adoption_.status)


def test_going_back_along_the_path_needs_a_note(client, piloting, from_trust):
    refused_on_change(client, from_trust, piloting,
                      form(status=S.EXPLORING, on="2026-05-01"), "note",
                      "Add a note saying why the site went from piloting to exploring")


def test_the_same_status_twice_is_refused(client, piloting, from_trust):
    refused_on_change(client, from_trust, piloting,
                      form(status=S.PILOTING, on="2026-05-01"), "status",
                      "The site is already piloting")


def test_a_date_before_the_last_change_is_refused(client, piloting, from_trust):
    refused_on_change(client, from_trust, piloting,
                      form(status=S.ADOPTED, on="2026-03-31"), "on",
                      "The date must be on or after the site's last change, 1 April 2026")


def test_starting_again_after_stopping_needs_a_note(client, recommended, trust,
                                                    from_trust):
    stopped = adoption(recommended, trust, contacts=[from_trust],
                       history=[(S.PILOTING, JAN), (S.STOPPED, APR)])

    refused_on_change(client, from_trust, stopped,
                      form(status=S.PILOTING, on="2026-05-01"), "note",
                      "Add a note saying why the site went from stopped to piloting")


def test_a_contact_records_the_next_change_with_its_history(client, piloting,
                                                            from_trust):
    client.force_login(from_trust)

    client.post(detail_url(piloting), form(status=S.STOPPED, on="2026-05-01",
                                           reason="Funding ended in May"))
    response = client.get(detail_url(piloting))

    piloting.refresh_from_db()
    assert (piloting.status, piloting.status_on) == (S.STOPPED, dt.date(2026, 5, 1))
    page = response.content.decode()
    history = page[page.index("<h2>History"):]
    assert history.index("5 January 2026") < history.index("1 April 2026") \
        < history.index("1 May 2026")
    assert "Why it stopped: Funding ended in May" in page
    assert from_trust.display_name in page
    assert "Record the next change" in page


def test_visitors_see_the_history_without_names_or_the_form(client, piloting,
                                                            from_trust):
    response = client.get(detail_url(piloting))

    page = response.content.decode()
    assert response.status_code == 200
    assert "1 April 2026" in page
    assert from_trust.display_name not in page
    assert "Record the next change" not in page


def test_a_member_not_of_the_site_sees_no_form_and_may_not_post(client, piloting,
                                                                member):
    client.force_login(member)

    assert response_form(client.get(detail_url(piloting))) is None
    assert client.post(detail_url(piloting), form(status=S.ADOPTED)).status_code == 403


def response_form(response):
    return response.context["form"]


# The sites and the curve ----------------------------------------------------


def test_sites_list_every_status_and_the_curve_counts_stopped_sites(
        client, network, recommended, trust):
    adoption(recommended, trust, history=[(S.AWARE, JAN), (S.PILOTING, APR)])
    adoption(recommended, site(network, name="Hilltop PCN", type=OrganisationType.PCN),
             history=[(S.EXPLORING, dt.date(2026, 2, 10)),
                      (S.STOPPED, dt.date(2026, 3, 15))])

    response = client.get(reverse("innovation-adoptions",
                                  args=[network.slug, recommended.pk]))
    data = client.get(reverse("innovation-adoption-curve-json",
                              args=[network.slug, recommended.pk])).json()

    page = response.content.decode()
    assert "Riverside Community Trust" in page and "Hilltop PCN" in page
    rows = {r["month"]: r for r in data["rows"]}
    assert (rows["2026-01"]["aware"], rows["2026-01"]["total"]) == (1, 1)
    assert (rows["2026-02"]["aware"], rows["2026-02"]["exploring"]) == (1, 1)
    assert (rows["2026-03"]["aware"], rows["2026-03"]["stopped"]) == (1, 1)
    assert (rows["2026-04"]["piloting"], rows["2026-04"]["stopped"]) == (1, 1)
    # Months run to today, the stopped site still counted.
    last = rows[f"{timezone.localdate():%Y-%m}"]
    assert (last["stopped"], last["total"]) == (1, 2)


def test_curve_csv_is_the_chart_table(client, network, recommended, trust):
    adoption(recommended, trust, history=[(S.AWARE, JAN)])

    response = client.get(reverse("innovation-adoption-curve-csv",
                                  args=[network.slug, recommended.pk]))

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Month", "Not started", "Aware"]
    assert rows[1][:3] == ["2026-01", "0", "1"]


@pytest.mark.parametrize("sites", [2, 6])
def test_sites_page_query_count_does_not_grow(client, network, recommended, sites):
    for n in range(sites):
        adoption(recommended, site(network, name=f"Site {n}"),
                 history=[(S.AWARE, JAN), (S.PILOTING, APR)])

    _, queries = queries_of(lambda: client.get(
        reverse("innovation-adoptions", args=[network.slug, recommended.pk])))

    assert len(queries) == 5


# The spread matrix and map ----------------------------------------------------


@pytest.fixture
def spread(network, recommended, trust):
    """Two sites in two ICBs, a recommended innovation and one on hold."""
    on_hold = innovation(network, name="Digital exercise app", stage=Stage.ON_HOLD)
    other = network.icbs.exclude(pk=trust.icb_id).order_by("name").first()
    icbs = [trust.icb, other]
    pcn = site(network, name="Hilltop PCN", type=OrganisationType.PCN, icb=other)
    adoption(recommended, trust, history=[(S.AWARE, JAN), (S.ADOPTED, APR)])
    adoption(recommended, pcn, history=[(S.PILOTING, JAN)])
    adoption(on_hold, pcn, history=[(S.EXPLORING, JAN)])
    return {"on_hold": on_hold, "pcn": pcn, "icbs": icbs}


def test_matrix_shows_recommended_innovations_by_site_with_status_in_words(
        client, network, member, recommended, trust, spread):
    client.force_login(member)

    response = client.get(reverse("innovation-spread", args=[network.slug]))

    matrix = response.context["matrix"]
    assert [i.name for i in matrix.innovations] == ["Back pain pathway"]
    assert {row.site.name: [c.status for c in row.cells] for row in matrix.rows} \
        == {"Riverside Community Trust": [S.ADOPTED], "Hilltop PCN": [S.PILOTING]}
    assert [g.icb for g in matrix.groups] == sorted(
        [trust.icb, spread["pcn"].icb], key=lambda icb: icb.short_name)
    page = response.content.decode()
    assert 'spread-cell--adopted"><a' in page and ">Adopted</a>" in page
    assert ">Piloting</a>" in page
    assert "style=" not in page
    # Each cell links to that site's history.
    adopted = next(c for row in matrix.rows for c in row.cells if c.status == S.ADOPTED)
    history = reverse("innovation-adoption",
                      args=[network.slug, adopted.innovation_id, adopted.pk])
    assert f'<a href="{history}">Adopted</a>' in page
    assert trust.name in client.get(history).content.decode()


def test_matrix_shows_every_reviewed_innovation_when_asked(client, network, member,
                                                           spread):
    client.force_login(member)

    response = client.get(reverse("innovation-spread", args=[network.slug]),
                          {"show": "all"})

    matrix = response.context["matrix"]
    assert [i.name for i in matrix.innovations] == ["Back pain pathway",
                                                    "Digital exercise app"]
    assert "Not recorded" in response.content.decode()


def test_matrix_filters_by_icb_and_priority(client, network, member, lead,
                                            recommended, spread):
    priority = StrategicPriority.objects.create(network=network,
                                                source=Source.NETWORK,
                                                title="Faster back pain care")
    priority.innovations.add(spread["on_hold"])
    client.force_login(member)
    url = reverse("innovation-spread", args=[network.slug])

    by_icb = client.get(url, {"icb": spread["icbs"][1].pk}).context["matrix"]
    by_priority = client.get(url, {"show": "all", "priority": priority.pk}
                             ).context["matrix"]

    assert [r.site.name for r in by_icb.rows] == ["Hilltop PCN"]
    assert [i.name for i in by_priority.innovations] == ["Digital exercise app"]


def test_matrix_csv_has_a_row_per_site_and_a_column_per_innovation(
        client, network, member, spread, trust):
    client.force_login(member)

    response = client.get(reverse("innovation-spread-csv", args=[network.slug]),
                          {"show": "all"})

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0] == ["ICB", "Site", "Back pain pathway", "Digital exercise app"]
    by_site = {r[1]: r for r in rows[1:]}
    assert by_site["Riverside Community Trust"][2:] == [
        "Adopted since 1 April 2026", "Not recorded"]
    assert by_site["Hilltop PCN"][2:] == ["Piloting since 5 January 2026",
                                          "Exploring since 5 January 2026"]


@pytest.mark.parametrize("sites", [2, 6])
def test_matrix_query_count_does_not_grow(client, network, member, recommended, sites):
    for n in range(sites):
        adoption(recommended, site(network, name=f"Site {n}"), history=[(S.AWARE, JAN)])
    client.force_login(member)

    _, queries = queries_of(lambda: client.get(
        reverse("innovation-spread", args=[network.slug])))

    # The adoptions, then their sites once each, whatever the number of cells.
    assert len(queries) == 10


def map_rows(client, network, **params):
    data = client.get(reverse("innovation-spread-map-json", args=[network.slug]),
                      params).json()
    return {row["icb"]: row for row in data["rows"]}


def test_map_table_counts_sites_by_status_for_each_network_icb(
        client, network, member, recommended, spread):
    client.force_login(member)
    first, second = spread["icbs"][0], spread["icbs"][1]

    rows = map_rows(client, network)
    one = map_rows(client, network, innovation=spread["on_hold"].pk)

    assert set(rows) == {icb.short_name for icb in network.icbs.all()}
    assert (rows[first.short_name]["adopted"], rows[first.short_name]["in_use"]) \
        == (1, 1)
    assert (rows[second.short_name]["piloting"],
            rows[second.short_name]["exploring"]) == (1, 0)
    assert one[second.short_name]["exploring"] == 1
    assert one[second.short_name]["in_use"] == 0


def test_map_page_draws_tiles_with_a_table_twin(client, network, member, spread):
    client.force_login(member)

    response = client.get(reverse("innovation-spread-map", args=[network.slug]))

    page = response.content.decode()
    chart = response.context["chart"]
    assert len(chart.spec["datasets"][next(iter(chart.spec["datasets"]))]) == 42 \
        if "datasets" in chart.spec else len(chart.spec["data"]["values"]) == 42
    assert "Sites in use" in page and "Download the data as CSV" in page
    csv_text = client.get(chart.csv_url).content.decode()
    assert csv_text.splitlines()[0].startswith("ICB,Sites aware,Sites exploring")


def test_map_refuses_an_innovation_of_no_one(client, network, member):
    client.force_login(member)

    response = client.get(reverse("innovation-spread-map", args=[network.slug]),
                          {"innovation": "999999"})

    assert response.status_code == 404


# Spread projects ------------------------------------------------------------------


@pytest.fixture
def with_measures(recommended):
    InnovationMeasure.objects.create(
        innovation=recommended, kind="process", improvement="increase", position=0,
        name="Share of referrals on the pathway", definition="On pathway / all", unit="%")
    InnovationMeasure.objects.create(
        innovation=recommended, kind="outcome", improvement="decrease", position=1,
        name="Weeks to first appointment", definition="Median weeks", unit="weeks")
    return recommended


def project_url(adoption_):
    return reverse("innovation-spread-project", args=[
        adoption_.innovation.network.slug, adoption_.innovation_id, adoption_.pk])


def test_spread_project_shows_what_it_will_create(client, with_measures, piloting,
                                                  lead):
    client.force_login(lead)

    response = client.get(project_url(piloting))

    page = response.content.decode()
    assert "Spread Back pain pathway to Riverside Community Trust" in page
    assert "Weeks to first appointment" in page


def test_lead_starts_a_spread_project_with_the_measures_linked(
        client, network, lead, with_measures, piloting, from_trust):
    priority = StrategicPriority.objects.create(network=network,
                                                source=Source.NETWORK,
                                                title="Faster back pain care")
    retired = StrategicPriority.objects.create(network=network, source=Source.NETWORK,
                                               title="Old aim",
                                               retired_at=timezone.now())
    with_measures.serves.add(priority, retired)
    client.force_login(lead)

    response = client.post(project_url(piloting), {"aim": "Every clinic by March"})

    project = QIProject.objects.get()
    piloting.refresh_from_db()
    assert response["Location"] == reverse("project-detail",
                                           args=[network.slug, project.pk])
    assert piloting.project == project
    assert project.title == "Spread Back pain pathway to Riverside Community Trust"
    assert project.aim == "Every clinic by March"
    assert list(project.icbs.all()) == [piloting.site.icb]
    assert list(project.serves.all()) == [priority]
    assert set(project.team.values_list("user", flat=True)) == {lead.pk, from_trust.pk}
    assert [(m.name, m.kind, m.unit, m.improvement)
            for m in project.measures.order_by("pk")] == [
        ("Share of referrals on the pathway", "process", "%", "increase"),
        ("Weeks to first appointment", "outcome", "weeks", "decrease")]
    assert AuditEvent.objects.filter(
        type=InnovationsEvent.SPREAD_PROJECT_STARTED,
        target_id=str(piloting.pk)).exists()


def test_a_second_spread_project_for_the_site_is_refused(client, lead, with_measures,
                                                         piloting):
    client.force_login(lead)
    client.post(project_url(piloting), {"aim": "First"})

    response = client.post(project_url(piloting), {"aim": "Second"})

    assert response.status_code == 200
    assert "already has a spread project" in response.content.decode()
    assert QIProject.objects.count() == 1


def test_innovation_page_shows_each_sites_measure_icons_side_by_side(
        rf, network, member, with_measures, piloting, lead):
    from msknet.innovations.actions.adoption import start_spread_project

    project = start_spread_project(adoption=piloting, by=lead)
    add_points(project.measures.get(name="Share of referrals on the pathway"), SHIFT)

    context = adoption_context(with_measures, member)
    html = render_to_string("innovations/_detail_adoption.html",
                            {**context, "network": network})

    assert "Piloting: 1 site" in html
    assert 'aria-label="Variation:' in html  # the improvement app's icon
    assert "Weeks to first appointment (0 data points" in html
    assert reverse("project-detail", args=[network.slug, project.pk]) in html
    assert Measure.objects.filter(project=project).count() == 2


def test_innovation_page_shows_where_it_is_in_use(client, network, member,
                                                  recommended, piloting):
    client.force_login(member)

    response = client.get(recommended.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert "Where it is in use" in page
    assert "Piloting: 1 site" in page
    assert reverse("innovation-adoptions", args=[network.slug, recommended.pk]) in page
    assert reverse("innovation-spread-map", args=[network.slug]) in page


def test_curve_chart_is_valid_vega_lite(client, network, recommended, piloting):
    import altair as alt

    response = client.get(reverse("innovation-adoptions",
                                  args=[network.slug, recommended.pk]))

    alt.Chart.from_dict(response.context["chart"].spec, validate=True)
