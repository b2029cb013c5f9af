"""History: the deal's audit log, newest first — when, who, what."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from salesdesk.domain.model import AuditEntry, Deal
from salesdesk.services.history import describe
from salesdesk.ui.text import count_label
from salesdesk.ui.widgets.fields import hint_label, section_title
from salesdesk.ui.workspace.steps import StepContext, StepPage, register_step


def when(entry: AuditEntry) -> str:
    local = QDateTime.fromSecsSinceEpoch(int(entry.at.timestamp())).toLocalTime()
    return QLocale().toString(local, "d MMM yyyy  HH:mm")


class HistoryStep(StepPage):
    def __init__(self, ctx: StepContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.log = QTreeWidget()
        self.log.setAccessibleName(self.tr("Deal history"))
        self.log.setColumnCount(3)
        self.log.setHeaderLabels([self.tr("When"), self.tr("Who"), self.tr("What")])
        self.log.setRootIsDecorated(False)
        self.log.setAlternatingRowColors(True)
        self.log.setUniformRowHeights(True)
        self.log.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.log.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.summary = hint_label("")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 8, 24, 16)
        layout.addWidget(section_title(self.tr("History")))
        layout.addWidget(self.summary)
        layout.addWidget(self.log, 1)
        self.editor.saved.connect(self._saved)

    def show_deal(self, deal: Deal) -> None:
        if self.isVisible():
            self.refresh()

    def _saved(self, _deal: Deal) -> None:
        if self.isVisible():
            self.refresh()

    def entered(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        entries = self.ctx.ui.services.history.for_deal(self.editor.deal.uid)
        self.log.clear()
        items = []
        for e in entries:
            item = QTreeWidgetItem([when(e), e.actor, describe(e)])
            item.setToolTip(2, describe(e))
            item.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{when(e)}, {e.actor}: {describe(e)}")
            items.append(item)
        self.log.addTopLevelItems(items)
        recorded = count_label(len(entries), self.tr("{n} change recorded"), self.tr("{n} changes recorded"))
        self.summary.setText(self.tr("{recorded}; every save adds who changed what.").format(recorded=recorded))


register_step("history", HistoryStep)
