"""Issues built from the ledger's history: new commitments, stage and amount changes, documents, progress."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from pledgewatch.newsletter import render
from pledgewatch.newsletter.digest import create_issue, matches
from pledgewatch.newsletter.models import Member

SLUG = "ca-jad-tokyo-initiative"


@pytest.fixture
def first_issue(seeded):
    return create_issue(seeded, until=timezone.now())


def test_first_issue_reports_the_seed_and_progress(seeded, first_issue):
    content = first_issue.content
    kinds = {i["kind"] for i in content["items"]}
    assert "new_commitment" in kinds and "new_document" in kinds
    assert content["initiative"] == SLUG
    (block,) = content["progress"]
    assert block["slug"] == SLUG
    assert block["counted"]["currency"] == "JPY"
    assert block["target"]["currency"] == "JPY"
    assert set(first_issue.charts) == {"ja", "en", "ru"}
    import base64

    assert base64.b64decode(first_issue.charts["en"])[:8] == b"\x89PNG\r\n\x1a\n"


def test_next_issue_has_only_what_changed_since(seeded, first_issue):
    from pledgewatch.ledger.models import Commitment

    c = Commitment.objects.filter(initiatives=seeded).exclude(stage="completed").order_by("pk").first()
    old_stage = c.stage
    c.stage = "completed"
    c.amount = (c.amount or Decimal(0)) + Decimal(1000)
    c.qualifier = "exact" if c.qualifier == "undisclosed" else c.qualifier
    c.currency = c.currency or "JPY"
    c.save()
    issue = create_issue(seeded, until=timezone.now() + timedelta(seconds=1))
    assert issue.since == first_issue.until
    kinds = sorted((i["kind"], i["commitment"]) for i in issue.content["items"])
    assert kinds == [("amount_change", c.pk), ("stage_change", c.pk)]
    stage = next(i for i in issue.content["items"] if i["kind"] == "stage_change")
    assert (stage["stage_from"], stage["stage_to"]) == (old_stage, "completed")
    assert stage["tags"]["initiatives"] == [SLUG]


def test_empty_window_gives_no_items(seeded, first_issue):
    issue = create_issue(seeded, until=timezone.now() + timedelta(seconds=1))
    assert issue.content["items"] == []


def test_topics_select_items():
    item = {"tags": {"initiatives": [SLUG], "countries": ["UZ"], "pillars": ["green-resilience"]}}
    assert matches(item, {})
    assert matches(item, {"countries": ["UZ", "KG"]})
    assert not matches(item, {"countries": ["KG"]})
    assert matches(item, {"countries": ["KG"], "pillars": ["green-resilience"]})


def test_rendering_per_language_and_topics(issue):
    ja = Member(pk=1, email="a@example.org", language="ja", topics={"countries": ["KG"]})
    en = Member(pk=2, email="b@example.org", language="en", topics={})
    r = render.IssueRenderer(issue)
    subj_ja, text_ja, html_ja, manage, _u = r.for_member(ja)
    assert subj_ja.startswith("pledgewatch ニュースレター")
    assert "橋梁架け替え計画" in text_ja and "畜産振興" not in text_ja  # KG only
    assert "段階の変更" in text_ja
    subj_en, text_en, html_en, _m, unsub = r.for_member(en)
    assert subj_en.startswith("pledgewatch newsletter: what changed until ")
    assert "Livestock sector development" in text_en and "Bridge replacement" in text_en
    assert "New commitment (signed): up to ¥21.37 billion" in text_en  # the pages' form (ledger.formatting)
    assert unsub in html_en and manage in html_ja
    assert len(r.cache) == 2


def test_issue_create_command_prints_id_last(seeded, capsys):
    from django.core.management import call_command

    from pledgewatch.newsletter.models import Issue

    call_command("newsletter_issue_create", "--initiative", SLUG)
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1] == str(Issue.objects.get().pk)
