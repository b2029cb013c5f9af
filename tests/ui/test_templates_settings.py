"""Settings → Checklist templates, driven like a sales manager: edit, reorder, add and remove questions,
save; a refused value is shown next to its field and nothing is saved."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from salesdesk.services.app import Services
from salesdesk.ui.settings.templates_section import TemplatesSection
from salesdesk.ui.widgets.fields import ErrorLabel


def templates_section(window: Any) -> TemplatesSection:
    window.show_place("settings")
    page = window.pages["settings"]
    return next(s for s in page.sections if isinstance(s, TemplatesSection))


def by_name(root: QWidget, name: str) -> Any:
    found = [w for w in root.findChildren(QWidget) if w.accessibleName() == name and w.isVisible()]
    assert found, f"no widget called {name!r}"
    return found[0]


def test_a_template_is_listed_edited_reordered_and_saved(window: Any, qtbot: Any, services: Services) -> None:
    section = templates_section(window)
    shipped = services.templates.list_templates()
    assert section.chooser.count() == len(shipped) >= 3
    first = section.template
    assert first is not None and section.name.text() == first.name
    assert len(section.rows) == len(first.items)

    question_1 = by_name(section, "Question 1")
    question_1.selectAll()
    qtbot.keyClicks(question_1, "Can we deliver it all by the requested date?")
    qtbot.mouseClick(by_name(section, "Move question 2 up"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(by_name(section, f"Remove question {len(section.rows)}"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    n = len(section.rows)
    qtbot.keyClicks(by_name(section, f"Question {n}"), "Is the site ready for the crane?")
    qtbot.keyClicks(by_name(section, f"Question {n} hint"), "Ask for photos of the access road.")
    by_name(section, f"Question {n} is mandatory").click()
    assert "Unsaved changes" in section.state.text()
    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)

    saved = services.templates.get(first.uid)
    questions = [i.question for i in saved.items]
    assert questions[0] == first.items[1].question  # moved up
    assert questions[1] == "Can we deliver it all by the requested date?"
    assert first.items[-1].question not in questions  # removed
    assert (saved.items[-1].question, saved.items[-1].help_text, saved.items[-1].mandatory) == (
        "Is the site ready for the crane?", "Ask for photos of the access road.", True)
    assert section.state.text() == "Template saved."


def test_a_bad_value_is_shown_next_to_its_field_and_nothing_is_saved(window: Any, qtbot: Any,
                                                                    services: Services) -> None:
    section = templates_section(window)
    before = services.templates.list_templates()
    other = before[1].product_line
    section.product_line.selectAll()
    qtbot.keyClicks(section.product_line, other)  # a product line that already has a template
    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    error = section.product_line.parentWidget().findChild(ErrorLabel)
    assert f"There is already a template for '{other}'" in error.text() and error.isVisible()
    assert "Not saved" in section.state.text()

    section.product_line.selectAll()
    qtbot.keyClicks(section.product_line, before[0].product_line)
    question_1 = by_name(section, "Question 1")
    question_1.selectAll()
    qtbot.keyClick(question_1, Qt.Key.Key_Delete)  # an empty question
    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    items_error = section.table.parentWidget().findChild(ErrorLabel)
    assert "Question 1" in items_error.text() and items_error.isVisible()
    assert services.templates.list_templates() == before


def test_a_new_template_for_another_product_line_is_saved_and_can_be_deleted(window: Any, qtbot: Any,
                                                                             services: Services) -> None:
    section = templates_section(window)
    qtbot.mouseClick(section.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(section.name, "Maintenance contracts")
    qtbot.keyClicks(section.product_line, "Service")
    qtbot.keyClicks(by_name(section, "Question 1"), "Do we have technicians in the customer's region?")
    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    saved = services.templates.get("Service")
    assert [i.question for i in saved.items] == ["Do we have technicians in the customer's region?"]
    assert section.chooser.currentData() == saved.uid

    qtbot.mouseClick(section.delete_button, Qt.MouseButton.LeftButton)  # the dialogs fixture says yes
    assert "Service" not in [t.product_line for t in services.templates.list_templates()]
