"""Every page a lead reaches in the demo reads as plain English.

A lead (who sees the most pages and forms) walks the demo site from the home
page, following links, and each page is checked for the faults that crept in
before: Django's "---------" empty choices, a stray space before a full stop,
hints that only repeat their label, and Django's own error wording.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse

from msknet.community.models import Visibility
from msknet.demo import demo_logins, load_demo_data
from msknet.members.models import Role, User
from tests.factories.community import EventFactory
from tests.factories.governance import make_group, make_meeting
from tests.factories.joining import JoinRequestFactory
from tests.factories.memberships import MembershipFactory

# Downloads and machine-readable twins are not pages a person reads.
SKIP = re.compile(
    r"(\.(csv|json|ics|png|svg|pdf|xlsx|docx|pptx)$)|^/api/|/download|/files?/"
    r"|/sign-out|/static/|/media/"
)
PAGES_PER_VIEW = 2  # two of each kind of page is enough to see its template
MAX_PAGES = 300


class Page(HTMLParser):
    """The parts of a page the checks need: links, visible text, labels, hints."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.text: list[str] = []
        self.labels: dict[str, str] = {}  # control id -> label text
        self.hints: dict[str, str] = {}  # hint id -> hint text
        self.legends: list[tuple[str, str]] = []  # (described-by ids, legend)
        self.options: list[str] = []
        self._capture: list[tuple[str, str, list[str]]] = []  # (kind, key, text)
        self._fieldsets: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in {"script", "style", "template"}:
            self._skip += 1
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "label" and a.get("for"):
            self._capture.append(("label", a["for"], []))
        elif tag == "option":
            self._capture.append(("option", "", []))
        elif tag == "legend":
            self._capture.append(
                ("legend", self._fieldsets[-1] if self._fieldsets else "", [])
            )
        elif "nhsuk-hint" in a.get("class", "").split() and a.get("id"):
            self._capture.append(("hint", a["id"], []))
        elif self._capture:
            self._capture.append(("", "", []))  # a nested element
        if tag == "fieldset":
            self._fieldsets.append(a.get("aria-describedby", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "template"}:
            self._skip -= 1
        if tag == "fieldset" and self._fieldsets:
            self._fieldsets.pop()
        if self._capture and tag not in {"br", "input", "img"}:
            kind, key, words = self._capture.pop()
            text = " ".join("".join(words).split())
            if self._capture:
                self._capture[-1][2].append(text + " ")
            if kind == "label":
                self.labels[key] = text
            elif kind == "hint":
                self.hints[key] = text
            elif kind == "legend":
                self.legends.append((key, text))
            elif kind == "option":
                self.options.append(text)

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.text.append(data)
        if self._capture:
            self._capture[-1][2].append(data)

    def visible_text(self) -> str:
        return " ".join("".join(self.text).split())


def bare(label: str) -> str:
    return re.sub(r"\s*\(optional\)$", "", label).strip().rstrip(".").lower()


# Words that carry no meaning of their own when comparing a hint with its label.
FILLER = {
    "a", "an", "and", "are", "as", "be", "by", "can", "could", "do", "does", "for",
    "if", "in", "is", "it", "its", "may", "of", "on", "or", "that", "the", "their",
    "there", "they", "this", "to", "was", "what", "which", "who", "why", "would",
    "you", "your",
}


def repeats(hint: str, label: str) -> bool:
    """The hint says nothing the label does not: 'Highest score' under
    'Highest score on the scale', 'Evidence it would work' under 'What evidence
    is there that it would work?'."""
    def words(text: str) -> set[str]:
        return set(re.findall(r"[a-z]+", bare(text))) - FILLER
    return bare(hint) == bare(label) or words(hint) <= words(label)


def faults(page: Page) -> list[str]:
    found = []
    text = page.visible_text()
    if "---------" in text or "---------" in " ".join(page.options):
        found.append("an empty choice shown as ---------")
    for match in re.finditer(r".{0,30}\s[.,](?!\d|\w).{0,10}", text):
        found.append(f"a space before punctuation: {match.group(0)!r}")
    if "Ensure this value" in text or "This field is required" in text:
        found.append("Django's own error wording")
    for control, label in page.labels.items():
        hint = page.hints.get(f"{control}-hint")
        if hint and repeats(hint, label):
            found.append(f"the hint repeats the label {label!r}: {hint!r}")
    for described_by, legend in page.legends:
        for hint_id in described_by.split():
            hint = page.hints.get(hint_id)
            if hint and repeats(hint, legend):
                found.append(f"the hint repeats the legend {legend!r}: {hint!r}")
    return found


@pytest.fixture
def demo_lead(client, db):
    assert load_demo_data() is True
    email = next(email for role, email in demo_logins() if "lead" in role.lower())
    client.force_login(User.objects.get(email=email))
    return client


def walk(client, start: str) -> dict[str, list[str]]:
    """GET pages reachable from `start`; the faults found on each."""
    seen_views: Counter[str] = Counter()
    queue, visited, report = [start], set(), {}
    while queue and len(report) < MAX_PAGES:
        url = queue.pop(0)
        if url in visited:
            continue
        visited.add(url)
        try:
            view = resolve(urlsplit(url).path).view_name
        except Resolver404:
            continue
        if seen_views[view] >= PAGES_PER_VIEW:
            continue
        seen_views[view] += 1
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get(
            "Content-Type", ""
        ):
            continue
        page = Page()
        page.feed(response.content.decode())
        report[url] = faults(page)
        for href in page.links:
            href = urldefrag(href).url
            if href.startswith("/") and not SKIP.search(urlsplit(href).path):
                queue.append(href)
    return report


@pytest.mark.slow
def test_a_lead_sees_no_raw_wording_on_any_page(demo_lead):
    report = walk(demo_lead, "/n/london/")

    assert len(report) > 60, "the walk should reach most of the site"
    assert {url: found for url, found in report.items() if found} == {}


# Django's own messages, which say what is wrong but not what to do.
DJANGO_WORDING = re.compile(
    r"This field is required|Enter a valid|Select a valid choice|Ensure this value"
    r"|Enter a whole number\.|Enter a number\.|is not one of the available choices"
)
WRONG_ANSWERS = {
    "title": "x" * 500, "name": "x" * 500, "full_name": "x" * 500,
    "email": "not an address", "weight": "heavy", "capacity": "-1",
    "value": "lots", "position": "first", "starts_at": "soon", "due_on": "later",
}


@pytest.mark.slow
def test_a_lead_sees_no_django_error_wording_on_any_form(demo_lead):
    # Every form the walk reaches, sent empty and then with wrong answers.
    pages = [url for url in walk(demo_lead, "/n/london/")
             if not re.search(r"/(sign-out|delete|leave)/", url)]
    found, forms_sent = {}, 0
    for url in pages:
        if 'method="post"' not in demo_lead.get(url).text:
            continue
        forms_sent += 1
        for answers in ({}, WRONG_ANSWERS):
            response = demo_lead.post(url, answers)
            if response.status_code != 200:
                continue
            page = Page()
            page.feed(response.content.decode())
            raw = DJANGO_WORDING.findall(page.visible_text())
            if raw:
                found[url] = sorted(set(raw))

    assert forms_sent > 30
    assert found == {}


# The faults the walk found, each where it was ------------------------------------


def test_event_times_end_without_a_stray_space(client, network, member):
    EventFactory(network=network, title="Back pain event")
    client.force_login(member)

    response = client.get(reverse("event-list", args=[network.slug]))

    text = " ".join(response.text.split())
    assert re.search(r"\d\d:\d\d</time>\. ", text)
    assert "</time> ." not in text


def test_signed_out_visitor_is_told_how_to_get_an_account(client, network):
    event = EventFactory(network=network, visibility=Visibility.PUBLIC)

    response = client.get(reverse("event-detail", args=[network.slug, event.pk]))

    assert "Anyone can create an account" not in response.text
    assert "ask to join" in response.text


def test_reason_for_declining_is_not_marked_optional(client, network, lead):
    join_request = JoinRequestFactory(network=network)
    client.force_login(lead)

    response = client.get(
        reverse("join-request-decide", args=[network.slug, join_request.pk])
    )

    assert "Reason for declining (optional)" not in response.text
    assert "Give a reason if you decline" in response.text


def test_attendance_rows_are_not_each_marked_optional(client, network, lead, member):
    meeting = make_meeting(make_group(network, chair=lead, members=[member]))
    client.force_login(lead)

    response = client.get(
        reverse("meeting-attendance", args=[network.slug, meeting.pk])
    )

    assert member.display_name in response.text
    assert "(optional)" not in response.text


def test_new_role_is_announced_with_an_article(client, network, lead):
    membership = MembershipFactory(network=network, role=Role.MEMBER)
    client.force_login(lead)

    response = client.post(
        reverse("member-role", args=[network.slug, membership.pk]),
        {"role": Role.STEERING}, follow=True,
    )

    assert "is now a steering group member." in response.text


def test_a_hint_that_only_restates_its_label_is_caught():
    assert repeats("Highest score", "Highest score on the scale")
    assert repeats("Evidence it would work",
                   "What evidence is there that it would work? (optional)")
    assert not repeats("For example, shorter waits or care closer to home.",
                       "Expected benefit for access")
