"""Deal packages: what an export writes, the round trip, and importing changes from another computer."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from icalendar import Calendar
from sqlalchemy import select

from salesdesk.domain.errors import ConflictError, ValidationError
from salesdesk.domain.model import Stage
from salesdesk.services.app import Services
from salesdesk.services.package import PackageService
from salesdesk.services.package_files import package_folder_name, safe_name
from salesdesk.store.schema import AgreementRevisionRow, AuditRow, DealRowORM
from tests.services.package_support import (
    add_revisions,
    folder_state,
    load_json,
    make_demo_database,
    open_copy,
    sha,
    signed_ref,
    snapshot,
)

T1 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
T2 = datetime(2026, 11, 25, 17, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_demo_database(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def demo(demo_db: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    sv = open_copy(demo_db, tmp_path / "a.db", actor="Ana on her laptop")
    yield sv
    sv.close()


def _export(sv: Services, ref: str, to: Path, at: datetime = T1) -> Path:
    to.mkdir(exist_ok=True)
    return PackageService(sv.ctx).export_deal(ref, to, exported_at=at)


# --- what an export writes ------------------------------------------------------------------------


def test_a_package_holds_the_signed_pdfs_the_plan_the_terms_the_items_and_the_deal(demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ref = signed_ref(demo)
    deal = demo.deals.get(ref)
    folder = _export(demo, ref, tmp_path / "shared")
    assert folder.name == f"{deal.customer_name} — {ref}"
    assert sorted(p.name for p in folder.iterdir()) == [
        "action-items.csv", "action-items.ics", "action-plan.pdf", "agreement-rev1-superseded.pdf",
        "agreement-rev2-signed.pdf", "deal.json", "terms.html"]
    with demo.store.read() as s:
        pdfs = {r.number: r.pdf for r in s.scalars(select(AgreementRevisionRow))}
    assert (folder / "agreement-rev2-signed.pdf").read_bytes() == pdfs[2]
    assert (folder / "action-plan.pdf").read_bytes().startswith(b"%PDF")

    html = (folder / "terms.html").read_text(encoding="utf-8")
    assert "<script" not in html and "http://" not in html and "https://" not in html
    flagged = [t for t in deal.terms if t.non_standard]
    assert html.count('class="badge">Non-standard') == len(flagged) > 0
    approver = demo.team.get(flagged[0].approved_by)
    assert f"Approved by {approver.name}" in html

    rows = list(csv.reader(io.StringIO((folder / "action-items.csv").read_bytes().decode("utf-8"))))
    assert (folder / "action-items.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert rows[0] == ["\ufeffowner", "side", "what", "due", "status", "done on"]
    assert len(rows) == 1 + len(deal.action_items)

    events = Calendar.from_ical((folder / "action-items.ics").read_bytes()).walk("VEVENT")
    assert {str(e["UID"]) for e in events} == {f"{a.uid}@salesdesk" for a in deal.action_items}
    assert {e["DTSTAMP"].dt for e in events} == {deal.updated_at.replace(microsecond=0)}
    assert all(e["DTEND"].dt - e["DTSTART"].dt == (e["DTEND"].dt - e["DTSTART"].dt).__class__(days=1) for e in events)

    doc = load_json(folder)
    assert set(doc) == {"format", "schema_version", "exported_at", "base_version", "lineage", "deal"}
    assert (doc["format"], doc["schema_version"], doc["exported_at"]) == ("salesdesk-deal", 1, T1.isoformat())
    d = doc["deal"]
    assert (d["uid"], d["version"], d["ref"]) == (deal.uid, deal.version, ref)
    assert {"customer", "team", "lines", "checklist", "work_items", "signoffs", "parties", "help_contacts", "terms",
            "action_items", "stakeholders", "kickoff", "breakdowns", "agreement_revisions"} <= set(d)
    assert {m["uid"] for m in d["team"]} >= {deal.owner_uid}
    assert all(set(m) == {"uid", "name", "department", "role"} for m in d["team"])
    revs = d["agreement_revisions"]
    assert [(r["number"], r["status"], r["pdf_file"]) for r in revs] == [
        (1, "superseded", "agreement-rev1-superseded.pdf"), (2, "signed", "agreement-rev2-signed.pdf"), (3, "draft", None)]
    assert revs[1]["signatures"][0]["image_png"]  # base64: nothing lost on the way

    def keys(value: object) -> set[str]:
        if isinstance(value, dict):
            return set(value) | {k for v in value.values() for k in keys(v)}
        if isinstance(value, list):
            return {k for v in value for k in keys(v)}
        return set()

    assert not {"id", "deal_id", "pin_hash", "member_id", "customer_id"} & keys(doc)


def test_the_readable_files_show_what_people_typed_and_never_run_it(demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ref = signed_ref(demo)
    deal = demo.deals.get(ref)
    hostile = replace(deal.terms[0], title='<script>alert("x")</script> & co', body="<img src=x onerror=alert(1)>")
    item = replace(deal.action_items[0], what="=HYPERLINK(\"http://evil\",\"click\")")
    demo.deals.save(replace(deal, terms=(hostile, *deal.terms[1:]), action_items=(item, *deal.action_items[1:])))
    folder = _export(demo, ref, tmp_path / "shared")
    html = (folder / "terms.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in html
    text = (folder / "action-items.csv").read_bytes().decode("utf-8-sig")
    assert "'=HYPERLINK" in text  # Excel shows it as text instead of running it
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical((folder / "action-items.ics").read_bytes()).walk("VEVENT")]
    assert f'{ref}: =HYPERLINK("http://evil","click")' in summaries


def test_exporting_records_the_version_but_is_not_a_change_of_the_deal(demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ref = signed_ref(demo)
    before = demo.deals.get(ref)
    _export(demo, ref, tmp_path / "shared")
    after = demo.deals.get(ref)
    assert after.version == before.version and after.updated_at == before.updated_at
    with demo.store.read() as s:
        row = s.scalar(select(DealRowORM).where(DealRowORM.ref == ref))
        assert (row.exported_at, row.exported_version) == (T1, before.version)
    packages = PackageService(demo.ctx)
    assert ref not in packages.refs_to_export(changed_since_last=True)
    demo.deals.save(replace(after, break_in_period="Eight weeks"))
    assert ref in packages.refs_to_export(changed_since_last=True)


def test_an_unchanged_deal_exports_identical_files_apart_from_exported_at(demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ref = signed_ref(demo)
    first = folder_state(_export(demo, ref, tmp_path / "shared", T1))
    mtimes = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "shared").rglob("*") if p.is_file()}
    folder = _export(demo, ref, tmp_path / "shared", T2)
    second = folder_state(folder)
    assert first.keys() == second.keys()
    assert [n for n in first if first[n] != second[n]] == ["deal.json"]
    a, b = json.loads(first["deal.json"]), json.loads(second["deal.json"])
    assert a.pop("exported_at") != b.pop("exported_at")
    assert a == b
    unchanged = {p.name: p.stat().st_mtime_ns for p in folder.iterdir() if p.name != "deal.json"}
    assert unchanged == {n: t for n, t in mtimes.items() if n != "deal.json"}  # nothing for a drive to sync


def test_export_all_reports_progress_and_can_skip_unchanged_deals(demo, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("salesdesk.services.package.action_plan_pdf", lambda _p, _id: b"%PDF-1.4 plan\n")
    shared = tmp_path / "shared"
    shared.mkdir()
    packages = PackageService(demo.ctx)
    steps = list(packages.export_all(shared))
    assert steps[0] == (0, 30, "") and steps[-1][:2] == (30, 30)
    assert [done for done, _total, _ref in steps] == list(range(31))
    assert len(list(shared.iterdir())) == 30
    assert list(packages.export_all(shared, changed_since_last=True)) == [(0, 0, "")]
    ref = steps[5][2]
    demo.deals.save(replace(demo.deals.get(ref), inclusions="Commissioning on site"))
    assert list(packages.export_all(shared, changed_since_last=True)) == [(0, 1, ""), (1, 1, ref)]


def test_a_superseded_revision_file_replaces_its_signed_name(demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ref = signed_ref(demo)
    folder = _export(demo, ref, tmp_path / "shared")
    with demo.store.write() as s:
        rev2 = s.scalar(select(AgreementRevisionRow).where(AgreementRevisionRow.number == 2))
        rev2.status = "superseded"
    add_revisions(demo, ref, ((4, "signed"),))
    _export(demo, ref, tmp_path / "shared")
    names = sorted(p.name for p in folder.iterdir() if p.name.startswith("agreement"))
    assert names == ["agreement-rev1-superseded.pdf", "agreement-rev2-superseded.pdf", "agreement-rev4-signed.pdf"]


@pytest.mark.parametrize(("name", "expected"), [
    ("Northwind Plastics Ltd", "Northwind Plastics Ltd"),
    ("../../etc/passwd", "etc passwd"),
    ("..\\..\\Windows\\System32", "Windows System32"),
    ("C:\\Users\\x", "C Users x"),
    (".hidden", "hidden"),
    ("CON", "_CON"),
    ("lpt1.txt", "_lpt1.txt"),
    ('A<B>C:"D"|E?F*', "A B C D E F"),
    ("Evil\u202egnp.exe", "Evil gnp.exe"),
    ("line\nbreak\ttab", "line break tab"),
    ("trailing dots...  ", "trailing dots"),
    ("", "Customer"),
    ("...", "Customer"),
])
def test_customer_names_become_folder_names_every_file_system_accepts(name: str, expected: str) -> None:
    assert safe_name(name, "Customer") == expected


def test_a_long_customer_name_is_cut_to_fit_any_file_system() -> None:
    folder = package_folder_name("Ünïcödé Großhandel GmbH " * 40, "D-2026-0001")
    assert len(folder.encode("utf-8")) <= 255 and folder.endswith(" — D-2026-0001")


def test_another_computers_package_with_the_same_name_is_not_overwritten(demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ref = signed_ref(demo)
    deal = demo.deals.get(ref)
    shared = tmp_path / "shared"
    theirs = shared / package_folder_name(deal.customer_name, ref)
    theirs.mkdir(parents=True)
    (theirs / "deal.json").write_text(json.dumps({"deal": {"uid": "11111111-1111-4111-8111-111111111111"}}))
    folder = _export(demo, ref, shared)
    assert folder != theirs and folder.name.endswith(f"({deal.uid[:8]})")
    assert json.loads((theirs / "deal.json").read_text())["deal"]["uid"].startswith("1111")


# --- the round trip -------------------------------------------------------------------------------


def test_export_import_into_an_empty_database_and_export_again_gives_the_same_package(demo, services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    one_per_stage = {r.stage: r.ref for r in demo.deals.list_rows()}
    one_per_stage[Stage.KICKED_OFF] = signed_ref(demo)  # the one with signed revisions
    assert len(one_per_stage) >= 8
    source = PackageService(demo.ctx)
    for ref in one_per_stage.values():
        source.export_deal(ref, first)
    services.settings.save(demo.settings.load())  # same letterhead, same calendar
    target = PackageService(services.ctx)
    results = [target.import_package(folder) for folder in sorted(first.iterdir())]
    assert {r.action for r in results} == {"added"} and len(results) == len(one_per_stage)
    assert sum(r.revisions_added for r in results) == 3
    list(target.export_all(second))
    assert sorted(p.name for p in first.iterdir()) == sorted(p.name for p in second.iterdir())
    for folder in first.iterdir():
        a, b = folder_state(folder), folder_state(second / folder.name)
        assert a.keys() == b.keys()
        ja, jb = json.loads(a.pop("deal.json")), json.loads(b.pop("deal.json"))
        ja.pop("exported_at"), jb.pop("exported_at")
        assert ja == jb, folder.name
        assert a == b, folder.name
    assert {r.stage for r in services.deals.list_rows()} == set(one_per_stage)

    def unlinked(deal):  # type: ignore[no-untyped-def]  # library rows have their own uids on each computer
        return replace(deal, terms=tuple(replace(t, standard_term_uid=None) for t in deal.terms))

    for ref in one_per_stage.values():
        assert unlinked(services.deals.get(ref)) == unlinked(demo.deals.get(ref))
    assert services.store.integrity_check() == []


# --- importing changes ----------------------------------------------------------------------------


def _shared_deal(demo: Services, other: Services, tmp_path: Path) -> str:
    """A deal exported by ``demo`` and imported by ``other``: both copies the same."""
    ref = signed_ref(demo)
    result = PackageService(other.ctx).import_package(_export(demo, ref, tmp_path / "from-a"))
    assert result.action == "added" and result.ref == ref
    return ref


def test_a_new_deal_brings_its_customer_and_team_and_reuses_who_is_already_here(demo, services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ref = signed_ref(demo)
    deal = demo.deals.get(ref)
    owner = demo.team.get(deal.owner_uid)
    already = services.team.add(owner.name, owner.department, "Here already")
    result = PackageService(services.ctx).import_package(_export(demo, ref, tmp_path / "from-a") / "deal.json")
    assert result.customer_created and owner.name not in result.members_created and result.members_created
    imported = services.deals.get(ref)
    assert imported.owner_uid == already.uid  # matched by name and department
    assert imported.customer_name == deal.customer_name
    assert {m.has_pin for m in services.team.list_members()} == {False}
    assert "Imported" in result.message


def test_a_package_that_grew_from_this_copy_updates_it(demo, services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ref = _shared_deal(demo, services, tmp_path)
    theirs = services.deals.get(ref)
    services.deals.save(replace(theirs, break_in_period="Ten weeks", title="Packaging line, phase 2"))
    before = demo.deals.get(ref)
    result = PackageService(demo.ctx).import_package(_export(services, ref, tmp_path / "from-b"))
    assert result.action == "updated"
    after = demo.deals.get(ref)
    assert (after.break_in_period, after.title) == ("Ten weeks", "Packaging line, phase 2")
    assert after.version > before.version
    with demo.store.read() as s:
        logged = {(a.field, a.new) for a in s.scalars(select(AuditRow).where(AuditRow.deal_uid == after.uid))}
    assert ("break_in_period", "Ten weeks") in logged
    again = PackageService(demo.ctx).import_package(tmp_path / "from-b" / next((tmp_path / "from-b").iterdir()).name)
    assert again.action == "unchanged" and demo.deals.get(ref).version == after.version


def test_when_both_copies_changed_nothing_changes_and_the_fields_are_named(demo, services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ref = _shared_deal(demo, services, tmp_path)
    services.deals.save(replace(services.deals.get(ref), break_in_period="Ten weeks"))
    demo.deals.save(replace(demo.deals.get(ref), title="Changed here"))
    package = _export(services, ref, tmp_path / "from-b")
    before = snapshot(demo)
    with pytest.raises(ConflictError) as err:
        PackageService(demo.ctx).import_package(package)
    assert set(err.value.fields) == {"title", "break_in_period"}
    assert "title" in str(err.value) and "Nothing was imported" in str(err.value)
    assert snapshot(demo) == before


def test_theirs_takes_the_package(demo, services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ref = _shared_deal(demo, services, tmp_path)
    services.deals.save(replace(services.deals.get(ref), break_in_period="Ten weeks"))
    mine = demo.deals.save(replace(demo.deals.get(ref), title="Changed here"))
    result = PackageService(demo.ctx).import_package(_export(services, ref, tmp_path / "from-b"), resolution="theirs")
    after = demo.deals.get(ref)
    assert result.action == "updated"
    assert (after.break_in_period, after.title) == ("Ten weeks", services.deals.get(ref).title)
    assert after.version > mine.version


def test_ours_keeps_this_copy_and_the_other_side_then_takes_it(demo, services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ref = _shared_deal(demo, services, tmp_path)
    services.deals.save(replace(services.deals.get(ref), break_in_period="Ten weeks"))
    mine = demo.deals.save(replace(demo.deals.get(ref), title="Changed here"))
    package = _export(services, ref, tmp_path / "from-b")
    result = PackageService(demo.ctx).import_package(package, resolution="ours")
    assert result.action == "kept_ours" and demo.deals.get(ref) == mine
    back = PackageService(services.ctx).import_package(_export(demo, ref, tmp_path / "from-a-again"))
    assert back.action == "updated"  # ours won: the other computer takes it without a conflict
    assert (services.deals.get(ref).title, services.deals.get(ref).break_in_period) == ("Changed here",
                                                                                        mine.break_in_period)


def test_copy_imports_the_package_as_a_separate_deal(demo, services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ref = _shared_deal(demo, services, tmp_path)
    services.deals.save(replace(services.deals.get(ref), break_in_period="Ten weeks"))
    mine = demo.deals.save(replace(demo.deals.get(ref), title="Changed here"))
    result = PackageService(demo.ctx).import_package(_export(services, ref, tmp_path / "from-b"), resolution="copy")
    assert result.action == "copied" and result.ref != ref and result.uid != mine.uid
    copy = demo.deals.get(result.ref)
    assert copy.break_in_period == "Ten weeks" and copy.title.endswith("(imported copy)")
    assert len(copy.lines) == len(mine.lines) and not {li.uid for li in copy.lines} & {li.uid for li in mine.lines}
    assert copy.customer_uid == mine.customer_uid
    assert demo.deals.get(ref) == mine


def test_an_older_package_changes_nothing(demo, services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ref = signed_ref(demo)
    old = _export(demo, ref, tmp_path / "old")
    demo.deals.save(replace(demo.deals.get(ref), inclusions="Spare parts kit"))
    before = snapshot(demo)
    result = PackageService(demo.ctx).import_package(old)
    assert result.action == "older" and "newer" in result.message
    assert snapshot(demo) == before


def test_signed_revisions_are_added_but_never_altered(demo, services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ref = _shared_deal(demo, services, tmp_path)
    add_revisions(demo, ref, ((4, "signed"),))
    package = _export(demo, ref, tmp_path / "from-a-2", T2)
    result = PackageService(services.ctx).import_package(package)
    assert result.action == "unchanged" and result.revisions_added == 1
    with services.store.read() as s:
        assert sorted(r.number for r in s.scalars(select(AgreementRevisionRow))) == [1, 2, 3, 4]

    doc = load_json(package)
    rev2 = doc["deal"]["agreement_revisions"][1]
    rev2["snapshot_json"] = rev2["snapshot_json"].replace("revision", "REVISION")
    rev2["snapshot_sha256"] = sha(rev2["snapshot_json"])
    (package / "deal.json").write_text(json.dumps(doc), encoding="utf-8")
    before = snapshot(services)
    with pytest.raises(ValidationError) as err:
        PackageService(services.ctx).import_package(package)
    assert "signed agreement revision 2" in str(err.value)
    assert snapshot(services) == before


def test_a_local_draft_gives_way_to_the_signed_revision_of_the_same_number(demo, services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ref = _shared_deal(demo, services, tmp_path)
    add_revisions(services, ref, ((4, "draft"),))  # prepared here, never signed
    with demo.store.write() as s:  # signed there, which supersedes revision 2
        s.scalar(select(AgreementRevisionRow).where(AgreementRevisionRow.number == 2)).status = "superseded"
    add_revisions(demo, ref, ((4, "signed"),))
    result = PackageService(services.ctx).import_package(_export(demo, ref, tmp_path / "from-a-2", T2))
    assert result.revisions_added == 1
    with demo.store.read() as s:
        theirs = {r.number: (r.uid, r.status, r.doc_id) for r in s.scalars(select(AgreementRevisionRow))}
    with services.store.read() as s:
        here = {r.number: (r.uid, r.status, r.doc_id) for r in s.scalars(select(AgreementRevisionRow))}
    assert here == theirs and here[2][1] == "superseded" and here[4][1] == "signed"


def test_revisions_numbered_alike_on_two_computers_are_both_kept(demo, services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ref = signed_ref(demo)
    local = services.deals.create(services.customers.add("Local customer").uid, "Local deal")
    add_revisions(services, local.ref, ((1, "draft"),))
    with services.store.write() as s:  # this computer numbered its own revision like the package's
        s.scalar(select(AgreementRevisionRow)).doc_id = f"A-{ref[2:]}-r1"
    result = PackageService(services.ctx).import_package(_export(demo, ref, tmp_path / "from-a"))
    assert result.revisions_added == 3
    with services.store.read() as s:
        doc_ids = sorted(r.doc_id for r in s.scalars(select(AgreementRevisionRow)))
    assert doc_ids[0] == f"A-{ref[2:]}-r1" and doc_ids[1].startswith(f"A-{ref[2:]}-r1-") and len(doc_ids) == 4


def test_an_agreement_signed_on_one_computer_verifies_as_genuine_on_the_other(demo, services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from salesdesk.services.agreements import AgreementService
    from salesdesk.services.agreements_demo import add_demo_agreements

    assert add_demo_agreements(demo, limit=1, seed=1) == 1
    with demo.store.read() as s:
        ref = s.scalar(select(DealRowORM.ref).join(AgreementRevisionRow, AgreementRevisionRow.deal_id == DealRowORM.id)
                       .where(AgreementRevisionRow.status == "signed", DealRowORM.ref != signed_ref(demo)))
    folder = _export(demo, ref, tmp_path / "shared")
    PackageService(services.ctx).import_package(folder)
    pdf = next(folder.glob("agreement-rev*-signed.pdf")).read_bytes()
    assert AgreementService(services.ctx).verify(pdf).status == "genuine"
    assert AgreementService(services.ctx).verify(pdf[:-10] + b"tampered!\n").status != "genuine"


def test_a_ref_taken_here_by_another_deal_gets_the_next_free_ref(demo, services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    customer = services.customers.add("Someone else")
    taken = services.deals.create(customer.uid, "Local deal")  # the first ref of the year, which the demo has too
    theirs = demo.deals.get(taken.ref)
    result = PackageService(services.ctx).import_package(_export(demo, taken.ref, tmp_path / "from-a"))
    assert result.action == "added" and result.ref != taken.ref and taken.ref in result.message
    assert services.deals.get(result.ref).uid == theirs.uid
    assert services.deals.get(taken.ref).title == "Local deal"


def test_an_unknown_resolution_is_refused(demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        PackageService(demo.ctx).import_package(tmp_path, resolution="mine")  # type: ignore[arg-type]
