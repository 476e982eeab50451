"""Upload limits: refuse what would exhaust memory or time before any reader opens it.

Why before the readers: a 40 KB zip can unpack to 40 GB, an xlsx is itself a zip, a JSON file
nested 100,000 deep overflows a recursive parser, and an HDF5 header can declare a table of
10^15 rows. Each check reads only headers or streams, and each refusal is an `UploadError`
with the HTTP status to send: 413 for "too large", 422 for "unacceptable content".
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, BinaryIO

_CHUNK = 1 << 20
_DIMENSION = re.compile(rb'<dimension ref="[A-Z]+[0-9]+:(?P<col>[A-Z]+)(?P<row>[0-9]+)"')
_FORMULA = re.compile(rb"<f[ >]")


class UploadError(ValueError):
    """An upload refused with an HTTP status (413 or 422) and a message for the submitter."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int = 200_000_000
    max_zip_members: int = 200
    max_unpacked_bytes: int = 1_000_000_000
    max_ratio: int = 200  # uncompressed / compressed, per zip member
    max_json_depth: int = 64
    max_sheet_rows: int = 100_000
    max_sheet_columns: int = 1_000
    max_hdf5_elements: int = 1 << 31


def save_stream(source: BinaryIO, target: Path, limits: UploadLimits) -> int:
    """Copy an upload to disk, refusing (413) once it passes the size limit."""
    written = 0
    with target.open("wb") as out:
        while chunk := source.read(_CHUNK):
            written += len(chunk)
            if written > limits.max_bytes:
                raise UploadError(413, f"{target.name} is larger than {limits.max_bytes:,} bytes")
            out.write(chunk)
    return written


def safe_name(name: str) -> str:
    """The file name part only: no folders, no traversal, nothing hidden."""
    base = PurePosixPath(name.replace("\\", "/")).name.lstrip(".")
    return re.sub(r"[^A-Za-z0-9._-]", "_", base) or "upload"


def check_zip(path: Path, limits: UploadLimits) -> list[zipfile.ZipInfo]:
    """Member list of a zip that is small enough to unpack; zip bombs give 413."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
    except zipfile.BadZipFile as error:
        raise UploadError(422, f"{path.name} is not a readable zip file") from error
    if len(members) > limits.max_zip_members:
        raise UploadError(
            413, f"{path.name} holds {len(members)} files; at most {limits.max_zip_members}"
        )
    total = sum(m.file_size for m in members)
    if total > limits.max_unpacked_bytes:
        raise UploadError(413, f"{path.name} unpacks to {total:,} bytes; too large")
    for member in members:
        if member.compress_size and member.file_size / member.compress_size > limits.max_ratio:
            raise UploadError(
                413, f"{path.name}: {member.filename} is compressed suspiciously well (zip bomb?)"
            )
    return members


def unpack_zip(path: Path, folder: Path, limits: UploadLimits) -> list[Path]:
    """Unpack a checked zip into `folder`, counting real bytes (headers can lie)."""
    members = check_zip(path, limits)
    out: list[Path] = []
    budget = limits.max_unpacked_bytes
    with zipfile.ZipFile(path) as archive:
        for member in members:
            if member.filename.startswith("__MACOSX/"):
                continue
            target = folder / safe_name(member.filename)
            with archive.open(member) as source, target.open("wb") as sink:
                while chunk := source.read(_CHUNK):
                    budget -= len(chunk)
                    if budget < 0:
                        raise UploadError(413, f"{path.name} unpacks to more than allowed")
                    sink.write(chunk)
            out.append(target)
    return out


def check_xlsx(path: Path, limits: UploadLimits) -> None:
    """Refuse formulas (values must be typed, not computed) and giant sheets."""
    members = check_zip(path, limits)
    with zipfile.ZipFile(path) as archive:
        for member in members:
            if not member.filename.startswith("xl/worksheets/sheet"):
                continue
            head = b""
            with archive.open(member) as stream:
                head = stream.read(4096)
                match = _DIMENSION.search(head)
                if match:
                    _check_dimension(path, member.filename, match, limits)
                if _FORMULA.search(head) or _contains(stream, _FORMULA, head[-8:]):
                    raise UploadError(
                        422, f"{path.name}: {member.filename} contains formulas; paste values"
                    )


def _check_dimension(path: Path, sheet: str, match: re.Match[bytes], limits: UploadLimits) -> None:
    rows = int(match["row"])
    columns = 0
    for char in match["col"].decode():
        columns = columns * 26 + ord(char) - 64
    if rows > limits.max_sheet_rows or columns > limits.max_sheet_columns:
        raise UploadError(413, f"{path.name}: {sheet} spans {rows} rows x {columns} columns")


def _contains(stream: IO[bytes], pattern: re.Pattern[bytes], carry: bytes) -> bool:
    while chunk := stream.read(_CHUNK):
        if pattern.search(carry + chunk):
            return True
        carry = chunk[-8:]
    return False


def json_depth_exceeds(path: Path, limit: int) -> bool:
    """True when brackets nest deeper than `limit` (strings skipped), read as a stream."""
    depth = 0
    in_string = escaped = False
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            for byte in chunk:
                if in_string:
                    if escaped:
                        escaped = False
                    elif byte == 0x5C:
                        escaped = True
                    elif byte == 0x22:
                        in_string = False
                elif byte == 0x22:
                    in_string = True
                elif byte in (0x5B, 0x7B):
                    depth += 1
                    if depth > limit:
                        return True
                elif byte in (0x5D, 0x7D):
                    depth -= 1
    return False


def check_hdf5(path: Path, limits: UploadLimits) -> None:
    """Refuse datasets whose declared shape is absurd (the header alone is read)."""
    import h5py

    too_big: list[str] = []

    def visit(name: str, item: object) -> None:
        if isinstance(item, h5py.Dataset) and item.size > limits.max_hdf5_elements:
            too_big.append(f"/{name} {item.shape}")

    try:
        with h5py.File(path, "r") as handle:
            handle.visititems(visit)
    except OSError as error:
        raise UploadError(422, f"{path.name} is not a readable HDF5 file") from error
    if too_big:
        raise UploadError(422, f"{path.name}: datasets with absurd dimensions: {too_big[0]}")


def check_file(path: Path, limits: UploadLimits) -> None:
    """The content checks that fit the file's kind (by name)."""
    name = path.name.lower()
    if name.endswith(".xlsx"):
        check_xlsx(path, limits)
    elif name.endswith((".json", ".jsonld")) and json_depth_exceeds(path, limits.max_json_depth):
        raise UploadError(422, f"{path.name} nests deeper than {limits.max_json_depth} levels")
    elif name.endswith((".h5", ".hdf5", ".bd5")):
        check_hdf5(path, limits)


def receive(
    uploads: Iterable[tuple[str, BinaryIO]], folder: Path, limits: UploadLimits
) -> list[Path]:
    """Save uploads into `folder`, unpack zips, check every file; the paths to read."""
    paths: list[Path] = []
    for name, stream in uploads:
        target = folder / safe_name(name)
        save_stream(stream, target, limits)
        if target.suffix.lower() == ".zip":
            inner = folder / f"{target.stem}_unzipped"
            inner.mkdir()
            paths.extend(unpack_zip(target, inner, limits))
            target.unlink()
        else:
            paths.append(target)
    if not paths:
        raise UploadError(422, "no file was uploaded")
    for path in paths:
        check_file(path, limits)
    return paths


def discard(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
