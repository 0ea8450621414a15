"""Render again the comments whose text holds "<".

HTML typed in a comment used to be read as markup, which dropped some of the
text (everything after an "<iframe>", say); it is now shown as typed. Only a
text holding "<" can render differently.
"""

from django.db import migrations

from ogp_tracker.markdown import render

BATCH = 500


def render_again(apps, schema_editor):
    Comment = apps.get_model("community", "Comment")
    comments = Comment.objects.filter(body__contains="<").only("id", "body")
    changed = []
    for comment in comments.iterator(chunk_size=BATCH):
        comment.body_html = str(render(comment.body, subset="comment"))
        changed.append(comment)
        if len(changed) == BATCH:
            Comment.objects.bulk_update(changed, ["body_html"])
            changed = []
    Comment.objects.bulk_update(changed, ["body_html"])


class Migration(migrations.Migration):
    dependencies = [("community", "0003_awaiting_answer_index")]

    operations = [migrations.RunPython(render_again, migrations.RunPython.noop)]
