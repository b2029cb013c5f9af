"""``salesdesk --self-test``: check an installation end to end, without a window.

Runs in a temporary folder that is removed afterwards: bundled resources and fonts, public
holidays (with their translated names), the PostgreSQL driver, a fresh database migrated to the
latest schema, a few demo deals saved and read back, the database's integrity, and an agreement
PDF rendered and read back. Each check prints one line with ``ok``
or ``FAILED``; the exit status is 0 only when every check passed. Imports no Qt, so it also
proves a frozen bundle can do real work on a machine without a display.
"""

from __future__ import annotations

import importlib
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from io import BytesIO
from pathlib import Path
from typing import Any, TextIO

from salesdesk import __version__, paths

DEMO_DEALS = 12


class SelfTestFailure(Exception):
    """A check found something wrong; the message says what."""


@dataclass
class _Run:
    """What the checks share: the temporary folder and the services once the database is open."""

    folder: Path
    services: Any = None

    def need_services(self) -> Any:
        if self.services is None:
            raise SelfTestFailure("skipped: the database could not be opened")
        return self.services


def _check_resources(run: _Run) -> str:
    root = paths.resource_root()
    wanted = [
        ("templates", "checklists.json"),
        ("templates", "discovery_questions.json"),
        ("terms", "standard_terms.json"),
        ("icons", "salesdesk.svg"),
        ("icons", "logo.png"),
    ]
    missing = ["/".join(p) for p in wanted if not paths.resource_path(*p).is_file()]
    if missing:
        raise SelfTestFailure(f"missing under {root}: {', '.join(missing)}")
    return f"templates, terms and icons in {root}"


def _check_fonts(run: _Run) -> str:
    from reportlab.pdfbase import pdfmetrics

    from salesdesk.documents import fonts

    fonts.register_fonts()  # raises with the missing file's name
    faces = (fonts.BODY_FONT, fonts.BOLD_FONT, fonts.ITALIC_FONT, fonts.BOLD_ITALIC_FONT, fonts.CJK_FONT)
    for name in faces:
        pdfmetrics.getFont(name)
    shaped = fonts.shape("Zoë Дмитрий 李明 שלום مرحبا")
    if "<font" not in shaped:
        raise SelfTestFailure("the Chinese fallback font was not chosen for Chinese text")
    return f"{len(faces)} fonts in {fonts.fonts_dir()}"


def _check_holidays(run: _Run) -> str:
    from datetime import date

    from salesdesk.domain.calendar import WorkCalendar

    # Germany names its holidays in German by default, so this also needs the bundled English catalogue.
    calendar = WorkCalendar(weekend=frozenset({5, 6}), country="DE", subdivision="BY")
    reasons = " ".join(reason for _day, reason in calendar.skipped_days(date(2026, 12, 23), date(2027, 1, 8)))
    if "Christmas Day" not in reasons or "Epiphany" not in reasons:
        raise SelfTestFailure(f"Bavaria's holidays over new year came out as: {reasons or 'none'}")
    import holidays

    return f"Bavaria's holidays in English; {len(holidays.list_supported_countries(include_aliases=False))} countries known"


def _check_postgres_driver(run: _Run) -> str:
    import psycopg
    from sqlalchemy import create_engine

    engine = create_engine("postgresql+psycopg://salesdesk@127.0.0.1/salesdesk")  # the driver loads; no connection
    engine.dispose()
    libpq = psycopg.pq.version()
    return f"psycopg {psycopg.__version__} ({psycopg.pq.__impl__}, libpq {libpq // 10000}.{libpq % 10000})"


def _check_database(run: _Run) -> str:
    from salesdesk.services.app import Services
    from salesdesk.store.engine import head_revision

    run.services = Services.open(f"sqlite:///{run.folder / 'selftest.db'}", actor="self-test")
    version = run.services.store.schema_version()
    if version != head_revision():
        raise SelfTestFailure(f"schema {version}, expected {head_revision()}")
    return f"created and migrated to schema {version}"


def _check_demo(run: _Run) -> str:
    from salesdesk.services.demo import generate_demo

    services = run.need_services()
    generate_demo(services, deals=DEMO_DEALS, seed=1, workers=1)
    count = services.deals.count()
    if count != DEMO_DEALS:
        raise SelfTestFailure(f"{count} deals in the database, expected {DEMO_DEALS}")
    return f"{count} demo deals written"


