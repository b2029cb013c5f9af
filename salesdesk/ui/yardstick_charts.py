"""The Yardstick's charts (QtCharts), drawn from the figures the yardstick service computed.

Each ``*_chart`` function builds a fresh QChart from a ``Yardstick`` (or says there is nothing to
draw); ``ChartCard`` shows one with its title and a sentence on how to read it, and can save it as
PNG. Colours follow the palette, so the charts read well on light and dark desktops.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from PySide6.QtCharts import (
    QAbstractAxis,
    QBarCategoryAxis,
    QBarSet,
    QBoxPlotSeries,
    QBoxSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QHorizontalStackedBarSeries,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QCoreApplication, QLocale, QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPen
from PySide6.QtWidgets import QFrame, QLabel, QStackedWidget, QVBoxLayout, QWidget

from salesdesk.domain.model import BREAKDOWN_LABELS, BreakdownCategory
from salesdesk.domain.yardstick import OnTime, Yardstick
from salesdesk.ui import theme
from salesdesk.ui.widgets.fields import hint_label

#: One hue per kind of breakdown, the same in every chart.
CATEGORY_HUES: dict[BreakdownCategory, str] = {
    BreakdownCategory.BAD_TECHNICAL_INFORMATION: "#c0392b",
    BreakdownCategory.POOR_COMMUNICATION: "#d08700",
    BreakdownCategory.UNEXPECTED_PROBLEM: "#7e57c2",
    BreakdownCategory.UNREALISTIC_EXPECTATIONS: "#00838f",
    BreakdownCategory.UNDISCLOSED_INFORMATION: "#5b7db1",
    BreakdownCategory.MISSED_DELIVERY_DATE: "#e0672a",
    BreakdownCategory.QUALITY_ERROR: "#2e7d32",
    BreakdownCategory.OTHER: "#8a8a8a",
}
ITEMS_HUE, DEALS_HUE, REQUESTED_HUE = "#1e88e5", "#2e7d32", "#d08700"
CHART_HEIGHT = 300
#: Above this many months the month charts count by quarter, so their labels stay readable.
MONTHS_SHOWN = 24


def tr(text: str) -> str:
    return QCoreApplication.translate("Yardstick", text)


def category_label(category: BreakdownCategory) -> str:
    return QCoreApplication.translate("Breakdown", BREAKDOWN_LABELS.get(category, category.value))


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.0f} %"


def month_label(month: str, *, with_year: bool = True) -> str:
    """"2026-03" → "Mar 26"."""
    year, number = int(month[:4]), int(month[5:])
    name = QLocale().monthName(number, QLocale.FormatType.ShortFormat)
    return f"{name} {year % 100:02d}" if with_year else name


def buckets(months: Sequence[str]) -> list[tuple[str, list[str]]]:
    """The months grouped for a chart: each month, or each quarter when there are too many.

    A month is named short ("Mar"); January carries the year ("Jan 26")."""
    if len(months) <= MONTHS_SHOWN:
        return [(month_label(m, with_year=m.endswith("-01")), [m]) for m in months]
    grouped: dict[str, list[str]] = {}
    for m in months:
        quarter = (int(m[5:]) - 1) // 3 + 1
        grouped.setdefault(f"Q{quarter} {int(m[:4]) % 100:02d}", []).append(m)
    return list(grouped.items())


# --- looks -----------------------------------------------------------------------------------------

def _ink(pal: QPalette) -> QColor:
    return pal.color(QPalette.ColorRole.WindowText)


def _chart(pal: QPalette, legend_at: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignBottom) -> QChart:
    chart = QChart()
    chart.setBackgroundVisible(False)
    chart.setPlotAreaBackgroundVisible(False)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(2, 2, 2, 2))
    chart.layout().setContentsMargins(0, 0, 0, 0)
    legend = chart.legend()
    legend.setAlignment(legend_at)
    legend.setLabelColor(_ink(pal))
    font = QFont(legend.font())
    font.setPointSizeF(max(7.0, font.pointSizeF() * 0.9))
    legend.setFont(font)
    return chart


def _style_axis(axis: QAbstractAxis, pal: QPalette) -> None:
    ink = _ink(pal)
    axis.setLabelsColor(ink)
    axis.setLinePenColor(theme.mix(ink, pal.color(QPalette.ColorRole.Window), 0.35))
    axis.setGridLineColor(theme.mix(ink, pal.color(QPalette.ColorRole.Window), 0.12))
    font = QFont(axis.labelsFont())
    font.setPointSizeF(max(7.0, font.pointSizeF() * 0.9))
    axis.setLabelsFont(font)


def _attach(chart: QChart, series: object, x: QAbstractAxis, y: QAbstractAxis, pal: QPalette) -> None:
    chart.addSeries(series)  # type: ignore[arg-type]
    for axis, side in ((x, Qt.AlignmentFlag.AlignBottom), (y, Qt.AlignmentFlag.AlignLeft)):
        if axis not in chart.axes():
            _style_axis(axis, pal)
            chart.addAxis(axis, side)
        series.attachAxis(axis)  # type: ignore[attr-defined]


def _percent_axis() -> QValueAxis:
    axis = QValueAxis()
    axis.setRange(0, 100)
    axis.setTickCount(6)
    axis.setLabelFormat("%d %%")
    return axis


def _count_axis(top: int) -> QValueAxis:
    axis = QValueAxis()
    axis.setRange(0, max(1, top))
    axis.setLabelFormat("%d")
    axis.applyNiceNumbers()
    return axis


def _categories(labels: Sequence[str], *, months: bool = False) -> QBarCategoryAxis:
    axis = QBarCategoryAxis()
    axis.append(list(labels))
    axis.setTruncateLabels(False)
    if months and len(labels) > 12:
        axis.setLabelsAngle(-60)
    return axis


def _bar_set(label: str, hue: str, values: Sequence[float]) -> QBarSet:
    bars = QBarSet(label)
    bars.setColor(QColor(hue))
    bars.setBorderColor(QColor(hue))
    bars.append(list(values))
    return bars


# --- the charts ------------------------------------------------------------------------------------

ChartMaker = Callable[[Yardstick, QPalette], QChart | None]


def on_time_by_month_chart(y: Yardstick, pal: QPalette) -> QChart | None:
    """Share of promises kept per month: work items and deals against the promised date, deals against
    the date the customer asked for. A month with nothing measured has no point."""
    groups = buckets(y.period.months())
    items = [sum((y.items.by_month.get(m, OnTime()) for m in ms), OnTime()) for _label, ms in groups]
    deals = [[y.deals.by_month[m] for m in ms if m in y.deals.by_month] for _label, ms in groups]
    promised = [sum((g.promised for g in gs), OnTime()) for gs in deals]
    requested = [sum((g.requested for g in gs), OnTime()) for gs in deals]
    if not any(o.measured for o in items + promised + requested):
        return None
    chart = _chart(pal)
    x, yaxis = _categories([label for label, _ms in groups], months=True), _percent_axis()
    for name, hue, figures, style in (
        (tr("Work items"), ITEMS_HUE, items, Qt.PenStyle.SolidLine),
        (tr("Deals"), DEALS_HUE, promised, Qt.PenStyle.SolidLine),
        (tr("Deals, against the date asked for"), REQUESTED_HUE, requested, Qt.PenStyle.DashLine),
    ):
        # A month with nothing measured breaks the line: no straight line across it suggests a figure.
        runs: list[list[QPointF]] = [[]]
        for i, figure in enumerate(figures):
            if figure.rate is None:
                if runs[-1]:
                    runs.append([])
            else:
                runs[-1].append(QPointF(i, figure.rate * 100))
        named = False
        for points in (run for run in runs if run):
            line = QLineSeries()
            line.setName(name)
            line.setPen(QPen(QColor(hue), 2.2, style))
            line.setPointsVisible(True)
            line.append(points)
            _attach(chart, line, x, yaxis, pal)
            if named:  # one legend entry per measure
                for marker in chart.legend().markers(line):
                    marker.setVisible(False)
            named = True
    return chart


def on_time_by_department_chart(y: Yardstick, pal: QPalette) -> QChart | None:
    """Share of each department's work items finished by their promised date."""
    measured = [(name, figure) for name, figure in y.items.by_department.items() if figure.measured]
    if not measured:
        return None
    measured.reverse()  # a horizontal chart draws its first category at the bottom
    chart = _chart(pal)
    series = QHorizontalBarSeries()
    series.append(_bar_set(tr("Work items on time"), ITEMS_HUE, [(f.rate or 0) * 100 for _n, f in measured]))
    series.setLabelsVisible(True)
    series.setLabelsFormat("@value %")
    series.setLabelsPrecision(3)
    series.setBarWidth(0.7)
    labels = [tr("{department} ({n})").format(department=name, n=f.measured) for name, f in measured]
    _attach(chart, series, _percent_axis(), _categories(labels), pal)
    chart.legend().hide()
    for bar_set in series.barSets():
        bar_set.setLabelColor(_ink(pal))
    return chart


