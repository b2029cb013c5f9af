"""``salesdesk render``: a deal's documents as PDF files.

Each kind of document is one entry in ``DOCUMENT_KINDS``. The file is written under a temporary
name and renamed into place, so a refusal or a failure never leaves a file (or half of one) behind.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from salesdesk import cli
from salesdesk.domain.errors import ValidationError


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document the CLI can render: what it is, and how to make its bytes."""

    description: str
    render: Callable[[Any, str], bytes]  # (Services, deal ref) -> PDF bytes


def _quote(services: Any, ref: str) -> bytes:
    from salesdesk.services.quote import QuoteService

    return QuoteService(services.ctx).generate(ref)


def _feasibility(services: Any, ref: str) -> bytes:
    from salesdesk.services.quote import QuoteService

    return QuoteService(services.ctx).feasibility_report(ref)


#: The documents ``salesdesk render --doc`` knows. Adding a kind is one entry here.
DOCUMENT_KINDS: dict[str, DocumentKind] = {
    "quote": DocumentKind("the quote (cleared deals only; padded dates only)", _quote),
    "feasibility": DocumentKind("the internal feasibility report (raw and padded schedule)", _feasibility),
}


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` in one step: the file is either complete or not there at all."""
    folder = target.parent
    if not folder.is_dir():
        raise ValidationError(f"The folder {folder} does not exist.", "Create it first or choose another --out.")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("ref", metavar="REF", help="the deal, e.g. D-2026-0001")
    p.add_argument("--doc", required=True, choices=sorted(DOCUMENT_KINDS),
                   help="; ".join(f"{name}: {kind.description}" for name, kind in DOCUMENT_KINDS.items()))
    p.add_argument("--out", required=True, metavar="FILE.pdf", help="where to write the PDF")


def cmd_render(args: argparse.Namespace, out: TextIO) -> int:
    target = Path(args.out).expanduser()
    if target.is_dir():
        raise ValidationError(f"{target} is a folder.", "Give a file name, e.g. --out quote.pdf.")
    kind = DOCUMENT_KINDS[args.doc]
    services = cli.open_services(args)
    try:
        pdf = kind.render(services, args.ref)
    finally:
        services.close()
    write_atomically(target, pdf)
    print(f"Wrote the {args.doc} of {args.ref} to {target} ({len(pdf):,} bytes).", file=out)
    return cli.EXIT_OK


cli.register("render", "render a deal's document as PDF (quote, feasibility report)", add_arguments, cmd_render)