def _check_save(run: _Run) -> str:
    services = run.need_services()
    ref = services.deals.list_rows()[0].ref
    deal = services.deals.get(ref)
    saved = services.deals.save(replace(deal, needs_clarified=deal.needs_clarified + " (checked by the self-test)"))
    again = services.deals.get(ref)
    if again.version != deal.version + 1 or again.needs_clarified != saved.needs_clarified:
        raise SelfTestFailure(f"{ref} did not come back as saved (version {again.version})")
    return f"{ref} saved and read back at version {again.version}"


def _check_integrity(run: _Run) -> str:
    problems = run.need_services().store.integrity_check()
    if problems:
        raise SelfTestFailure("; ".join(problems[:5]))
    return "integrity check passed"


def _agreement_pdf(run: _Run) -> tuple[bytes, str]:
    """The agreement service's PDF when that service exists, else the sample agreement."""
    try:
        module = importlib.import_module("salesdesk.services.agreements")
    except ModuleNotFoundError as exc:
        if exc.name != "salesdesk.services.agreements":
            raise
        module = None
    service_class = getattr(module, "AgreementService", None)
    if service_class is not None and callable(getattr(service_class, "render", None)):
        services = run.need_services()
        stages = getattr(module, "AGREEABLE_STAGES", ())
        ref = next((r.ref for r in services.deals.list_rows() if r.stage in stages), None)
        if ref is None:
            raise SelfTestFailure("none of the demo deals is far enough along to have an agreement")
        return service_class(services.ctx).render(ref), f"of demo deal {ref}"
    from salesdesk.documents import build_agreement
    from salesdesk.documents.samples import sample_agreement

    return build_agreement(sample_agreement()), "from the sample deal"


def _check_agreement(run: _Run) -> str:
    from pypdf import PdfReader

    pdf, source = _agreement_pdf(run)
    if not pdf.startswith(b"%PDF"):
        raise SelfTestFailure("the agreement is not a PDF")
    reader = PdfReader(BytesIO(pdf))
    pages = len(reader.pages)
    if pages < 1 or not reader.pages[0].extract_text().strip():
        raise SelfTestFailure("the agreement PDF has no readable page")
    (run.folder / "agreement.pdf").write_bytes(pdf)
    return f"agreement PDF {source}: {pages} page{'s' if pages != 1 else ''}, {len(pdf):,} bytes"


CHECKS: tuple[tuple[str, Callable[[_Run], str]], ...] = (
    ("resources", _check_resources),
    ("fonts", _check_fonts),
    ("holidays", _check_holidays),
    ("postgresql", _check_postgres_driver),
    ("database", _check_database),
    ("demo deals", _check_demo),
    ("save", _check_save),
    ("integrity", _check_integrity),
    ("agreement", _check_agreement),
)


def self_test(out: TextIO) -> int:
    """Run every check, print one line per check, return 0 when all passed (else 1)."""
    where = "frozen bundle" if paths.is_frozen() else "from source"
    print(f"SalesDesk {__version__} self-test ({where}, Python {platform.python_version()}, "
          f"{platform.system()} {platform.machine()})", file=out)
    failed = 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="salesdesk-selftest-") as folder:
        run = _Run(Path(folder))
        try:
            for label, check in CHECKS:
                t0 = time.perf_counter()
                try:
                    detail = check(run)
                    status = "ok"
                except Exception as exc:  # every failure is reported, none stops the other checks
                    failed += 1
                    status, detail = "FAILED", f"{type(exc).__name__}: {exc}"
                    if not isinstance(exc, SelfTestFailure):
                        traceback.print_exc(file=sys.stderr)
                ms = (time.perf_counter() - t0) * 1000
                print(f"  {status:<6} {label:<11} {detail} ({ms:,.0f} ms)", file=out, flush=True)
        finally:
            if run.services is not None:
                run.services.close()
    total = len(CHECKS)
    seconds = time.perf_counter() - started
    if failed:
        print(f"Self-test FAILED: {failed} of {total} checks failed ({seconds:.1f} s).", file=out)
        return 1
    print(f"Self-test passed: {total} of {total} checks ok ({seconds:.1f} s).", file=out)
    return 0
