"""File → Verify a PDF…: is this printed or e-mailed agreement the one both sides signed?

The answer is one of three: genuine (with the deal, revision, signers and date), altered (it claims
to be a signed revision but its bytes differ from the copy on record), or unknown.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from salesdesk.domain.errors import SalesDeskError, ValidationError
from salesdesk.services.agreement_files import MAX_VERIFY_BYTES
from salesdesk.services.agreements import VerifyResult
from salesdesk.services.app import Services
from salesdesk.ui import dialogs
from salesdesk.ui.progress import run_with_progress
from salesdesk.ui.text import format_date, tr


def choose_pdf_to_verify(parent: QWidget | None) -> str | None:
    """Ask for the PDF to check; None when cancelled (tests replace this)."""
    path, _ = QFileDialog.getOpenFileName(parent, tr("Verify a PDF"), "", tr("PDF documents (*.pdf);;All files (*)"))
    return path or None


def result_details(result: VerifyResult) -> str:
    """The facts behind the verdict, one per line."""
    lines = []
    if result.deal_ref:
        lines.append(tr("Deal: {ref}").format(ref=result.deal_ref))
    if result.revision is not None:
        lines.append(tr("Revision: {n} ({doc_id})").format(n=result.revision, doc_id=result.doc_id))
    if result.signers:
        lines.append(tr("Signed by: {names}").format(names="; ".join(result.signers)))
    if result.signed_at is not None:
        lines.append(tr("Signed by both sides on {day}").format(day=format_date(result.signed_at.astimezone().date())))
    if result.superseded:
        lines.append(tr("A later revision has replaced it since."))
    return "\n".join(lines)


def show_verify_result(parent: QWidget | None, result: VerifyResult) -> None:
    """Show the verdict (tests replace this)."""
    icons = {"genuine": QMessageBox.Icon.Information, "altered": QMessageBox.Icon.Critical}
    titles = {"genuine": tr("Genuine"), "altered": tr("Altered"), "unknown": tr("Unknown")}
    box = QMessageBox(icons.get(result.status, QMessageBox.Icon.Warning), titles.get(result.status, tr("Verify a PDF")),
                      result.message, QMessageBox.StandardButton.Ok, parent)
    details = result_details(result)
    if details:
        box.setInformativeText(details)
    box.exec()


def verify_pdf(parent: QWidget | None, services: Services) -> VerifyResult | None:
    """Pick a file and check it against the agreements on record; the result, or None if cancelled."""
    path = choose_pdf_to_verify(parent)
    if not path:
        return None
    agreements = services.agreements

    def check(_progress: object) -> VerifyResult:
        file = Path(path)
        try:
            if file.stat().st_size > MAX_VERIFY_BYTES:
                return VerifyResult("unknown", tr("The file is far larger than any agreement SalesDesk writes."))
            data = file.read_bytes()
        except OSError as exc:
            raise ValidationError(tr("{name} could not be read: {reason}.").format(
                name=file.name, reason=exc.strerror or exc), tr("Choose another file.")) from exc
        return agreements.verify(data)

    try:
        result = run_with_progress(parent, tr("Checking {name}…").format(name=Path(path).name), check)
    except SalesDeskError as exc:
        dialogs.show_problem(parent, exc, tr("Verify a PDF"))
        return None
    show_verify_result(parent, result)
    return result
