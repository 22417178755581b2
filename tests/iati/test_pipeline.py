"""`import iati --jobs N`: reader processes give exactly the ledger, history, warnings and summary of one process."""

import shutil
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from pledgewatch.iati.importer import Filters, Importer
from pledgewatch.iati.models import IatiActivity, ImportedFile
from pledgewatch.ledger.models import (
    Commitment,
    CommitmentCountry,
    Document,
    Organisation,
    Source,
    StageChange,
    Transaction,
)
from tests.iati.conftest import EXAMPLE, HOSTILE, JICA, activities_file, activity_xml

pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    pass


def snapshot() -> dict:
    """Return the ledger written by an import, with ids replaced by natural keys (identifiers, slugs, URLs)."""
    skip = {"id", "created_at", "updated_at", "provider_id", "pillar_id"}
    commitments = {}
    for c in Commitment.objects.order_by("iati_identifier", "title_en"):
        values = {k: v for k, v in vars(c).items() if not k.startswith("_") and k not in skip}
        values["provider"] = c.provider.iati_ref if c.provider_id else None
        values["recipient_orgs"] = sorted(o.slug for o in c.recipient_organisations.all())
        values["documents"] = sorted(d.iati_ref for d in c.documents.all())
        values["countries"] = sorted((r.country_id, r.share) for r in c.recipients.all())
        values["transactions"] = sorted((t.kind, t.date, t.value_date, t.amount, t.currency, t.description)
                                        for t in c.transactions.all())
        values["stages"] = [(s.stage, s.date, s.note) for s in StageChange.objects.filter(commitment=c).order_by("pk")]
        # by content type too: on PostgreSQL the rolled-back runs do not give back their ids, so a commitment
        # of one run may have the id of another object's source
        values["sources"] = [(s.url, s.quote, s.note) for s in Source.objects.filter(
            content_type=ContentType.objects.get_for_model(Commitment), object_id=c.pk).order_by("pk")]
        commitments[(c.iati_identifier, c.title_en)] = values
    history = sorted(((h.iati_identifier, h.history_type, h.history_change_reason, h.history_user_id, h.title_en,
                       h.amount, h.currency, h.stage, h.date) for h in Commitment.history.all()), key=repr)
    activities = {}
    for ia in IatiActivity.objects.order_by("identifier"):
        path = ia.file.path if ia.file_id else None
        activities[ia.identifier] = (ia.fingerprint, ia.last_updated, ia.version, path, ia.line, ia.linked,
                                     ia.data, [code for _pk, code in ia.transaction_ids], ia.superseded)
    files = sorted(((f.path, f.sha256, f.status, f.activities, f.counts, f.warnings, f.error)
                    for f in ImportedFile.objects.all()), key=repr)
    orgs = sorted(((o.slug, o.iati_ref, o.kind, o.name_en, o.name_ja, o.country_id)
                   for o in Organisation.objects.all()), key=repr)
    docs = sorted(((d.iati_ref, d.url, d.title_en, d.language, d.date) for d in Document.objects.all()), key=repr)
    return {"commitments": commitments, "history": history, "activities": activities, "files": files,
            "orgs": orgs, "docs": docs, "counts": (CommitmentCountry.objects.count(), Transaction.objects.count())}


def imported(paths, jobs: int, **filters) -> tuple[dict, dict]:
    """Import with `jobs` processes inside a transaction that is rolled back; return (summary, snapshot)."""
    result = {}
    try:
        with transaction.atomic():
            summary = Importer(Filters(**filters), jobs=jobs, batch_size=7).run([str(p) for p in paths]).as_json()
            summary.pop("seconds")
            result = {"summary": summary, "snapshot": snapshot()}
            raise _Rollback
    except _Rollback:
        pass
    return result["summary"], result["snapshot"]


def test_two_processes_give_exactly_the_ledger_of_one(tmp_path):
    paths = [JICA, EXAMPLE, HOSTILE / "duplicate-identifiers.xml", HOSTILE / "narrative-dates.xml"]
    one = imported(paths, 1)
    two = imported(paths, 2)
    assert one[0]["activities"]["new"] > 80
    assert one[0]["warnings"] and one[0]["warning_samples"]
    assert two == one
    assert imported(paths, 3) == one  # two readers take the files in turn


