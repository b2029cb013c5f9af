"""A PDF shown inside the app (quote, agreement, reports), with "Save PDF…".

``PdfPreview.set_pdf(data, file_name)`` shows the bytes; nothing is written to disk until the
user saves. Where to save is asked through ``choose_pdf_path`` (replaced in tests).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QStandardPaths, Qt, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from salesdesk.domain.errors import SalesDeskError, StoreError
from salesdesk.ui import dialogs
from salesdesk.ui.text import tr
from salesdesk.ui.widgets.fields import hint_label


def choose_pdf_path(parent: QWidget | None, suggested_name: str) -> str | None:
    """Ask where to save a PDF; None when the user cancelled."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    start = str(Path(folder) / suggested_name) if folder else suggested_name
    path, _ = QFileDialog.getSaveFileName(parent, tr("Save PDF"), start, tr("PDF documents (*.pdf)"))
    if path and not path.lower().endswith(".pdf"):
        path += ".pdf"
    return path or None


def write_pdf(path: str, data: bytes) -> None:
    """Write the whole file or fail with a message a rep understands (a half-written file is removed)."""
    target = Path(path)
    partial = target.with_name(target.name + ".part")
    try:
        partial.write_bytes(data)
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise StoreError(tr("The PDF could not be saved to {path}: {reason}.").format(
            path=path, reason=exc.strerror or exc), tr("Choose another folder, or check that the file is not open.")) \
            from exc


class PdfPreview(QWidget):
    """Pages of a PDF, fit to the width, with zoom and "Save PDF…"."""

    saved = Signal(str)  # the path written

    def __init__(self, empty_text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data: bytes | None = None
        self._file_name = "document.pdf"
        self._buffer: QBuffer | None = None
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setAccessibleName(self.tr("PDF preview"))
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # arrow keys and Page Up/Down scroll the pages

        self.caption = QLabel()
        self.caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.zoom = QComboBox()
        self.zoom.setAccessibleName(self.tr("Zoom"))
        for key, words in (("fit_width", self.tr("Fit width")), ("fit_page", self.tr("Whole page")),
                           ("1.0", "100 %"), ("1.5", "150 %")):
            self.zoom.addItem(words, key)
        self.save_button = QPushButton(self.tr("Save P&DF…"))
        self.save_button.setAccessibleName(self.tr("Save PDF"))
        self.save_button.setToolTip(self.tr("Save this PDF as a file, e.g. to send it by e-mail"))
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.caption, 1)
        bar.addWidget(self.zoom)
        bar.addWidget(self.save_button)

        self.empty = hint_label(empty_text or self.tr("Nothing to show yet."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setFrameShape(QFrame.Shape.StyledPanel)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.empty)
        self.pages.addWidget(self.view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.pages, 1)

        self.zoom.currentIndexChanged.connect(self._zoom_chosen)
        self.save_button.clicked.connect(self.save_pdf)
        self._show_state()

    # --- content ---------------------------------------------------------------------------

    def set_pdf(self, data: bytes, file_name: str) -> None:
        """Show ``data``; ``file_name`` is offered when saving (e.g. "Q-2026-0007.pdf")."""
        self.document.close()
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        if self.document.status() == QPdfDocument.Status.Error:
            self._data = None
            self.empty.setText(self.tr("This PDF cannot be shown."))
        else:
            self._data = data
            self._file_name = file_name
        self._show_state()

    def clear(self, empty_text: str = "") -> None:
        self.document.close()
        self._data = None
        if empty_text:
            self.empty.setText(empty_text)
        self._show_state()

    def pdf_bytes(self) -> bytes | None:
        return self._data

    @property
    def file_name(self) -> str:
        return self._file_name

    def page_count(self) -> int:
        return self.document.pageCount() if self._data else 0

    def _show_state(self) -> None:
        shown = self._data is not None
        self.pages.setCurrentWidget(self.view if shown else self.empty)
        self.save_button.setEnabled(shown)
        self.zoom.setEnabled(shown)
        if shown:
            n = self.document.pageCount()
            pages = self.tr("1 page") if n == 1 else self.tr("{n} pages").format(n=n)
            self.caption.setText(f"{self._file_name}  ·  {pages}")
        else:
            self.caption.setText("")

    def _zoom_chosen(self, _index: int) -> None:
        key = self.zoom.currentData()
        if key == "fit_width":
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        elif key == "fit_page":
            self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        else:
            self.view.setZoomMode(QPdfView.ZoomMode.Custom)
            self.view.setZoomFactor(float(key))

    # --- saving ----------------------------------------------------------------------------

    def save_pdf(self) -> str | None:
        """Ask where, write the file; the path written, or None (cancelled or failed, and said so)."""
        if self._data is None:
            return None
        path = choose_pdf_path(self, self._file_name)
        if not path:
            return None
        try:
            write_pdf(path, self._data)
        except SalesDeskError as exc:
            dialogs.show_problem(self, exc, self.tr("Save PDF"))
            return None
        self.caption.setText(self.tr("{name}  ·  saved to {path}").format(name=self._file_name, path=path))
        self.saved.emit(path)
        return path
