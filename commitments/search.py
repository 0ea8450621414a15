"""Free-text search over commitments, insensitive to accents, case and plurals.

On PostgreSQL the search goes through ``commitment.search_vector``, kept up to
date by a trigger with the "french_unaccent" text search configuration (see
migration 0003): French stemming after accents are removed, and a GIN index.
Historical rows (the plan as of a past date) have no stored vector, so the
vector is computed on the fly for them.

SQLite has no text search worth the name, so there every word of the query,
folded (no accents, lower case, no plural ending), must appear in the folded
text of the commitment. It scans the plan's commitments, which is fine for the
development database it is meant for.
"""

import re
import unicodedata

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Func, QuerySet, TextField, Value

CONFIG = "french_unaccent"
MAX_LENGTH = 200
SEARCHED_FIELDS = [
    "ogp_id",
    "title_fr",
    "title_en",
    "summary_fr",
    "summary_en",
    "problem_fr",
    "problem_en",
    "commitment_fr",
    "commitment_en",
    "contribution_fr",
    "contribution_en",
    "relevance_fr",
    "relevance_en",
]
# Words too common to narrow a search; PostgreSQL's French dictionary drops
# these (and more) by itself.
STOP_WORDS = {
    "a",
    "au",
    "aux",
    "d",
    "de",
    "des",
    "du",
    "en",
    "et",
    "l",
    "la",
    "le",
    "les",
    "of",
    "the",
    "un",
    "une",
}
_WORD = re.compile(r"\w+")


def fold(text: str | None) -> str:
    """Return text without accents, in lower case, each word without a plural ending."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    words = [_singular(word) for word in _WORD.findall(bare)]

    return " ".join(words)


def _singular(word: str) -> str:
    if len(word) > 3 and word[-1] in "sx":
        return word[:-1]
    return word


def query_words(query: str) -> list[str]:
    """Return the folded words of a query that narrow a search."""
    return [word for word in fold(query).split() if word not in STOP_WORDS]


def search(queryset: QuerySet, query: str, *, historical: bool = False) -> QuerySet:
    """Filter commitments (live or historical rows) matching query; annotate rank."""
    if connection.vendor == "postgresql":
        return _search_postgresql(queryset, query, historical=historical)

    return _search_folded(queryset, query)


def _search_postgresql(queryset: QuerySet, query: str, *, historical: bool):
    search_query = SearchQuery(query, config=CONFIG, search_type="websearch")
    if historical:
        vector = (
            SearchVector("ogp_id", "title_fr", "title_en", config=CONFIG, weight="A")
            + SearchVector("summary_fr", "summary_en", config=CONFIG, weight="B")
            + SearchVector(*SEARCHED_FIELDS[5:], config=CONFIG, weight="C")
        )
        queryset = queryset.annotate(computed_vector=vector)
        column = "computed_vector"
    else:
        column = "search_vector"

    return queryset.filter(**{column: search_query}).annotate(
        search_rank=SearchRank(F(column), search_query)
    )


class Fold(Func):
    """SQL call of fold_all(), registered on each SQLite connection."""

    function = "ogp_fold"
    output_field = TextField()


def fold_all(*texts: str | None) -> str:
    """Return the folded text of several columns, as one text."""
    return " ".join(fold(text) for text in texts if text)


def _register_sqlite_function() -> None:
    connection.ensure_connection()
    connection.connection.create_function("ogp_fold", -1, fold_all, deterministic=True)


def _search_folded(queryset: QuerySet, query: str) -> QuerySet:
    _register_sqlite_function()
    words = query_words(query)
    if not words:
        # A query made only of common words matches nothing rather than all;
        # the rank is still there for a sort by relevance.
        return queryset.annotate(search_rank=Value(1.0)).none()

    queryset = queryset.annotate(folded_text=Fold(*SEARCHED_FIELDS))
    for word in words:
        queryset = queryset.filter(folded_text__contains=word)

    return queryset.annotate(search_rank=Value(1.0))
