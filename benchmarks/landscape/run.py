"""Landscape benchmark: the service directory, pages, variation, map, CSV at size.

For each size in `--sizes` (default 300 and 3,000 services) and each database
(a throwaway PostgreSQL database at 127.0.0.1:5432, user postgres, trust
auth; and, with `--databases postgres,sqlite`, a throwaway SQLite file) a
child process builds one network over 5 ICBs, bulk inserted:

- the services, spread over the 10 pathway steps and the 5 ICBs, run by one
  synthetic provider for every 4 services, with synthetic postcodes in 5
  postcode areas (one per ICB) and places;
- 24 months of activity (referrals, median and 90th-percentile waits) and 8
  quarters of workforce in two professions for every service;
- a member (who sees workforce figures) and a lead (who imports), and a
  visitor.

Then, for each page, it prints the median and fastest of `--repeat` timed
runs (after a warm-up), the number of queries (one more run under
`CaptureQueriesContext`, which also names the slowest query), the peak Python
memory (one more run under tracemalloc) and the response size. Pages go
through Django's test client with production settings (middleware, gate,
templates; no server or network). The import posts a 1,000-row CSV of new
services as the lead: checked row by row and written in one transaction,
which the benchmark rolls back after each run so every run adds the same
1,000; a second row posts the same file with one bad row, refused whole.

The sizes are printed side by side; the database and files are removed on
the way out, error or not.

    python benchmarks/landscape/run.py [--sizes 300,3000] [--repeat 5]
        [--databases postgres,sqlite]
"""

from __future__ import annotations

import argparse
import io
import random
import re
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import sized

SLUG = "bench-landscape"
ICBS = 5
MONTHS, QUARTERS = 24, 8
IMPORT_ROWS = 1000
BATCH = 2000
#: One synthetic postcode area per ICB.
AREAS = ["BA", "BB", "BD", "BH", "BL"]
PLACES = ["Ashford", "Brookfield", "Castleton", "Dunmore", "Elmstead", "Fairhaven",
          "Greystone", "Hollybank", "Ironbridge", "Juniper", "Kingsmead", "Larkhill"]
CONDITIONS = ["Back pain", "Neck pain", "Knee osteoarthritis", "Hip pain",
              "Shoulder pain", "Inflammatory arthritis", "Osteoporosis",
              "Chronic widespread pain", "Hand and wrist pain", "Foot and ankle pain"]
