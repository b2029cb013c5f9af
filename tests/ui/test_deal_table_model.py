"""The deal list's table model, without a window: what each cell says, paging and sorting requests."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from salesdesk.domain.model import DealRow, Stage
from salesdesk.ui.deals import table_model as m


def row(n: int, **changes: Any) -> DealRow:
    values: dict[str, Any] = dict(
        uid=f"u{n}", ref=f"D-2026-{n:04d}", customer="Acme", title=f"Deal {n}", stage=Stage.QUOTED, owner="Ana",
        requested_date=date(2026, 5, 1), promised_date=date(2026, 5, 20), value=Decimal("12345.50"),
    )
    values.update(changes)
    return DealRow(**values)


def test_cells_show_what_a_rep_reads(qapp: Any) -> None:
    model = m.DealTableModel()
    model.reset_rows([row(1)], has_more=False)
    text = [model.index(0, c).data() for c in range(model.columnCount())]
    assert text == ["D-2026-0001", "Acme", "Deal 1", "Quoted", "Ana", "1 May 2026", "20 May 2026", "12,346", ""]
    assert model.headerData(m.COL_PROMISED, Qt.Orientation.Horizontal) == "Promised"


def test_the_sort_role_gives_raw_values_and_the_row_role_the_whole_row(qapp: Any) -> None:
    model = m.DealTableModel()
    model.reset_rows([row(1)], has_more=False)
    assert model.index(0, m.COL_VALUE).data(m.SORT_ROLE) == Decimal("12345.50")
    assert model.index(0, m.COL_STAGE).data(m.SORT_ROLE) == Stage.QUOTED.value
    assert model.index(0, m.COL_REF).data(m.ROW_ROLE).uid == "u1"


def test_rows_arrive_in_pages_and_more_is_asked_for_once_until_it_arrives(qapp: Any, qtbot: Any) -> None:
    model = m.DealTableModel()
    model.reset_rows([row(i) for i in range(3)], has_more=True)
    assert model.rowCount() == 3 and model.canFetchMore(QModelIndex())
    with qtbot.waitSignal(model.more_wanted, timeout=100):
        model.fetchMore(QModelIndex())
    with qtbot.assertNotEmitted(model.more_wanted):
        model.fetchMore(QModelIndex())  # the page asked for has not arrived yet
    model.append_rows([row(3), row(4)], has_more=False)
    assert model.rowCount() == 5 and not model.canFetchMore(QModelIndex())


def test_an_empty_page_stops_the_paging(qapp: Any) -> None:
    model = m.DealTableModel()
    model.reset_rows([row(1)], has_more=True)
    model.fetchMore(QModelIndex())
    model.append_rows([], has_more=False)
    assert not model.canFetchMore(QModelIndex()) and model.rowCount() == 1


def test_a_header_click_asks_the_database_to_sort(qapp: Any, qtbot: Any) -> None:
    model = m.DealTableModel()
    with qtbot.waitSignal(model.sort_requested, timeout=100) as signal:
        model.sort(m.COL_PROMISED, Qt.SortOrder.DescendingOrder)
    assert signal.args == ["promised_date", True]


def test_a_past_next_action_is_overdue_and_problems_show_in_the_tooltip(qapp: Any) -> None:
    model = m.DealTableModel()
    late = row(1, next_action_due=date.today() - timedelta(days=1), problems=("overdue item",))
    model.reset_rows([late, row(2, next_action_due=date.today())], has_more=False)
    assert model.is_overdue(model.row_at(0)) and not model.is_overdue(model.row_at(1))
    assert "overdue item" in model.index(0, m.COL_TITLE).data(Qt.ItemDataRole.ToolTipRole)
    assert model.row_of("u2") == 1 and model.row_of("nope") is None
