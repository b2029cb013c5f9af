"""The Yardstick page, until its own issue fills it: what it will measure."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from salesdesk.ui.widgets.fields import hint_label, section_title


class YardstickPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addWidget(section_title(self.tr("Yardstick: promises kept")))
        layout.addWidget(hint_label(self.tr("The team measures itself with one yardstick. This page is on its way; "
                                            "it will show:")))
        for line in (
            self.tr("On-time rate — of action items and of whole deals, against the dates promised."),
            self.tr("Breakdowns — by category and by department, over time, and what they cost."),
            self.tr("Estimate accuracy — per department, actual days ÷ raw estimate."),
            self.tr("Calibration — per department, the smallest buffer factor that would have kept 95 % of "
                    "promises, next to the factor in use."),
            self.tr("Deals declined, and successes worth celebrating, whoever produced them."),
        ):
            label = QLabel("•  " + line)
            label.setWordWrap(True)
            label.setMaximumWidth(760)
            layout.addWidget(label)
        layout.addStretch(1)