SECOND_PROFESSION = ["nurse", "gp", "pharmacist", "pain_specialist"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="300,3000",
                        help="numbers of services, comma-separated")
    parser.add_argument("--services", type=int, help=argparse.SUPPRESS)  # one size
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per row")
    parser.add_argument("--databases", default="postgres",
                        help="postgres and/or sqlite, comma-separated")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--child", help=argparse.SUPPRESS)  # results file
    parser.add_argument("--migrate-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.databases = [name for name in args.databases.split(",") if name]
    unknown = set(args.databases) - set(sized.DATABASES)
    if unknown:
        parser.error(f"unknown database {', '.join(sorted(unknown))}")
    args.sizes = [args.services] if args.services else [
        int(size) for size in args.sizes.split(",") if size]
    if min(args.sizes) < 20 or args.repeat < 1:
        parser.error("need at least 20 services and 1 run")
    return args


# -- in the child: build the network -------------------------------------------


def member(network: Any, email: str, name: str, role: str = "member") -> Any:
    from msknet.members.actions.memberships import add_member
    from msknet.members.models import Profession, Sector, User

    user = User.objects.create_user(email=email, full_name=name)
    add_member(user=user, network=network, by=None, role=role, sector=Sector.COMMUNITY,
               profession=Profession.PHYSIOTHERAPIST)
    return user


def postcode(rng: random.Random, area: str) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return (f"{area}{rng.randint(1, 30)} {rng.randint(1, 9)}"
            f"{rng.choice(letters)}{rng.choice(letters)}")


def months_back(today: date, count: int) -> list[date]:
    first = today.replace(day=1)
    months = []
    for _ in range(count):
        first = (first - timedelta(days=1)).replace(day=1)
        months.append(first)
    return sorted(months)


def build(services: int, seed: int) -> dict[str, Any]:
    from django.db import connection, transaction
    from django.utils import timezone

    from msknet.landscape.models import (
        PATHWAY,
        Service,
        ServiceActivity,
        ServiceWorkforce,
    )
    from msknet.landscape.models.services import outward_code
    from msknet.members.models import ICB, Network, Organisation, OrganisationType

    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        network = Network.objects.create(
            slug=SLUG, name="Benchmark landscape network", short_name="Bench landscape",
            summary="Synthetic services for the landscape benchmark.")
        icbs = list(ICB.objects.order_by("ods_code")[:ICBS])
        network.icbs.set(icbs)
        kinds = [OrganisationType.NHS_TRUST, OrganisationType.COMMUNITY_PROVIDER,
                 OrganisationType.PCN, OrganisationType.GP_PRACTICE]
        providers = max(services // 4, ICBS)
        made = Organisation.objects.bulk_create([
            Organisation(name=f"Synthetic MSK provider {n:05d}", ods_code=f"ZZ{n:05d}",
                         type=kinds[n % len(kinds)], icb=icbs[n % ICBS],
                         region=icbs[n % ICBS].region)
            for n in range(providers)], batch_size=BATCH)
        organisations = (list(Organisation.objects.filter(ods_code__startswith="ZZ")
                              .order_by("ods_code")) if made[0].pk is None else made)
        rows = []
        for n in range(services):
            provider = organisations[n % providers]
            icb_index = icbs.index(next(i for i in icbs if i.pk == provider.icb_id))
            step = PATHWAY[n % len(PATHWAY)]
            code = postcode(rng, AREAS[icb_index])
            rows.append(Service(
                network=network, provider=provider, icb_id=provider.icb_id,
                name=f"{rng.choice(PLACES)} {step.label.split(':')[-1].strip()} "
                     f"{n:05d}",
                description="A synthetic service for the landscape benchmark.",
                place=f"{PLACES[n % len(PLACES)]} PCN", step=step.value,
                conditions="; ".join(rng.sample(CONDITIONS, 3)),
                self_referral=rng.random() < 0.4, gp_referral=True,
                fcp_referral=rng.random() < 0.5, via_ers=rng.random() < 0.7,
                via_email=rng.random() < 0.4, via_form=rng.random() < 0.3,
                eligibility="Adults aged 16 and over", address="1 Synthetic Street",
                postcode=code, outward_code=outward_code(code),
                opening="Monday to Friday, 8am to 6pm",
                languages=rng.choice(["", "Urdu", "Polish", "Punjabi; Bengali"]),
                website="https://example.org/", phone="0191 000 0000",
                last_confirmed_on=today - timedelta(days=rng.randint(0, 400)),
                created_at=now, updated_at=now))
        Service.objects.bulk_create(rows, batch_size=BATCH)
        ids = list(Service.objects.filter(network=network).order_by("pk")
                   .values_list("pk", flat=True))
        months = months_back(today, MONTHS)
        activity = []
        for pk in ids:
            level = rng.uniform(20, 400)
            wait = rng.uniform(2, 20)
            for month in months:
                median = round(wait * rng.uniform(0.8, 1.2), 1)
                end = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
                activity.append(ServiceActivity(
                    service_id=pk, period_start=month, period_end=end - timedelta(days=1),
                    referrals_per_month=Decimal(f"{level * rng.uniform(0.8, 1.2):.1f}"),
                    median_wait_weeks=Decimal(f"{median:.1f}"),
                    p90_wait_weeks=Decimal(f"{median * rng.uniform(1.5, 2.5):.1f}"),
                    recorded_at=now))
        ServiceActivity.objects.bulk_create(activity, batch_size=BATCH)
        quarters = months[2::3][-QUARTERS:]
        workforce = []
        for pk in ids:
            second = SECOND_PROFESSION[pk % len(SECOND_PROFESSION)]
            for as_of in quarters:
                for profession, wte in (("physiotherapist", rng.uniform(2, 30)),
                                        (second, rng.uniform(0.2, 4))):
                    workforce.append(ServiceWorkforce(
                        service_id=pk, as_of=as_of, profession=profession,
                        wte=Decimal(f"{wte:.2f}"),
                        vacancies_wte=Decimal(f"{wte * rng.uniform(0, 0.2):.2f}"),
                        recorded_at=now))
        ServiceWorkforce.objects.bulk_create(workforce, batch_size=BATCH)
        reader = member(network, "bench-member@example.org", "Bench Member")
        lead = member(network, "bench-lead@example.org", "Bench Lead", role="lead")
    with connection.cursor() as cursor:  # fresh statistics, as autovacuum makes
        cursor.execute("ANALYZE")
    return {
        "network": network, "member": reader, "lead": lead, "icb": icbs[0],
        "service": ids[len(ids) // 2], "providers": organisations[:10],
        "made": {"services": len(ids), "providers": providers,
                 "activity_rows": len(activity), "workforce_rows": len(workforce)},
    }


def import_file(made: dict[str, Any], run: int, bad: bool = False) -> bytes:
    """IMPORT_ROWS new services (names not yet listed), as the export writes them."""
    icb = made["icb"].ods_code
    providers = made["providers"]
    out = io.StringIO()
    out.write("name,provider,icb,place,step,conditions,self_referral,via_ers,"
              "postcode,website,last_confirmed_on\n")
    for n in range(IMPORT_ROWS):
        step = "fcp" if not (bad and n == IMPORT_ROWS // 2) else "physio"
        out.write(f"Imported synthetic service {run}-{n:04d},"
                  f"{providers[n % len(providers)].ods_code},{icb},Ashford PCN,{step},"
                  f"Back pain; Neck pain,yes,no,BA1 1AA,https://example.org/,"
                  f"2026-01-31\n")
    return out.getvalue().encode("utf-8")


# -- in the child: measure -----------------------------------------------------


def page(client: Any, path: str, expect: str = "", status: int = 200
         ) -> tuple[Callable[[], Any], Callable[[Any], str]]:
    def get() -> Any:
        response = client.get(path)
        if response.status_code != status:
            raise RuntimeError(f"{path} answered HTTP {response.status_code}")
        return response

    def check(response: Any) -> str:
        body = b"".join(response.streaming_content) if response.streaming else (
            response.content)
        if expect and expect.encode() not in body:
            raise RuntimeError(f"{path} did not show {expect!r}")
        found = re.search(rb"<h2>([0-9,]+ services?(?: near \w+)?)</h2>", body)
        shown = f", {found.group(1).decode()}" if found else ""
        return f"{len(body) / 1024:,.0f} KiB{shown}"

    return get, check


def measure_all(made: dict[str, Any], repeat: int, results: dict[str, Any]) -> None:
    from django.db import transaction
    from django.test import Client

    from msknet.landscape.models import Service

    network = made["network"]
    services = f"/n/{network.slug}/services/"
    landscape = f"/n/{network.slug}/landscape/"
    visitor = Client()
    member = Client()
    member.force_login(made["member"])
    lead = Client()
    lead.force_login(made["lead"])
    runs = iter(range(10**6))
    before = Service.objects.filter(network=network).count()

    def post_import(bad: bool) -> Callable[[], Any]:
        def post() -> Any:
            upload = io.BytesIO(import_file(made, next(runs), bad=bad))
            upload.name = "services.csv"
            with transaction.atomic():
                response = lead.post(services + "import/", {"file": upload})
                expected = 200 if bad else 302
                if response.status_code != expected:
                    raise RuntimeError(f"import answered HTTP {response.status_code}")
                added = Service.objects.filter(network=network).count() - before
                transaction.set_rollback(True)  # every run adds the same rows
            return response, added
        return post

    def imported(outcome: Any) -> str:
        response, added = outcome
        if response.status_code == 302 and added != IMPORT_ROWS:
            raise RuntimeError(f"the import added {added} services")
        if response.status_code == 200:
            if added or b"Row 502, step:" not in response.content:
                raise RuntimeError("the bad file was not refused naming its row")
            return "refused: Row 502, step named; nothing written"
        return f"{added:,} services added (rolled back)"

    rows: list[tuple[str, Callable[[], Any], Callable[[Any], str] | None]] = [
        ("directory page 1, visitor", *page(visitor, services, "service")),
        ("directory q=back pain, visitor",
         *page(visitor, services + "?q=back+pain")),
        ("directory near=BA1, visitor", *page(visitor, services + "?near=BA1")),
        ("directory q=knee&near=BA1 4XX, visitor",
         *page(visitor, services + "?q=knee&near=BA1+4XX")),
        ("directory page 1, member", *page(member, services, "service")),
        ("service page, visitor", *page(visitor, services + f"{made['service']}/")),
        ("service page, member (workforce)",
         *page(member, services + f"{made['service']}/")),
        ("pathway page, first ICB, visitor",
         *page(visitor, landscape + f"{made['icb'].ods_code}/")),
        ("variation page, visitor", *page(visitor, landscape + "variation/")),
        ("variation page, member (workforce)",
         *page(member, landscape + "variation/")),
        ("variation page, one step, member",
         *page(member, landscape + "variation/?step=community_msk")),
        ("map page (landscape), visitor", *page(visitor, landscape)),
        ("services CSV export, visitor", *page(visitor, services + "export.csv")),
        (f"import {IMPORT_ROWS:,} new rows, lead", post_import(False), imported),
        (f"import {IMPORT_ROWS:,} rows, 1 bad, lead", post_import(True), imported),
    ]
    for label, work, check in rows:
        started = time.perf_counter()
        results["rows"][label] = sized.measure(work, repeat, check)
        print(f"  {label}: {results['rows'][label]['median_ms']:,.1f} ms median "
              f"({time.perf_counter() - started:.0f} s)", flush=True)


def main() -> int:
    bench = sized.Bench(name="landscape", unit="services", size_flag="--services",
                        script=__file__, build=build, measure_all=measure_all)
    return sized.main(bench, parse_args())



if __name__ == "__main__":
    sys.exit(main())
