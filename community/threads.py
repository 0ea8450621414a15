"""One page of a commitment's conversation, read with a fixed number of queries.

Top-level comments are paginated; each comes with its whole thread. The page
costs three queries whatever the number of comments: the counts (one
aggregate), the page of top-level comments, and every reply of those threads
at once (replies carry their thread's root, so no recursion is needed).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from community.models import Comment

PAGE_SIZE = 20
SORTS = {
    "newest": ("-created_at", "-id"),
    "oldest": ("created_at", "id"),
}
DEFAULT_SORT = "newest"


@dataclass
class ThreadPage:
    number: int
    num_pages: int
    sort: str
    threads_count: int
    comments_count: int
    awaiting_count: int
    threads: list = field(default_factory=list)

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
    def page_numbers(self) -> list[int | None]:
        """Return page numbers around the current one; None marks a gap."""
        wanted = {1, self.num_pages} | set(range(self.number - 2, self.number + 3))
        shown = sorted(n for n in wanted if 1 <= n <= self.num_pages)
        numbers: list[int | None] = []
        for n in shown:
            if numbers and n - numbers[-1] > 1:
                numbers.append(None)
            numbers.append(n)
        return numbers


def parse_page(value) -> int:
    """Return a page number from a query string value; 1 when it is not one."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return max(1, min(number, 1_000_000))


def parse_sort(value) -> str:
    return value if value in SORTS else DEFAULT_SORT


def load_page(
    commitment, *, page: int = 1, sort: str = DEFAULT_SORT, before=None
) -> ThreadPage:
    """Return one page of threads of commitment, replies nested under .children.

    With before (a moment), only the comments posted before it are counted and
    shown, and a comment answered since then counts as awaiting its answer;
    hidden and deleted comments show as they are now.
    """
    sort = parse_sort(sort)
    posted = Comment.objects.filter(commitment=commitment)
    unanswered = Q(answered_at=None)
    if before is not None:
        posted = posted.filter(created_at__lt=before)
        unanswered |= Q(answered_at__gte=before)
    counts = posted.aggregate(
        threads=Count("pk", filter=Q(parent=None)),
        visible=Count("pk", filter=Q(hidden_at=None, deleted_at=None)),
        awaiting=Count(
            "pk",
            filter=Q(
                unanswered,
                parent=None,
                official_institution=None,
                hidden_at=None,
                deleted_at=None,
            ),
        ),
    )
    num_pages = max(1, -(-counts["threads"] // PAGE_SIZE))
    number = min(max(1, page), num_pages)
    result = ThreadPage(
        number=number,
        num_pages=num_pages,
        sort=sort,
        threads_count=counts["threads"],
        comments_count=counts["visible"],
        awaiting_count=counts["awaiting"],
    )
    if not counts["threads"]:
        return result

    offset = (number - 1) * PAGE_SIZE
    related = ("author", "official_institution")
    top = list(
        posted.filter(parent=None)
        .select_related(*related)
        .order_by(*SORTS[sort])[offset : offset + PAGE_SIZE]
    )
    replies = Comment.objects.filter(root__in=[comment.pk for comment in top])
    if before is not None:
        replies = replies.filter(created_at__lt=before)
    replies = replies.select_related(*related).order_by("created_at", "id")
    result.threads = nest(top, replies)

    return result


def nest(top: list[Comment], replies) -> list[Comment]:
    """Attach each reply to its parent's .children, oldest first."""
    children = defaultdict(list)
    for reply in replies:
        children[reply.parent_id].append(reply)
    pending = list(top)
    while pending:
        comment = pending.pop()
        comment.children = children.get(comment.pk, [])
        pending.extend(comment.children)

    return top


def page_of(comment: Comment, sort: str = DEFAULT_SORT) -> int:
    """Return the page of the commitment's conversation that shows comment."""
    root_id = comment.root_id or comment.pk
    root = Comment.objects.only("created_at").get(pk=root_id)
    before = Q(created_at__gt=root.created_at) | Q(
        created_at=root.created_at, pk__gt=root.pk
    )
    if sort == "oldest":
        before = Q(created_at__lt=root.created_at) | Q(
            created_at=root.created_at, pk__lt=root.pk
        )
    position = Comment.objects.filter(
        before, commitment_id=comment.commitment_id, parent=None
    ).count()

    return position // PAGE_SIZE + 1