def test_filters_and_initiative_give_the_same_ledger(seeded):
    kwargs = {"recipients": frozenset({"UZ", "KZ"}), "initiative": "ca-jad-tokyo-initiative"}
    assert imported([JICA], 2, **kwargs) == imported([JICA], 1, **kwargs)


def test_a_broken_file_among_good_ones_leaves_exactly_the_others(tmp_path):
    good1 = activities_file(tmp_path / "a.xml", activity_xml("XX-PIPE-1"), activity_xml("XX-PIPE-2"))
    shutil.copy(HOSTILE / "truncated.xml", tmp_path / "b.xml")
    good2 = activities_file(tmp_path / "c.xml", *(activity_xml(f"XX-PIPE-{n}") for n in range(3, 20)))
    summary = Importer(jobs=2, batch_size=5).run([str(tmp_path)]).as_json()
    assert (summary["files_imported"], summary["files_failed"]) == (2, 1)
    assert summary["errors"] == [{"file": str(tmp_path / "b.xml"), "error": (
        f"{tmp_path / 'b.xml'}, line 17, element iati-activity[2] (after XX-TEST-1): The file is not well-formed "
        "XML (Couldn't find end of Start Tag acti, line 17, column 8).")}]
    assert sorted(Commitment.objects.values_list("iati_identifier", flat=True)) == sorted(
        f"XX-PIPE-{n}" for n in range(1, 20))
    assert not Commitment.objects.filter(iati_identifier="XX-TEST-1").exists()
    assert ImportedFile.objects.get(path=str(tmp_path / "b.xml")).status == "failed"
    assert good1.exists() and good2.exists()


def test_reimport_and_same_content_twice(tmp_path):
    a = activities_file(tmp_path / "a.xml", activity_xml("XX-TWICE-1", amount="5"))
    shutil.copy(a, tmp_path / "b.xml")  # the same content again: imported once, then unchanged
    first = Importer(jobs=2).run([str(tmp_path)]).as_json()
    assert (first["files_imported"], first["files_unchanged"], first["activities"]["new"]) == (1, 1, 1)
    again = Importer(jobs=2).run([str(tmp_path)]).as_json()
    assert (again["files_imported"], again["files_unchanged"]) == (0, 2)
    activities_file(a, activity_xml("XX-TWICE-1", amount="7", attrs='last-updated-datetime="2030-01-01T00:00:00Z"'))
    third = Importer(jobs=2).run([str(tmp_path)]).as_json()
    assert third["activities"]["updated"] == 1
    assert Commitment.objects.get(iati_identifier="XX-TWICE-1").amount == Decimal("7")


def test_messages_of_readers_are_in_the_active_language(tmp_path):
    from django.utils import translation

    path = activities_file(tmp_path / "n.xml", activity_xml("XX-JA-1", country="ZZ"))
    with translation.override("ja"):
        one = imported([path], 1)
        two = imported([path], 2)
    assert two == one
    assert any("ZZ" in m for m in one[0]["warning_samples"]["unknown_country"])


