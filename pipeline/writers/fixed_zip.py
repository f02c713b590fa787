"""Zip packages (.docx, .xlsx) with fixed entry dates and modes: the same parts give the same bytes."""
from __future__ import annotations

import io
import zipfile
from typing import Iterable

ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def fixed_zip(entries: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of (name, data) entries in the given order, dated 1980-01-01, mode 644."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name.lstrip("/"), ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=6)
    return buffer.getvalue()


def refixed(data: bytes) -> bytes:
    """Re-pack a zip another library wrote (openpyxl stamps the clock into its entries)."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return fixed_zip((info.filename, source.read(info.filename)) for info in source.infolist())
