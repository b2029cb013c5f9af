"""Quote: the lines, the allowance for the unexpected as its own line, the padded dates — and the PDF.

Only a cleared deal is quoted: until then "Generate quote" is off and the page says exactly what is
missing. Generating renders the PDF on a worker thread, moves the deal to Quoted and shows the PDF.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from salesdesk.domain.errors import SalesDeskError
from salesdesk.domain.model import Deal, DealLine, Stage
from salesdesk.domain.steps import reached
from salesdesk.services.quote import document_number
from salesdesk.ui import errors as ui_errors
from salesdesk.ui import theme
from salesdesk.ui.pdf_view import PdfPreview
from salesdesk.ui.text import format_date
from salesdesk.ui.widgets.fields import ErrorLabel, hint_label, section_title
from salesdesk.ui.workers import LatestOnly
from salesdesk.ui.workspace.feasibility.notice import Notice
from salesdesk.ui.workspace.feasibility.quote_lines import QuoteLinesEditor
from salesdesk.ui.workspace.feasibility.review import ReviewActions, quoted_dates
from salesdesk.ui.workspace.steps import StepContext, StepPage, register_step

CONTENT_WIDTH = 1100
PREVIEW_HEIGHT, EMPTY_PREVIEW_HEIGHT = 640, 120


class QuoteStep(StepPage):
    fields = frozenset({"lines", "quantity", "unit_price"})

    def __init__(self, ctx: StepContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.review = ReviewActions(ctx.ui.services, self.editor, ctx.ui.user)
        self.generating = False
        self.blocker = ""
        body = QWidget()
        body.setMaximumWidth(CONTENT_WIDTH)
        column = QVBoxLayout(body)
        column.setContentsMargins(24, 8, 24, 24)
        column.setSpacing(6)

        column.addWidget(section_title(self.tr("Quote lines")))
        column.addWidget(hint_label(self.tr(
            "What the customer buys. The allowance for the unexpected is added as its own line, so the customer "
            "sees there is a bumper and what it is for.")))
        self.lines = QuoteLinesEditor()
        self.lines.edited.connect(self._lines_edited)
        self.lines_error = ErrorLabel()
        for key in self.fields:
            self.errors.register(key, self.lines_error, self.lines.table)
        column.addWidget(self.lines)
        column.addWidget(self.lines_error)

        column.addWidget(section_title(self.tr("Dates on the quote")))
        column.addWidget(hint_label(self.tr("Padded dates only: the departments' raw estimates never leave the "
                                            "company.")))
        self.dates = QTreeWidget()
        self.dates.setAccessibleName(self.tr("Dates on the quote"))
        self.dates.setHeaderLabels([self.tr("Work"), self.tr("Department"), self.tr("Done by")])
        self.dates.setRootIsDecorated(False)
        self.dates.setUniformRowHeights(True)
        self.dates.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.dates.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.dates.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.dates.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.dates.header().setStretchLastSection(False)
        column.addWidget(self.dates)
        self.promised = QLabel()
        font = self.promised.font()
        font.setBold(True)
        self.promised.setFont(font)
        self.promised.setAccessibleName(self.tr("Delivery date on the quote"))
        column.addWidget(self.promised)

        column.addWidget(section_title(self.tr("The quote")))
        self.readiness = Notice()
        self.readiness.setAccessibleName(self.tr("Can this deal be quoted"))
        column.addWidget(self.readiness)
        self.generate_button = self.readiness.action
        self.generate_button.setAccessibleName(self.tr("Generate quote"))
        self.preview = PdfPreview(self.tr("The quote appears here once it is generated."))
        self.preview.setMinimumHeight(EMPTY_PREVIEW_HEIGHT)
        column.addWidget(self.preview)

        scroll = self.scroll_area = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        scroll.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        self.worker = LatestOnly(self)
        self.worker.finished.connect(self._generated)
        self.worker.failed.connect(self._failed)
        self.generate_button.clicked.connect(self.generate)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.refresh)
        self.editor.changed.connect(lambda _d: self._timer.start() if self.isVisible() else None)

    # --- the deal in -----------------------------------------------------------------------

    def show_deal(self, deal: Deal) -> None:
        settings = self.ctx.ui.services.settings.load()
        self.lines.set_prices(deal.currency, settings.contingency_percent)
        self.lines.set_lines(deal.lines)
        self.refresh()

    def entered(self) -> None:
        self.show_deal(self.editor.deal)

    def refresh(self) -> None:
        self._timer.stop()
        deal = self.editor.deal
        status = self.review.status()
        editable = self.review.work_editable(deal)
        self.lines.set_editable(editable, self.review.why_closed(deal))
        self._show_dates(deal, status)
        self.blocker = self.review.why_not_quotable(status)
        action = self.tr("Show the &quote again") if reached(deal, Stage.QUOTED) else self.tr("&Generate quote")
        if self.blocker:
            self.readiness.show_notice(self.tr("Not ready to quote"), self.blocker, theme.PROBLEM_HUE
                                       if deal.stage is Stage.DECLINED else theme.WARNING_HUE, action)
        elif deal.stage is Stage.QUOTED:
            self.readiness.show_notice(self.tr("Quoted"), self.tr(
                "Showing it again gives the quote as it was given (same dates); a change to the lines or the work "
                "sends the deal back to the departments first."), theme.STAGE_HUES[Stage.QUOTED], action)
        else:
            self.readiness.show_notice(self.tr("Ready to quote"), self.tr(
                "Every department involved has signed off. Generating the quote moves the deal to Quoted."),
                theme.STAGE_HUES[Stage.CLEARED], action)
        if self.generating:
            self.readiness.body.setText(self.tr("Generating the quote…"))
        self.generate_button.setEnabled(not self.blocker and not self.generating)
        self.generate_button.setToolTip(self.blocker)

    def _show_dates(self, deal: Deal, status: object) -> None:
        promised, rows = quoted_dates(deal, status)  # type: ignore[arg-type]
        self.dates.clear()
        for department, task, due in rows:
            self.dates.addTopLevelItem(QTreeWidgetItem([task, department, format_date(due)]))
        line = self.dates.sizeHintForRow(0) if rows else 0
        self.dates.setFixedHeight(self.dates.header().sizeHint().height() + len(rows) * line + 2 * self.dates.frameWidth())
        self.dates.setVisible(bool(rows))
        if promised:
            self.promised.setText(self.tr("Delivery by {date}").format(date=format_date(promised)))
        else:
            self.promised.setText(self.tr("No delivery date yet: the departments estimate the work on the "
                                          "Feasibility step."))

    # --- edits and the quote ---------------------------------------------------------------

    def _lines_edited(self, lines: tuple[DealLine, ...]) -> None:
        self.editor.edit(lambda d: replace(d, lines=lines))

    def generate(self) -> None:
        """Save pending edits, then render the quote off the UI thread."""
        if self.generating:
            return
        if not self.editor.flush():
            self.readiness.error.show_message(self.editor.error.message if self.editor.error else
                                              self.tr("Your latest changes are not saved yet."))
            return
        self.refresh()
        if self.blocker:
            return
        ref = self.editor.deal.ref
        quotes = self.ctx.ui.services.quotes
        self.generating = True
        self.refresh()
        self.worker.submit(lambda: quotes.generate(ref))

    def _generated(self, pdf: object) -> None:
        self.generating = False
        self.preview.set_pdf(bytes(pdf), f"{document_number('Q', self.editor.deal.ref)}.pdf")  # type: ignore[call-overload]
        self.preview.setMinimumHeight(PREVIEW_HEIGHT)
        self.editor.reload()  # the deal is Quoted now
        self.refresh()
        self.scroll_area.ensureWidgetVisible(self.preview, 0, 0)
        self.preview.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _failed(self, exc: object) -> None:
        self.generating = False
        self.refresh()
        if isinstance(exc, SalesDeskError):
            self.readiness.error.show_message(exc.message, exc.hint)
        elif isinstance(exc, BaseException):
            ui_errors.handle_exception(type(exc), exc, exc.__traceback__)


register_step("quote", QuoteStep)