def _present(counts: Mapping[str, Mapping[BreakdownCategory, int]]) -> list[BreakdownCategory]:
    return [c for c in BreakdownCategory if any(row.get(c, 0) for row in counts.values())]


def breakdowns_by_month_chart(y: Yardstick, pal: QPalette) -> QChart | None:
    """Breakdowns per month, stacked by kind."""
    by_month = y.breakdowns.by_month
    categories = _present(by_month)
    if not categories:
        return None
    groups = buckets(y.period.months())
    chart = _chart(pal, Qt.AlignmentFlag.AlignRight)
    series = QStackedBarSeries()
    for category in categories:
        values = [sum(by_month.get(m, {}).get(category, 0) for m in ms) for _label, ms in groups]
        series.append(_bar_set(category_label(category), CATEGORY_HUES[category], values))
    series.setBarWidth(0.7)
    top = max(sum(sum(by_month.get(m, {}).values()) for m in ms) for _label, ms in groups)
    _attach(chart, series, _categories([label for label, _ms in groups], months=True), _count_axis(top), pal)
    return chart


def breakdowns_by_department_chart(y: Yardstick, pal: QPalette) -> QChart | None:
    """Breakdowns per department, stacked by kind."""
    by_department = {d: row for d, row in y.breakdowns.by_department.items() if sum(row.values())}
    categories = _present(by_department)
    if not categories:
        return None
    departments = sorted(by_department, key=lambda d: (sum(by_department[d].values()), d))
    chart = _chart(pal, Qt.AlignmentFlag.AlignRight)
    series = QHorizontalStackedBarSeries()
    for category in categories:
        series.append(_bar_set(category_label(category), CATEGORY_HUES[category],
                               [by_department[d].get(category, 0) for d in departments]))
    series.setBarWidth(0.7)
    top = max(sum(row.values()) for row in by_department.values())
    _attach(chart, series, _count_axis(top), _categories(departments), pal)
    return chart


