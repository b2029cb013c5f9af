"""The Deals area: the deal list as the first tab, each open deal in a closable tab after it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTabBar, QTabWidget, QWidget

from salesdesk.domain.errors import SalesDeskError
from salesdesk.ui import dialogs
from salesdesk.ui.context import UiContext
from salesdesk.ui.workspace.workspace import DealWorkspace


class DealTabs(QTabWidget):
    current_deal_changed = Signal(object)  # DealWorkspace | None
    deal_saved = Signal(object)  # Deal

    def __init__(self, ui: UiContext, deal_list: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.setDocumentMode(True)
        self.setTabsClosable(True)
        self.setMovable(True)
        self.setElideMode(Qt.TextElideMode.ElideRight)
        self.addTab(deal_list, self.tr("All deals"))
        self.tabBar().setTabButton(0, QTabBar.ButtonPosition.RightSide, None)
        self.tabBar().setTabButton(0, QTabBar.ButtonPosition.LeftSide, None)
        self._shown: QWidget | None = deal_list
        self.tabCloseRequested.connect(self.close_tab)
        self.currentChanged.connect(self._tab_changed)

    def _tab_changed(self, _index: int) -> None:
        """Leaving a deal saves its pending edits, as leaving a step does."""
        if isinstance(self._shown, DealWorkspace) and self.indexOf(self._shown) >= 0:
            self._shown.editor.flush()
        self._shown = self.currentWidget()
        self.current_deal_changed.emit(self.current_workspace())

    def workspaces(self) -> list[DealWorkspace]:
        return [w for i in range(self.count()) if isinstance(w := self.widget(i), DealWorkspace)]

    def current_workspace(self) -> DealWorkspace | None:
        widget = self.currentWidget()
        return widget if isinstance(widget, DealWorkspace) else None

    def open_deal(self, key: str) -> DealWorkspace | None:
        """Show the deal (uid or ref) in its tab, opening one if needed."""
        for w in self.workspaces():
            if key in (w.deal.uid, w.deal.ref):
                self.setCurrentWidget(w)
                return w
        try:
            deal = self.ui.services.deals.get(key)
        except SalesDeskError as exc:
            dialogs.show_problem(self, exc)
            return None
        workspace = DealWorkspace(self.ui, deal)
        index = self.addTab(workspace, workspace.tab_title())
        self.setTabToolTip(index, f"{deal.ref}: {deal.title} ({deal.customer_name})")
        workspace.title_changed.connect(lambda title, w=workspace: self._retitle(w, title))
        workspace.saved.connect(self.deal_saved)
        self.setCurrentIndex(index)
        return workspace

    def _retitle(self, workspace: DealWorkspace, title: str) -> None:
        index = self.indexOf(workspace)
        if index >= 0:
            self.setTabText(index, title)

    def close_tab(self, index: int) -> bool:
        widget = self.widget(index)
        if not isinstance(widget, DealWorkspace):
            return False
        if not widget.close_deal():
            return False
        self.removeTab(index)
        widget.deleteLater()
        return True

    def close_current(self) -> None:
        if self.current_workspace() is not None:
            self.close_tab(self.currentIndex())

    def close_all(self) -> bool:
        """Close every deal (at quit); False if the rep chose to keep one open."""
        return all(self.close_tab(self.indexOf(w)) for w in self.workspaces())
