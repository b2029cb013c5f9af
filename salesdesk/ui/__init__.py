"""The desktop app: the only package that imports PySide6.

Two things happen here, before any of the app's Qt code runs:

* On Python 3.11, None gets a practically endless reference count. PySide6 6.12 returns None
  from methods that return nothing (``setText``, ``show``, ``QPainter.save`` …) without taking
  a reference, which is harmless where None is immortal (Python 3.12+). On 3.11 every such call
  steals one, and after some tens of thousands of them the app aborts with "deallocating None".
* PySide6 reads the source of every module imported after it, to learn whether it asks for a
  PySide feature (``from __feature__ import snake_case``), and keeps that source in memory.
  SalesDesk asks for none, and the core — a few hundred modules, imported once the window shows —
  cost a tenth of a second and some 20 MB that way. Only our own UI modules are read now.

Importing this package loads neither the core (services, store, SQLAlchemy) nor the Qt widgets:
the app shows its window first and opens the database behind it (see ``startup``).
"""

import sys

import PySide6.QtCore  # noqa: F401  (installs the import hook tamed below)

if sys.version_info < (3, 12):
    import ctypes

    # ob_refcnt is the first field of every object; None itself is static and never freed.
    ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40


def _read_only_our_qt_modules() -> None:
    feature = sys.modules.get("shibokensupport.feature")
    reads_source = getattr(feature, "_mod_uses_pyside", None)
    if reads_source is None:  # another PySide6: nothing to change
        return

    def uses_pyside(module: object) -> bool:
        name = getattr(module, "__name__", "")
        return name.startswith(("PySide6", "salesdesk.ui")) and bool(reads_source(module))

    feature._mod_uses_pyside = uses_pyside  # type: ignore[union-attr]


_read_only_our_qt_modules()
