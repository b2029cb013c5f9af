"""Writing a package folder so nobody ever sees half of it.

Names are made safe for every file system a shared drive may sit on. Each changed file is first
written in full under a hidden temporary name in the target folder and fsync'd; only when all of
them are staged are they renamed into place (``os.replace``), one by one. If anything fails, the
files already renamed get their old content back (or disappear when they are new), no temporary
file is left behind, and a package folder this call created is removed again.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

#: File names Windows refuses, with or without an extension.
WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)
#: The longest customer part of a folder name, in UTF-8 bytes (file systems count bytes, max 255).
MAX_NAME_BYTES = 120
_UNSAFE = re.compile(r'[<>:"/\\|?*]')
TEMP_SUFFIX = ".part"


def safe_name(text: str, fallback: str, *, max_bytes: int = MAX_NAME_BYTES) -> str:
    """``text`` as one file or folder name any file system accepts and nobody can misread.

    No path separators or characters Windows forbids, no control or invisible formatting
    characters (which can make a name read backwards), no leading dots (hidden files, ``..``), no
    trailing dots or spaces, no reserved device names, and at most ``max_bytes`` bytes of UTF-8.
    """
    text = unicodedata.normalize("NFC", text or "")
    chars = [" " if _UNSAFE.match(ch) or unicodedata.category(ch)[0] == "C" else ch for ch in text]
    name = " ".join("".join(chars).split())
    name = name.lstrip(". ")
    while len(name.encode("utf-8")) > max_bytes:
        name = name[:-1]
    name = name.rstrip(". ")
    if not name:
        return fallback
    if name.split(".")[0].strip().upper() in WINDOWS_RESERVED:
        name = f"_{name}"
    return name


def package_folder_name(customer: str, ref: str) -> str:
    """``Northwind Plastics Ltd — D-2026-0007``."""
    return f"{safe_name(customer, 'Customer')} — {safe_name(ref, 'Deal', max_bytes=40)}"


@dataclass(frozen=True)
class PackageFile:
    name: str
    data: bytes


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _stage(folder: Path, name: str, data: bytes) -> Path:
    """``data`` in full, on disk, under a hidden temporary name next to ``name``."""
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=TEMP_SUFFIX, dir=folder)
    try:
        _write_all(fd, data)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        Path(tmp).unlink(missing_ok=True)
        raise
    os.close(fd)
    return Path(tmp)


def _content(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def fsync_folder(folder: Path) -> None:
    """Make the renames in ``folder`` durable (where the platform can)."""
    if os.name == "nt":  # pragma: no cover - Windows cannot open a folder for fsync
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _undo(replaced: list[tuple[Path, bytes | None]]) -> None:
    """Give each file its old content back (or remove it if it is new), newest change first."""
    for target, old in reversed(replaced):
        try:
            if old is None:
                target.unlink(missing_ok=True)
            else:
                with open(target, "wb") as f:
                    f.write(old)
        except OSError as exc:  # the folder may have gone away entirely; report the original error
            log.warning("Could not undo %s: %s", target, exc)


def write_package(folder: Path, files: Sequence[PackageFile], *, remove: Sequence[str] = ()) -> list[str]:
    """Make ``folder`` hold ``files`` (and not ``remove``), all of them or none. Returns what changed.

    Files whose content is already there are left untouched, so an unchanged deal does not make a
    shared drive sync anything but ``deal.json``.
    """
    created = False
    if not folder.is_dir():
        folder.mkdir()
        created = True
    staged: dict[str, Path] = {}
    replaced: list[tuple[Path, bytes | None]] = []
    removed: list[str] = []
    try:
        changed = [f for f in files if not _same(folder / f.name, f.data)]
        for f in changed:
            staged[f.name] = _stage(folder, f.name, f.data)
        for f in changed:
            target = folder / f.name
            old = _content(target)
            os.replace(staged[f.name], target)
            del staged[f.name]
            replaced.append((target, old))
        for name in remove:
            target = folder / name
            old = _content(target)
            if old is not None:
                target.unlink()
                replaced.append((target, old))
                removed.append(name)
        fsync_folder(folder)
    except BaseException:
        _undo(replaced)
        if created:
            with contextlib.suppress(OSError):
                for leftover in staged.values():
                    leftover.unlink(missing_ok=True)
                staged.clear()
                folder.rmdir()
        raise
    finally:
        for leftover in staged.values():
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
    return [f.name for f in changed] + removed