def test_reimport_by_fingerprints_reads_lazily_and_gives_the_same_ledger(tmp_path, monkeypatch):
    from pledgewatch.iati import pipeline

    folder = tmp_path / "corpus"
    folder.mkdir()
    for n in range(4):
        activities_file(folder / f"f{n}.xml", *(activity_xml(f"XX-LAZY-{n}-{i}") for i in range(6)))
    Importer(jobs=2).run([str(folder)])
    ImportedFile.objects.all().delete()  # every activity is compared by its fingerprint again
    # a newer version of one activity in the last file, and a new one
    activities_file(folder / "f3.xml", *(activity_xml(f"XX-LAZY-3-{i}") for i in range(5)),
                    activity_xml("XX-LAZY-3-5", amount="9", status="3", country="ZZ",
                                 attrs='last-updated-datetime="2031-01-01T00:00:00Z"'),
                    activity_xml("XX-LAZY-NEW", amount="3"))
    lazy = []
    submit = pipeline.Readers.submit

    def spy(self, inp, lazy_=False, **kwargs):
        lazy.append((inp.name.rsplit("/", 1)[-1], kwargs.get("lazy", lazy_)))
        return submit(self, inp, **kwargs)

    monkeypatch.setattr(pipeline.Readers, "submit", spy)
    one, two = imported([folder], 1), imported([folder], 2)
    assert two == one
    assert one[0]["activities"] == {"new": 1, "updated": 1, "unchanged": 23, "skipped": 0, "linked": 0, "review": 0}
    assert "unknown_country" in one[0]["warnings"]
    # the first two files are given to the reader before anything is known; then the XML only
    assert lazy == [("f0.xml", False), ("f1.xml", False), ("f2.xml", True), ("f3.xml", True)]


def test_no_reader_is_started_for_an_unchanged_corpus(tmp_path, monkeypatch):
    from pledgewatch.iati import pipeline

    activities_file(tmp_path / "a.xml", activity_xml("XX-IDLE-1"))
    Importer(jobs=2).run([str(tmp_path)])
    started = []
    monkeypatch.setattr(pipeline.Readers, "_start", lambda self: started.append(self))
    again = Importer(jobs=2).run([str(tmp_path)]).as_json()
    assert (again["files_unchanged"], started) == (1, [])


def test_readers_start_under_override_settings(tmp_path, settings):
    settings.DEBUG = False  # settings are now a UserSettingsHolder whose SETTINGS_MODULE is None
    path = activities_file(tmp_path / "o.xml", activity_xml("XX-OVERRIDE-1"))
    assert Importer(jobs=2).run([str(path)]).as_json()["activities"]["new"] == 1


def test_with_one_reader_the_importing_process_reads_every_fifth_file(tmp_path, monkeypatch):
    from pledgewatch.iati import importer, pipeline

    folder = tmp_path / "corpus"
    folder.mkdir()
    for n in range(11):
        activities_file(folder / f"f{n:02d}.xml", *(activity_xml(f"XX-SHARE-{n}-{i}", amount=str(i + 1))
                                                     for i in range(3)))
    sent = []
    submit = pipeline.Readers.submit

    def spy(self, inp, **kwargs):
        sent.append(inp.name.rsplit("/", 1)[-1])
        return submit(self, inp, **kwargs)

    monkeypatch.setattr(pipeline.Readers, "submit", spy)
    two = imported([folder], 2)
    assert sent == [f"f{n:02d}.xml" for n in range(11) if (n + 1) % importer.LOCAL_EVERY]
    assert two == imported([folder], 1)
    assert two[0]["activities"]["new"] == 33


def test_what_a_reader_sends_is_pickled_by_its_non_default_fields_and_equal_once_received():
    import pickle

    from pledgewatch.iati import mapping
    from pledgewatch.iati.parser import Raw, iter_batches, peek
    from pledgewatch.iati.writer import complete

    path = next(JICA.rglob("*.xml"))
    with open(path, "rb") as f:
        head = peek(f, path.name)
        warned = 0
        for raw in next(iter_batches(f, path.name, head, 50)):
            a = raw.read(head)
            warned += bool(a.warnings)
            plan = complete(mapping.plan(a, {"UZ", "KZ", "KG", "TJ", "TM"}), a, head.version, True)
            sent = Raw(identifier=raw.identifier, line=raw.line, index=raw.index, fingerprint=raw.fingerprint,
                       xml=None, last_updated=raw.last_updated, activity=a, plan=plan)
            received = pickle.loads(pickle.dumps(sent))  # noqa: S301 (our own bytes)
            assert received == sent
            assert type(received.plan.data_json) is type(plan.data_json)
            assert [(k, str(m)) for k, m in received.activity.warnings] == [(k, str(m)) for k, m in a.warnings]
    assert warned  # Later messages went along