def accuracy_chart(y: Yardstick, pal: QPalette) -> QChart | None:
    """Actual working days ÷ raw estimate per department as boxes: the middle half of the items in the
    box, the median across it, the whiskers at the 10th and 90th percentile."""
    spread = [(name, d) for name, d in y.items.accuracy.items() if d.count and len(d.quantiles) == 5]
    if not spread:
        return None
    chart = _chart(pal)
    series = QBoxPlotSeries()
    series.setName(tr("Actual ÷ raw estimate"))
    hue = QColor(ITEMS_HUE)
    series.setBrush(theme.mix(hue, pal.color(QPalette.ColorRole.Base), 0.35))
    series.setPen(QPen(hue.darker(115) if not theme.is_dark(pal) else hue.lighter(130), 1.5))
    series.setBoxWidth(0.55)
    for name, d in spread:
        q = d.quantiles
        box = QBoxSet(q["p10"], q["p25"], q["p50"], q["p75"], q["p90"], name)
        series.append(box)
    labels = [tr("{department} ({n})").format(department=name, n=d.count) for name, d in spread]
    top = max(d.quantiles["p90"] for _n, d in spread)
    axis = QValueAxis()
    axis.setRange(0, max(2.0, top * 1.15))
    axis.setLabelFormat("%.1f")
    axis.applyNiceNumbers()
    x = _categories(labels)
    _attach(chart, series, x, axis, pal)
    estimate = QLineSeries()
    estimate.setName(tr("As estimated (1.0)"))
    estimate.setPen(QPen(theme.accent_text(theme.PROBLEM_HUE, pal), 1.2, Qt.PenStyle.DashLine))
    estimate.append(QPointF(-0.5, 1.0))
    estimate.append(QPointF(len(spread) - 0.5, 1.0))
    _attach(chart, estimate, x, axis, pal)
    x.setLabelsAngle(-30 if len(spread) > 8 else 0)
    return chart


# --- the card that shows one ----------------------------------------------------------------------

class ChartCard(QFrame):
    """A titled chart, or a sentence saying there is nothing to draw."""

    def __init__(self, key: str, title: str, reading: str, empty: str, make: ChartMaker,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key, self.make, self.empty_text = key, make, empty
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(title)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.reading = hint_label(reading)
        self.view = QChartView()
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setAccessibleName(title)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.setStyleSheet("background: transparent")
        self.empty = hint_label(tr("Working out the figures…"))  # until the first figures arrive
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.view)
        self.stack.setFixedHeight(CHART_HEIGHT)  # the same height with a chart, a sentence or nothing yet
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.reading)
        layout.addWidget(self.stack, 1)
        self.chart: QChart | None = None

    def show_figures(self, y: Yardstick) -> None:
        chart = self.make(y, self.palette())
        old = self.view.chart()
        if chart is None:
            self.chart = None
            self.empty.setText(self.empty_text)
            self.stack.setCurrentWidget(self.empty)
        else:
            self.chart = chart
            self.view.setChart(chart)
            self.stack.setCurrentWidget(self.view)
        if old is not None and old is not chart and old is not self.view.chart():
            old.deleteLater()

    @property
    def has_chart(self) -> bool:
        return self.chart is not None

    def save_png(self, target: Path) -> bool:
        """Save the chart as drawn on screen; False when there is nothing drawn."""
        if self.chart is None:
            return False
        return self.view.grab().save(str(target), "PNG")
