"""Pagination for public lists: two queries (count, page), and no error pages.

A page number that is not a number, below 1 or past the end is not an error
worth a 404 for a link someone shared: the first page is shown with a note
saying which page was asked for and ignored.
"""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

MAX_PAGE_DIGITS = 7


@dataclass
class Page:
    objects: list
    number: int
    count: int
    per_page: int

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.count else 0

    @property
    def end_index(self) -> int:
        return min(self.number * self.per_page, self.count)

    @property
    def nearby(self) -> list[int | None]:
        """Return the page numbers to link to, None standing for a gap."""
        shown = {1, self.num_pages, *range(self.number - 2, self.number + 3)}
        numbers = sorted(n for n in shown if 1 <= n <= self.num_pages)
        result: list[int | None] = []
        for number in numbers:
            if result and number - result[-1] > 1:
                result.append(None)
            result.append(number)
        return result


def paginate(queryset: QuerySet, raw_number, per_page: int) -> tuple[Page, str]:
    """Return the asked page of queryset, and a note if the number was ignored."""
    raw_number = (raw_number or "").strip()
    number, note = 1, ""
    if raw_number:
        valid = raw_number.isdigit() and len(raw_number) <= MAX_PAGE_DIGITS
        if valid and int(raw_number) >= 1:
            number = int(raw_number)
        else:
            note = _("There is no page “%(page)s”: the first page is shown.")
    count = queryset.count()
    last = max(1, -(-count // per_page))
    if number > last:
        note = _("There is no page “%(page)s”: the first page is shown.")
        number = 1

    start = (number - 1) * per_page
    objects = list(queryset[start : start + per_page]) if count else []
    page = Page(objects=objects, number=number, count=count, per_page=per_page)

    return page, note % {"page": raw_number} if note else ""
