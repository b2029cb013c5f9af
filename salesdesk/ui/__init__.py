"""The desktop app: the only package that imports PySide6.

Two things happen here, before any Qt code runs:

* The core (services, store, SQLAlchemy) is imported before Qt: once PySide6 is loaded, its
  import hook reads the source of every module imported after it, which costs about a third
  of a second at start-up for the core's few hundred modules.
* On Python 3.11, None gets a practically endless reference count. PySide6 6.12 returns None
  from methods that return nothing (``setText``, ``show``, ``QPainter.save`` …) without taking
  a reference, which is harmless where None is immortal (Python 3.12+). On 3.11 every such call
  steals one, and after some tens of thousands of them the app aborts with "deallocating None".
"""

import ctypes
import sys

import salesdesk.services.app  # noqa: F401  (see above: load the core before Qt)

if sys.version_info < (3, 12):
    # ob_refcnt is the first field of every object; None itself is static and never freed.
    ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40
