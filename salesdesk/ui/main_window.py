"""The main window: sidebar, pages, open deals in tabs, status bar, menus and shortcuts.

The window can appear before the database is open: built without a ``UiContext`` it shows its
frame, menus and an "Opening the database…" page, and ``open_with`` hands it the services once
they are there. Nothing of the core is imported until then.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QStackedWidget, QWidget

from salesdesk.domain.errors import SalesDeskError
from salesdesk.ui.icons import app_icon, icon
from salesdesk.ui.navigation import PLACES, Sidebar
from salesdesk.ui.opening import OpeningPage
from salesdesk.ui.packages import PackageActions
from salesdesk.ui.prefs import open_prefs
from salesdesk.ui.printing import print_provider
from salesdesk.ui.shortcuts import set_shortcut

if TYPE_CHECKING:
    from salesdesk.ui.context import UiContext
    from salesdesk.ui.workspace.workspace import DealWorkspace


class MainWindow(QMainWindow):
    def __init__(self, ui: UiContext | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ui: UiContext | None = None
        self._prefs = ui.prefs if ui is not None else open_prefs()  # the window's size and place, read at once
        self.setWindowTitle(self.tr("SalesDesk"))
        self.setWindowIcon(app_icon())
        self.setMinimumSize(960, 600)
        self.sidebar = Sidebar()
        self.stack = QStackedWidget()
        self.opening_page = OpeningPage()
        self.stack.addWidget(self.opening_page)
        self.pages: dict[str, QWidget] = {}
        self._list_stale = False
        self._factories: dict[str, Callable[[], QWidget]] = {
            "today": self._make_today,
            "deals": self._make_deals,
            "customers": self._make_customers,
            "team": self._make_team,
            "yardstick": self._make_yardstick,
            "settings": self._make_settings,
        }
        self._place = "today"  # where the window is, or goes once the database is open
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.sidebar)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._status_bar()
        self._actions()
        self.sidebar.place_chosen.connect(self.show_place)
        self._restore()
        if ui is not None:
            self.open_with(ui)

    @property
    def ui(self) -> UiContext:
        """The services, the user and the preferences (AttributeError while the database is opening)."""
        if self._ui is None:
            raise AttributeError("the database is still opening")
        return self._ui

    @property
    def is_open(self) -> bool:
        return self._ui is not None

    def open_with(self, ui: UiContext) -> None:
        """The database is open and the user known: fill the status bar, allow the commands, show the page."""
        self._ui = ui
        store = ui.services.store
        self.database_label.setText(self.tr("Database: {name}").format(name=store.display_name))
        self.database_label.setToolTip(store.display_name)
        self.user_label.setText(self.tr("Signed in as {name} ({department})").format(
            name=ui.user.name, department=ui.user.department))
        for action in self._needs_database:
            action.setEnabled(True)
        self.show_place(self._place)
        self.stack.removeWidget(self.opening_page)
        self.opening_page.deleteLater()

    # --- places ----------------------------------------------------------------------------

    def page(self, key: str) -> QWidget:
        if key not in self.pages:
            self.pages[key] = self._factories[key]()
            self.stack.addWidget(self.pages[key])
        return self.pages[key]

    def show_place(self, key: str) -> None:
        self._place = key
        if not self.is_open:
            self.sidebar.select(key)  # shown once the database is open
            return
        leaving = self.current_workspace()
        if leaving is not None and key != "deals":
            leaving.editor.flush()
        page = self.page(key)
        self.stack.setCurrentWidget(page)
        self.sidebar.select(key)
        if hasattr(page, "entered"):
            page.entered()
        self._update_print()

    def current_place(self) -> str:
        return next((k for k, p in self.pages.items() if p is self.stack.currentWidget()), self._place)

    def _make_today(self) -> QWidget:
        from salesdesk.ui.today.presenter import TodayPresenter

        self.today_presenter = TodayPresenter(self.ui.services, self)
        self.today_presenter.refresh()  # the database works on it while the page is being built

        from salesdesk.ui.today.page import TodayPage

        page = TodayPage(self.today_presenter)
        page.open_requested.connect(self.open_deal)
        self.today_presenter.failed.connect(lambda exc: self._background_failed(exc, page.show_problem))
        return page

    def _make_deals(self) -> QWidget:
        from salesdesk.ui.deals.page import DealsPage
        from salesdesk.ui.deals.presenter import DealListPresenter
        from salesdesk.ui.deals.table_model import DealTableModel
        from salesdesk.ui.workspace.tabs import DealTabs

        model = DealTableModel(self)
        self.deal_list = DealListPresenter(self.ui.services, model, self)
        self.deals_page = DealsPage(self.deal_list)
        self.deals_page.set_team(self.ui.services.team.list_members(), self.ui.user)
        self.deals_page.open_requested.connect(self.open_deal)
        self.deals_page.new_requested.connect(self.new_deal)
        self.deal_list.failed.connect(lambda exc: self._background_failed(exc, self.deals_page.show_problem))
        self.deal_tabs = DealTabs(self.ui, self.deals_page)
        self.deal_tabs.current_deal_changed.connect(self._deal_tab_changed)
        self.deal_tabs.deal_saved.connect(self._deal_saved)
        self._refresh_list()
        return self.deal_tabs

    def _make_customers(self) -> QWidget:
        from salesdesk.ui.customers.page import CustomersPage

        page = CustomersPage(self.ui)
        page.customer_saved.connect(lambda _c: self._deals_changed())
        return page

    def _make_team(self) -> QWidget:
        from salesdesk.ui.team.page import TeamPage

        return TeamPage(self.ui)

    def _make_yardstick(self) -> QWidget:
        from salesdesk.ui.yardstick import YardstickPage

        return YardstickPage(self.ui)

    def _make_settings(self) -> QWidget:
        from salesdesk.ui.settings.page import SettingsPage

        return SettingsPage(self.ui)

    def _background_failed(self, exc: object, show: Callable[[SalesDeskError], None]) -> None:
        if isinstance(exc, SalesDeskError):
            show(exc)
            return
        raise exc  # type: ignore[misc]  # an unexpected error: the app's error dialog takes it

    # --- deals -----------------------------------------------------------------------------

    def open_deal(self, key: str) -> DealWorkspace | None:
        """Show a deal (uid or ref) in its tab on the Deals page."""
        self.show_place("deals")
        return self.deal_tabs.open_deal(key)

    def new_deal(self) -> None:
        from salesdesk.ui.deals.new_deal_dialog import NewDealDialog

        deal = NewDealDialog.ask(self.ui.services, self.ui.user, self)
        if deal is not None:
            self._deals_changed()
            self.open_deal(deal.uid)

    def find_deal(self) -> None:
        self.show_place("deals")
        self.deal_tabs.setCurrentIndex(0)
        self.deals_page.focus_find()

    def _deals_changed(self) -> None:
        """Deals changed: the list re-queries now if it is on screen, else when it is shown next."""
        self._list_stale = True
        if "deals" in self.pages and self.deal_tabs.currentIndex() == 0:
            self._refresh_list()

    def _refresh_list(self) -> None:
        self._list_stale = False
        self.deal_list.refresh()

    def _deal_tab_changed(self, workspace: DealWorkspace | None) -> None:
        if workspace is None and self._list_stale:
            self._refresh_list()
        self._update_print()

    def _deal_saved(self, _deal: object) -> None:
        self._deals_changed()
        self._update_print()

    def current_workspace(self) -> DealWorkspace | None:
        if not self.is_open or "deals" not in self.pages or self.current_place() != "deals":
            return None
        return self.deal_tabs.current_workspace()

    # --- print hook ------------------------------------------------------------------------

    def _update_print(self) -> None:
        workspace = self.current_workspace()
        provider = print_provider()
        ready = workspace is not None and provider is not None and provider.can_print(workspace.deal)
        self.print_action.setEnabled(ready)
        if ready:
            self.print_action.setToolTip(self.tr("Preview and print this deal's documents (Ctrl+P)"))
        elif workspace is None:
            self.print_action.setToolTip(self.tr("Open a deal to print its documents."))
        else:
            self.print_action.setToolTip(self.tr("Nothing to print yet: this deal has no documents "
                                                 "(the agreement and action plan come later)."))

    def print_deal(self) -> None:
        workspace, provider = self.current_workspace(), print_provider()
        if workspace is not None and provider is not None and provider.can_print(workspace.deal):
            workspace.editor.flush()
            provider.print_deal(self, workspace.deal)

    # --- chrome ----------------------------------------------------------------------------

    def _status_bar(self) -> None:
        self.database_label = QLabel(self.tr("Opening the database…"))
        self.user_label = QLabel()
        self.statusBar().addWidget(self.database_label, 1)
        self.statusBar().addPermanentWidget(self.user_label)

    def _action(self, text: str, shortcut: QKeySequence.StandardKey | str, slot: Callable[[], object],
                icon_name: str = "") -> QAction:
        action = QAction(icon(icon_name) if icon_name else QIcon(), text, self)
        set_shortcut(action, shortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _actions(self) -> None:
        self.new_deal_action = self._action(self.tr("&New deal…"), "Ctrl+N", self.new_deal, "plus")
        self.find_action = self._action(self.tr("&Find deal"), "Ctrl+F", self.find_deal, "search")
        self.print_action = self._action(self.tr("&Print…"), "Ctrl+P", self.print_deal, "print")
        self.verify_action = self._action(self.tr("&Verify a PDF…"), "", self.verify_pdf)
        self.close_deal_action = self._action(self.tr("&Close deal"), "Ctrl+W", self._close_deal)
        self.quit_action = self._action(self.tr("&Quit"), QKeySequence.StandardKey.Quit, self.close)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        for a in (self.new_deal_action, self.find_action, self.print_action, self.verify_action,
                  self.close_deal_action):
            file_menu.addAction(a)
        file_menu.addSeparator()
        self.packages = PackageActions(self, self._deals_changed)
        for package_action in self.packages.actions():
            if package_action is None:
                file_menu.addSeparator()
            else:
                file_menu.addAction(package_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        go_menu = self.menuBar().addMenu(self.tr("&Go"))
        for n, (key, icon_name, label) in enumerate(PLACES, 1):
            go_menu.addAction(self._action(self.tr(label), f"Ctrl+{n}", self._go_to(key), icon_name))
        #: What waits for the database: off while it opens.
        self._needs_database = [self.new_deal_action, self.find_action, self.verify_action, self.close_deal_action,
                                *(a for a in self.packages.actions() if a is not None)]
        for action in (*self._needs_database, self.print_action):
            action.setEnabled(False)

    def _go_to(self, key: str) -> Callable[[], None]:
        def go() -> None:
            self.show_place(key)

        return go

    def verify_pdf(self) -> None:
        from salesdesk.ui.workspace.agreement.verify import verify_pdf

        verify_pdf(self, self.ui.services)

    def _close_deal(self) -> None:
        if self.current_workspace() is not None:
            self.deal_tabs.close_current()

    # --- remembered between runs -----------------------------------------------------------

    def _restore(self) -> None:
        prefs = self._prefs
        geometry = prefs.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        state = prefs.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        place = str(prefs.value("window/place", "today"))
        self.show_place(place if place in self._factories else "today")

    def closeEvent(self, event: QCloseEvent) -> None:
        if "deals" in self.pages and not self.deal_tabs.close_all():
            event.ignore()
            return
        prefs = self.ui.prefs if self.is_open else self._prefs
        prefs.setValue("window/geometry", self.saveGeometry())
        prefs.setValue("window/state", self.saveState())
        prefs.setValue("window/place", self.current_place())
        prefs.sync()
        super().closeEvent(event)
