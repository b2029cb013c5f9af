"""The files around an agreement: the drawn signature, the scan of a paper copy, and a PDF to check.

Each arrives from outside (a signature pad, a scanner, an e-mail), so each is checked before it is
kept or trusted: the right kind of file, a sane size, and readable.
"""

from __future__ import annotations

import io
import re

from salesdesk.domain.errors import ValidationError

MAX_SIGNATURE_BYTES = 2 * 1024 * 1024
MAX_SIGNATURE_SIDE = 4000  # pixels
MAX_SCAN_BYTES = 20 * 1024 * 1024
MAX_VERIFY_BYTES = 200 * 1024 * 1024
_PNG = b"\x89PNG\r\n\x1a\n"
_SCAN_KINDS = ((b"%PDF-", "PDF"), (_PNG, "PNG"), (b"\xff\xd8\xff", "JPEG"))
_RAW_STAMP = re.compile(rb"salesdesk-doc-id=([A-Za-z0-9._-]{1,80});revision=(\d{1,6})")


def check_signature_png(image: bytes | None) -> bytes:
    """A drawn signature: a real PNG picture, not too big."""
    if not image:
        raise ValidationError("A drawn signature needs the drawing.", "Draw the signature, then confirm.",
                              field="image_png")
    if len(image) > MAX_SIGNATURE_BYTES:
        raise ValidationError(f"The signature picture is too large ({len(image):,} bytes).",
                              "Draw it again; a signature is a few kilobytes.", field="image_png")
    if not image.startswith(_PNG) or image[12:16] != b"IHDR" or len(image) < 33:
        raise ValidationError("The signature is not a PNG picture.", "Draw the signature again.", field="image_png")
    width, height = int.from_bytes(image[16:20], "big"), int.from_bytes(image[20:24], "big")
    if not (1 <= width <= MAX_SIGNATURE_SIDE and 1 <= height <= MAX_SIGNATURE_SIDE):
        raise ValidationError(f"The signature picture is {width} × {height} pixels.",
                              f"Use at most {MAX_SIGNATURE_SIDE} pixels a side.", field="image_png")
    from PIL import Image  # reportlab's own imaging library, only needed here

    try:
        with Image.open(io.BytesIO(image)) as picture:
            picture.load()
    except Exception as exc:  # Pillow raises many kinds of errors for a damaged file
        raise ValidationError("The signature picture is damaged.", "Draw the signature again.",
                              field="image_png") from exc
    return image


def check_scan(scan: bytes | None) -> bytes | None:
    """A scan of the paper copy: a PDF, PNG or JPEG file, not too big."""
    if not scan:
        return None
    if len(scan) > MAX_SCAN_BYTES:
        raise ValidationError(f"The scan is too large ({len(scan) / 1024 / 1024:.1f} MB).",
                              f"Scan at a lower resolution; at most {MAX_SCAN_BYTES // 1024 // 1024} MB.",
                              field="scan")
    if not any(scan.startswith(magic) for magic, _ in _SCAN_KINDS):
        raise ValidationError("The scan is not a PDF, PNG or JPEG file.", "Scan the signed copy to PDF and attach that.",
                              field="scan")
    return scan


def read_stamp(pdf: bytes) -> tuple[str, int] | None:
    """(doc id, revision) from a PDF's metadata; from its raw bytes when the file is damaged."""
    from salesdesk.documents.letterhead import parse_doc_stamp

    try:
        from pypdf import PdfReader

        meta = PdfReader(io.BytesIO(pdf), strict=False).metadata
        for key in ("/Keywords", "/Subject"):
            found = parse_doc_stamp(str(meta.get(key) or "") if meta else "")
            if found is not None:
                return found
    except Exception:  # a damaged or foreign file: pypdf raises many kinds of errors; the bytes may still tell
        pass
    match = _RAW_STAMP.search(pdf)
    return (match[1].decode("ascii"), int(match[2])) if match else None
