"""Ideas brought from a live workshop keep only the room's words in their body: the sentence
saying where they came from is now shown from ``workshop_question`` on the idea's page, and in
the body it made every such idea look like every other to the duplicate check and the themes."""

from django.db import migrations
from django.utils import timezone


def own_words(apps, schema_editor):
    from platsa.core.render.markdown_safe import render_markdown

    Idea = apps.get_model("innovation", "Idea")
    ideas = Idea.objects.filter(workshop_question__isnull=False, origin__startswith="workshop-")
    for idea in ideas.iterator():
        words, sep, last = idea.body.rpartition("\n\n")
        if sep and last.startswith("*") and last.endswith("*") and words.strip():
            idea.body = words
            idea.body_html = render_markdown(words)
            idea.text_changed_at = timezone.now()
            idea.save(update_fields=["body", "body_html", "text_changed_at"])


class Migration(migrations.Migration):
    dependencies = [("innovation", "0007_workshop_origin")]

    operations = [migrations.RunPython(own_words, migrations.RunPython.noop)]
