"""Render the main screens to PNG files, to look at them without clicking through the app.

    python -m salesdesk.ui.screens OUTDIR [--db URL] [--dark]

Without --db a throwaway demo database is made. Renders offscreen at 1280×800.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def _dark_palette():  # noqa: ANN202 - Qt is imported late, after the platform is chosen
    from PySide6.QtGui import QColor, QPalette

    pal = QPalette()
    roles = QPalette.ColorRole
    for role, colour in (
        (roles.Window, "#26292e"), (roles.WindowText, "#e6e6e6"), (roles.Base, "#1d1f23"),
        (roles.AlternateBase, "#24272c"), (roles.Text, "#e6e6e6"), (roles.Button, "#2f333a"),
        (roles.ButtonText, "#e6e6e6"), (roles.Highlight, "#3d6e99"), (roles.HighlightedText, "#ffffff"),
        (roles.ToolTipBase, "#2f333a"), (roles.ToolTipText, "#e6e6e6"), (roles.PlaceholderText, "#8a8f98"),
        (roles.Link, "#7fb3e0"), (roles.Mid, "#3a3e45"), (roles.Dark, "#15171a"), (roles.Light, "#3a3e45"),
    ):
        pal.setColor(role, QColor(colour))
    pal.setColor(QPalette.ColorGroup.Disabled, roles.Text, QColor("#777b82"))
    pal.setColor(QPalette.ColorGroup.Disabled, roles.WindowText, QColor("#777b82"))
    pal.setColor(QPalette.ColorGroup.Disabled, roles.ButtonText, QColor("#777b82"))
    return pal


def settle(seconds: float = 0.3) -> None:
    """Let queued work, background queries and repaints finish."""
    from PySide6.QtWidgets import QApplication

    from salesdesk.ui.workers import wait_for_workers

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        wait_for_workers(50)
        time.sleep(0.02)
    QApplication.processEvents()


def _save_widget(widget, target: Path) -> None:  # noqa: ANN001
    widget.grab().save(str(target))
    print(target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m salesdesk.ui.screens", description=__doc__)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--db", help="database URL (default: a temporary demo database)")
    parser.add_argument("--dark", action="store_true", help="render with a dark palette")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    args.outdir.mkdir(parents=True, exist_ok=True)

    from salesdesk import paths

    paths.set_data_dir(tempfile.mkdtemp(prefix="salesdesk-screens-"))
    from PySide6.QtWidgets import QApplication, QScrollArea

    from salesdesk.services.app import Services
    from salesdesk.ui.app import make_application
    from salesdesk.ui.context import UiContext
    from salesdesk.ui.deals.new_deal_dialog import NewDealDialog
    from salesdesk.ui.first_run import demo_user, fill_demo
    from salesdesk.ui.first_run_dialog import FirstRunDialog
    from salesdesk.ui.main_window import MainWindow
    from salesdesk.ui.prefs import open_prefs

    app = make_application()
    if args.dark:
        app.setStyle("Fusion")
        app.setPalette(_dark_palette())
    services = Services.open(args.db or f"sqlite:///{paths.data_dir() / 'screens.db'}", actor="screens")
    if not args.db:
        fill_demo(services)
    user = demo_user(services)
    if user is None:
        print("The database has no team members to show the app as.", file=sys.stderr)
        return 1
    services.set_actor(user.name)
    window = MainWindow(UiContext(services, user, open_prefs()))
    window.resize(1280, 800)
    window.show()
    suffix = "-dark" if args.dark else ""

    def shot(name: str, prepare: Callable[[], object]) -> None:
        prepare()
        settle()
        target = args.outdir / f"{name}{suffix}.png"
        window.grab().save(str(target))
        print(target)

    shot("today", lambda: window.show_place("today"))
    shot("deals", lambda: window.show_place("deals"))
    deal = _richest_deal(services)
    workspace = window.open_deal(deal) if deal else None
    if workspace is not None:
        if not args.db:  # a throwaway database: a few edits, so History has something to show
            workspace.editor.set_field("break_in_period", "About three months of two shifts")
            workspace.editor.set_field("exclusions", "Civil works and the power supply to the machine")
            workspace.editor.flush()
        shot("deal-discovery", lambda: workspace.go_to("discovery"))
        _save_widget(workspace.page("discovery").findChild(QScrollArea).widget(), args.outdir / f"deal-discovery-full"
                     f"{suffix}.png")
        shot("deal-feasibility", lambda: workspace.go_to("feasibility"))
        shot("deal-schedule", lambda: workspace.go_to("schedule"))
        shot("deal-quote", lambda: workspace.go_to("quote"))
        shot("deal-action-plan", lambda: workspace.go_to("action_plan"))
        shot("deal-terms", lambda: workspace.go_to("terms"))
        shot("deal-agreement", lambda: (workspace.go_to("agreement"), settle(3)))  # the PDF renders off-thread
        shot("deal-history", lambda: workspace.go_to("history"))
    for name, step, stages in (("deal-kickoff", "kickoff", ("agreed",)),
                               ("deal-delivery", "delivery", ("delivering",))):
        later = _busiest_deal(services, stages)
        if later is not None:
            opened = window.open_deal(later)
            shot(name, lambda opened=opened, step=step: opened.go_to(step))
    shot("customers", lambda: window.show_place("customers"))
    shot("team", lambda: window.show_place("team"))
    shot("settings", lambda: window.show_place("settings"))
    _save_widget(window.pages["settings"].findChild(QScrollArea).widget(), args.outdir / f"settings-full{suffix}.png")
    shot("yardstick", lambda: window.show_place("yardstick"))
    _save_widget(window.pages["yardstick"].findChild(QScrollArea).widget(), args.outdir / f"yardstick-full{suffix}.png")
    dialogs = (("new-deal", lambda: NewDealDialog(services, user, window)),
               ("first-run", lambda: FirstRunDialog(services, open_prefs(), window)))
    for name, make in dialogs:
        dialog = make()
        dialog.show()
        settle(0.1)
        _save_widget(dialog, args.outdir / f"{name}{suffix}.png")
        dialog.close()
    window.close()
    settle(0.1)
    services.close()
    QApplication.processEvents()
    return 0


def _busiest_deal(services, stages: tuple[str, ...]) -> str | None:  # noqa: ANN001
    """A deal at one of ``stages`` with the most to show: non-standard terms, items, breakdowns."""
    from salesdesk.domain.model import Stage
    from salesdesk.services.deals import DealQuery

    rows = services.deals.list_rows(DealQuery(stages=tuple(Stage(s) for s in stages), limit=40))
    scored = [(sum(t.non_standard for t in d.terms) + len(d.work_items) + 3 * len(d.breakdowns), d.uid)
              for d in (services.deals.get(r.uid) for r in rows)]
    return max(scored)[1] if scored else None


def _richest_deal(services) -> str | None:  # noqa: ANN001
    """A deal with a filled discovery, so the screenshot shows the step in use."""
    from salesdesk.domain.model import Stage
    from salesdesk.services.deals import DealQuery

    rows = services.deals.list_rows(DealQuery(stages=(Stage.QUOTED, Stage.AGREED, Stage.CLEARED), limit=40))
    best, best_score = None, -1
    for row in rows:
        deal = services.deals.get(row.uid)
        score = len(deal.questions) + len(deal.objections) + sum(bool(deal.needs_clarified) for _ in (0,))
        if score > best_score:
            best, best_score = row.uid, score
    return best


if __name__ == "__main__":
    sys.exit(main())
