"""Surveys benchmark: a survey's results, cross-tab, summary, themes and export at size.

For each size in `--sizes` (default 150 and 15,000 responses) and each
database (a throwaway PostgreSQL database at 127.0.0.1:5432, user postgres,
trust auth, migrated once and copied for each size; and, with `--databases
postgres,sqlite`, a throwaway SQLite file) a child process builds one network
over 5 ICBs with one open survey made from the landscape template (4
sections, 13 questions, skip logic), bulk inserted:

- the responses, anonymous, spread over the 30 days it has been open, every
  required question answered, optional ones about 60 % of the time, the
  question shown only on "Something else" answered only then;
- 6 themes on each long free-text question, and about 70 % of its answers
  coded into one or two of them;
- a lead (who reads the results) and a member (who sends one response through
  the API each run).

Then, for each page and read, it prints the median and fastest of `--repeat`
timed runs (after a warm-up), the number of queries (one more run under
`CaptureQueriesContext`, which also names the slowest query), the peak Python
memory (one more run under tracemalloc) and the response size. Pages go
through Django's test client with production settings (middleware, gate,
templates; no server or network). The sizes are printed side by side; the
databases and files are removed on the way out, error or not.

    python benchmarks/surveys/run.py [--sizes 150,15000] [--repeat 5]
        [--databases postgres,sqlite]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import sized

SLUG = "bench-surveys"
ICBS = 5
THEMES = ["Waiting lists", "Staffing", "Referral routes", "Joined-up care",
          "Patient education", "Digital tools"]
CODED_SHARE = 0.7
OPTIONAL_SHARE = 0.6
OPEN_DAYS = 30
BATCH = 5000
WORDS = ["waiting", "lists", "physiotherapy", "referral", "staffing", "triage",
         "pain", "clinic", "community", "patients", "exercise", "education",
         "vacancies", "pathway", "self-referral", "advice", "follow-up", "digital"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="150,15000",
                        help="numbers of responses, comma-separated")
    parser.add_argument("--responses", type=int, help=argparse.SUPPRESS)  # one size
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
    args.sizes = [args.responses] if args.responses else [
        int(size) for size in args.sizes.split(",") if size]
    if min(args.sizes) < 10 or args.repeat < 1:
        parser.error("need at least 10 responses and 1 run")
    return args


# -- in the child: build the survey --------------------------------------------


def member(network: Any, email: str, name: str, role: str = "member") -> Any:
    from msknet.members.actions.memberships import add_member
    from msknet.members.models import Profession, Sector, User

    user = User.objects.create_user(email=email, full_name=name)
    add_member(user=user, network=network, by=None, role=role, sector=Sector.COMMUNITY,
               profession=Profession.PHYSIOTHERAPIST)
    return user


def sentence(rng: random.Random, n: int) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30)))
    return f"Synthetic answer {n}: {words}."


def answers(rng: random.Random, questions: list[Any], n: int) -> dict[Any, Any]:
    """One response's {question: value}, as a respondent would give them."""
    from msknet.surveys.models import QuestionKind

    values: dict[Any, Any] = {}
    for q in questions:
        if q.show_if_question_id is not None:
            shown = values.get(next(p for p in questions if p.pk == q.show_if_question_id))
            if shown is None or q.show_if_answer not in (
                    shown if isinstance(shown, list) else [shown]):
                continue
        if not q.required and rng.random() > OPTIONAL_SHARE:
            continue
        if q.kind == QuestionKind.SINGLE:
            values[q] = rng.choice(q.options)
        elif q.kind == QuestionKind.MULTIPLE:
            values[q] = rng.sample(q.options, rng.randint(1, 3))
        elif q.kind == QuestionKind.LIKERT:
            values[q] = {s: rng.choice(q.options) for s in q.statements}
        elif q.kind == QuestionKind.RATING:
            values[q] = rng.randint(q.scale_min or 1, q.scale_max or 5)
        elif q.kind == QuestionKind.NUMBER:
            values[q] = rng.randint(0, 40)
        elif q.kind == QuestionKind.DATE:
            values[q] = "2026-11-01"
        else:
            values[q] = sentence(rng, n)
    return values


