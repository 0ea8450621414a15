"""Markdown texts that Python-Markdown would take ages or fail to render."""

import pytest

from ogp_tracker.markdown import BRACKETS_TRUSTED, defuse_brackets, render


def test_it_leaves_a_text_with_few_brackets_alone():
    text = "[" * (BRACKETS_TRUSTED - 1) + " see [the plan](https://example.org)"

    assert defuse_brackets(text) == text


def test_it_escapes_the_brackets_that_open_no_link_in_a_text_full_of_them():
    text = "[the plan](https://example.org) ![chart](c.png) \\[ " + "[x] " * 200

    defused = defuse_brackets(text)

    assert defused.startswith("[the plan](https://example.org) ![chart](c.png) \\[ ")
    assert defused.count("\\[x]") == 200


@pytest.mark.parametrize("subset", ["full", "comment"])
def test_it_shows_thousands_of_brackets_as_typed(subset):
    html = str(
        render("see [the plan](https://example.org) " + "[" * 9800, subset=subset)
    )

    assert '<a href="https://example.org"' in html
    assert html.count("[") == 9800
    assert "\\" not in html


@pytest.mark.parametrize("unit", ["+ ", "1. "])
def test_it_shows_lists_nested_past_python_s_stack_as_plain_text(unit):
    html = str(render(unit * 4000 + "<b>end</b>", subset="comment"))

    assert html.startswith("<p>+ + ") or html.startswith("<p>1. 1. ")
    assert html.endswith("&lt;b&gt;end&lt;/b&gt;</p>")
