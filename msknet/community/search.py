"""Searching the resource library, on whichever database the site runs on.

PostgreSQL ranks with its full-text search (English stemming, titles weighed
above summaries above the document's own words). SQLite has no such thing
built in, so there every word must appear somewhere and resources are
ranked by where the words appear. `search_resources` chooses by the database.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from .models import Resource

MAX_TERMS = 10


def terms(query: str) -> list[str]:
    """The words searched for, lower case, at most ten, without duplicates."""
    words = re.findall(r"\w+", query.lower())
    return list(dict.fromkeys(words))[:MAX_TERMS]


def search_resources(resources: QuerySet[Resource], query: str) -> QuerySet[Resource]:
    """Resources matching the query, best first; all of them for no words."""
    if not terms(query):
        return resources
    if connection.vendor == "postgresql":
        return postgres_search(resources, query)
    return fallback_search(resources, query)


def postgres_search(resources: QuerySet[Resource], query: str) -> QuerySet[Resource]:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    vector = (
        SearchVector("title", weight="A", config="english")
        + SearchVector("summary", weight="B", config="english")
        + SearchVector("publisher", weight="B", config="english")
        + SearchVector("extracted_text", weight="C", config="english")
    )
    search = SearchQuery(" ".join(terms(query)), search_type="plain", config="english")
    return (
        resources.annotate(search=vector, rank=SearchRank(vector, search))
        .filter(search=search)
        .order_by("-rank", "title", "pk")
    )


# Where a word is found, and what finding it there is worth.
FIELD_WEIGHTS = (("title", 4), ("summary", 2), ("publisher", 2), ("extracted_text", 1))


def fallback_search(resources: QuerySet[Resource], query: str) -> QuerySet[Resource]:
    """Every word somewhere (case-insensitive), ranked by where they were found."""
    score = Value(0)
    for word in terms(query):
        anywhere = Q()
        for field, weight in FIELD_WEIGHTS:
            match = Q(**{f"{field}__icontains": word})
            anywhere |= match
            score = score + Case(
                When(match, then=Value(weight)), default=Value(0),
                output_field=IntegerField(),
            )
        resources = resources.filter(anywhere)
    return resources.annotate(rank=score).order_by(F("rank").desc(), "title", "pk")