def build(responses: int, seed: int) -> dict[str, Any]:
    from django.db import connection, transaction
    from django.utils import timezone

    from msknet.members.actions.accounts import create_api_token
    from msknet.members.models import ICB, Network
    from msknet.surveys.catalogue import create_from_template
    from msknet.surveys.models import (
        Answer,
        Coding,
        Question,
        QuestionKind,
        Response,
        SurveyStatus,
        Theme,
    )

    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        network = Network.objects.create(
            slug=SLUG, name="Benchmark surveys network", short_name="Bench surveys",
            summary="A synthetic survey for the surveys benchmark.")
        network.icbs.set(list(ICB.objects.order_by("ods_code")[:ICBS]))
        lead = member(network, "bench-lead@example.org", "Bench Lead", role="lead")
        sender = member(network, "bench-member@example.org", "Bench Member")
        survey = create_from_template(network, "landscape", by=lead)
        survey.status = SurveyStatus.OPEN
        survey.opens_at = now - timedelta(days=OPEN_DAYS)
        survey.responses_per_person = 100  # the member sends one a run
        survey.save()
        questions = list(Question.objects.filter(section__survey=survey)
                         .order_by("section__position", "position"))
        made, given = [], []
        for n in range(responses):
            response = Response(id=uuid.UUID(int=rng.getrandbits(128), version=4),
                                survey=survey, respondent=None,
                                submitted_on=today - timedelta(
                                    days=rng.randint(0, OPEN_DAYS - 1)))
            made.append(response)
            given.extend(Answer(response=response, question=q, value=v)
                         for q, v in answers(rng, questions, n).items())
        Response.objects.bulk_create(made, batch_size=BATCH)
        Answer.objects.bulk_create(given, batch_size=BATCH)
        long_text = [q for q in questions if q.kind == QuestionKind.LONG_TEXT]
        Theme.objects.bulk_create(Theme(question=q, name=name, created_by=lead)
                                  for q in long_text for name in THEMES)
        themes = {q.pk: list(q.themes.all()) for q in long_text}
        if given and given[0].pk is None:  # no RETURNING: read them back
            given = list(Answer.objects.filter(question__in=long_text))
        codings = [Coding(answer_id=a.pk, theme=theme, coded_by=lead, coded_at=now)
                   for a in given if a.question_id in themes
                   and rng.random() < CODED_SHARE
                   for theme in rng.sample(themes[a.question_id], rng.randint(1, 2))]
        Coding.objects.bulk_create(codings, batch_size=BATCH)
        _, token = create_api_token(user=sender, name="benchmark")
        _, lead_token = create_api_token(user=lead, name="benchmark")
    with connection.cursor() as cursor:  # fresh statistics, as autovacuum makes
        cursor.execute("ANALYZE")
    texts = [a for a in given if a.question_id in themes]
    return {
        "network": network, "survey": survey, "lead": lead, "token": token,
        "lead_token": lead_token,
        "questions": questions, "text_question": long_text[0], "rng": rng,
        "made": {"responses": len(made), "answers": len(given),
                 "free_text_answers": len(texts),
                 "coded": len({c.answer_id for c in codings}), "codings": len(codings)},
    }


# -- in the child: measure -----------------------------------------------------


def page(client: Any, path: str, expect: str = ""
         ) -> tuple[Callable[[], Any], Callable[[Any], str]]:
    def get() -> Any:
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered HTTP {response.status_code}")
        # A streamed response (the responses CSV) does its work as it is read:
        # read it inside the timed run, so its time and queries are counted.
        if response.streaming:
            response.body = b"".join(response.streaming_content)
        return response

    def check(response: Any) -> str:
        body = response.body if response.streaming else response.content
        if expect and expect.encode() not in body:
            raise RuntimeError(f"{path} did not show {expect!r}")
        return f"{len(body) / 1024:,.0f} KiB"

    return get, check


def measure_all(made: dict[str, Any], repeat: int, results: dict[str, Any]) -> None:
    from django.test import Client

    from msknet.surveys.models import Response

    network, survey = made["network"], made["survey"]
    base = f"/n/{network.slug}/surveys/{survey.pk}/"
    lead = Client()
    lead.force_login(made["lead"])
    api = Client()
    auth = {"Authorization": f"Bearer {made['token']}"}
    counter = iter(range(10**6))
    sent_before = Response.objects.filter(survey=survey).count()

    def get_api(path: str) -> Callable[[], Any]:
        def get() -> Any:
            response = api.get(path, headers={
                "Authorization": f"Bearer {made['lead_token']}"})
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered HTTP {response.status_code}")
            return response
        return get

    def send() -> Any:
        payload = {str(q.pk): v for q, v in
                   answers(made["rng"], made["questions"], next(counter)).items()}
        response = api.post(f"/api/networks/{network.slug}/surveys/{survey.pk}/responses",
                            {"answers": payload}, content_type="application/json",
                            headers=auth)
        if response.status_code != 201:
            raise RuntimeError(f"sending answered HTTP {response.status_code}: "
                               f"{response.content[:300]!r}")
        return response

    def sent(response: Any) -> str:
        added = Response.objects.filter(survey=survey).count() - sent_before
        return f"201, {added} response written"

    question = made["text_question"].pk
    rows: list[tuple[str, Callable[[], Any], Callable[[Any], str] | None]] = [
        ("results page, lead", *page(lead, base + "results/")),
        ("cross-tab page (default), lead", *page(lead, base + "crosstab/")),
        ("summary page, lead", *page(lead, base + "summary/")),
        ("themes page, first long-text question, lead",
         *page(lead, base + f"questions/{question}/themes/")),
        ("responses CSV, lead", *page(lead, base + "responses.csv")),
        ("results API (GET, token), lead",
         get_api(f"/api/networks/{network.slug}/surveys/{survey.pk}/results"),
         lambda r: f"{len(r.content) / 1024:,.0f} KiB"),
        ("send one response (API POST), member", send, sent),
    ]
    for label, work, check in rows:
        started = time.perf_counter()
        results["rows"][label] = sized.measure(work, repeat, check)
        print(f"  {label}: {results['rows'][label]['median_ms']:,.1f} ms median "
              f"({time.perf_counter() - started:.0f} s)", flush=True)


def main() -> int:
    bench = sized.Bench(name="surveys", unit="responses", size_flag="--responses",
                        script=__file__, build=build, measure_all=measure_all)
    return sized.main(bench, parse_args())



if __name__ == "__main__":
    sys.exit(main())
