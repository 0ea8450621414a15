"""The migration that shows HTML typed in earlier comments as typed."""

from importlib import import_module

import pytest
from django.apps import apps

from tests.community.conftest import make_comment

pytestmark = pytest.mark.django_db

migration = import_module("community.migrations.0004_show_typed_html_in_comments")


def test_it_renders_again_only_the_comments_holding_html(commitment, member):
    typed = make_comment(commitment, member, body="See <iframe> then the rest")
    typed.body_html = "<p>See </p>"
    typed.save(update_fields=["body_html"])
    plain = make_comment(commitment, member, body="No markup")
    plain.body_html = "<p>kept as stored</p>"
    plain.save(update_fields=["body_html"])

    migration.render_again(apps, None)

    typed.refresh_from_db()
    plain.refresh_from_db()
    assert typed.body_html == "<p>See &lt;iframe&gt; then the rest</p>"
    assert plain.body_html == "<p>kept as stored</p>"
