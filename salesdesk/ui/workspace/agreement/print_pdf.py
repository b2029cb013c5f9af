"""Printing the agreement through the system print dialog, and Ctrl+P for the open deal.

Each page of the PDF is rendered by QtPdf into an image at the printer's resolution (at most
``MAX_DPI``, which is sharper than any office printer shows and keeps a page's image in tens of
megabytes) and painted onto the printer. The PDF is made and the pages are painted on a worker
thread (QPainter may paint on a QPrinter outside the UI thread); the window shows the progress.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QRectF, QSize, Signal
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from salesdesk.domain.errors import SalesDeskError
from salesdesk.domain.model import Deal
from salesdesk.services.agreements import AGREEABLE_STAGES
from salesdesk.services.app import Services
from salesdesk.ui import dialogs
from salesdesk.ui.progress import run_with_progress
from salesdesk.ui.text import tr

MAX_DPI = 300
Progress = Callable[[int, int], None]


class _News(QObject):
    agreement_changed = Signal(str)  # deal ref


#: Tells open Agreement steps that a deal's agreement changed outside them (e.g. Ctrl+P prepared a draft).
news = _News()


def ask_printer(parent: QWidget | None, printer: QPrinter) -> bool:
    """The system print dialog for ``printer``; True when the user chose to print (tests replace this)."""
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(tr("Print the agreement"))
    return dialog.exec() == QDialog.DialogCode.Accepted


def _open(pdf: bytes) -> tuple[QPdfDocument, QBuffer]:
    document = QPdfDocument()
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() == 0:
        raise SalesDeskError(tr("The agreement's PDF could not be read for printing."),
                             tr("Prepare the agreement again, then print."))
    return document, buffer


def print_pdf(pdf: bytes, printer: QPrinter, progress: Progress | None = None) -> int:
    """Paint every page of ``pdf`` (or the range chosen in the dialog) onto ``printer``; the pages printed."""
    document, _buffer = _open(pdf)
    count = document.pageCount()
    first, last = 0, count - 1
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = min(count, printer.fromPage()) - 1
        last = min(count, printer.toPage() or count) - 1
    painter = QPainter()
    if not painter.begin(printer):
        raise SalesDeskError(tr("The printer could not be started."),
                             tr("Check that it is switched on and connected, or choose another printer."))
    try:
        for n, page in enumerate(range(first, last + 1)):
            if n:
                printer.newPage()
            _paint_page(document, page, painter, printer)
            if progress:
                progress(n + 1, last - first + 1)
    finally:
        painter.end()
    document.close()
    return last - first + 1


def _paint_page(document: QPdfDocument, page: int, painter: QPainter, printer: QPrinter) -> None:
    area = QRectF(painter.viewport())
    points = document.pagePointSize(page)
    scale = min(area.width() / points.width(), area.height() / points.height())
    width, height = points.width() * scale, points.height() * scale
    target = QRectF(area.x() + (area.width() - width) / 2, area.y(), width, height)
    shrink = min(1.0, MAX_DPI / max(1, printer.resolution()))
    image = document.render(page, QSize(round(width * shrink), round(height * shrink)))
    painter.drawImage(target, image)


def new_printer(title: str) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    printer.setCreator("SalesDesk")
    printer.setFullPage(True)  # the letter has its own margins
    return printer


def print_document(parent: QWidget | None, pdf: bytes, title: str) -> bool:
    """Ask where and how to print, then print ``pdf``; True when it was sent to the printer."""
    printer = new_printer(title)
    if not ask_printer(parent, printer):
        return False
    try:
        run_with_progress(parent, tr("Printing {title}…").format(title=title),
                          lambda progress: print_pdf(pdf, printer, progress))
    except SalesDeskError as exc:
        dialogs.show_problem(parent, exc, tr("Print"))
        return False
    return True


def agreement_title(doc_id: str) -> str:
    return tr("{doc_id} — Letter of agreement").format(doc_id=doc_id)


def print_agreement(parent: QWidget | None, services: Services, ref: str) -> bool:
    """Print what should be signed or kept now: the signed copy while it holds, else the current draft
    (prepared first when the deal changed). True when it was printed."""
    agreements = services.agreements

    def fetch(_progress: Progress) -> tuple[bytes, str]:
        pdf = agreements.printable(ref)
        state = agreements.current(ref)
        return pdf, state.current.doc_id if state.current else ref

    try:
        pdf, doc_id = run_with_progress(parent, tr("Preparing the agreement for {ref}…").format(ref=ref), fetch)
    except SalesDeskError as exc:
        dialogs.show_problem(parent, exc, tr("Print the agreement"))
        return False
    finally:
        news.agreement_changed.emit(ref)  # a draft may have been prepared: an open Agreement step shows it
    return print_document(parent, pdf, agreement_title(doc_id))


class AgreementPrinting:
    """Ctrl+P on an open deal: its letter of agreement.

    The window that asks carries the services (``MainWindow.ui``), so this hook needs no state of its own.
    """

    def can_print(self, deal: Deal) -> bool:
        return deal.stage in AGREEABLE_STAGES

    def print_deal(self, parent: QWidget, deal: Deal) -> None:
        ui = getattr(parent.window(), "ui", None)
        if ui is None:
            return
        print_agreement(parent, ui.services, deal.ref)
