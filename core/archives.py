"""Zip archives from outside (DOCX, XLSX and ODT uploads, spreadsheet imports), opened with care.

A zip entry can inflate a thousandfold: a 1 MB upload may hold a 1 GiB entry (a "zip bomb").
Before anything reads an entry, `zip_names` checks the archive's directory: at most MAX_ENTRIES
entries and MAX_UNCOMPRESSED_BYTES declared in all. Python's zipfile never inflates an entry past
the size its directory declares, so that check also bounds whatever reads the archive later
(openpyxl's streaming reader); and a check that needs an entry's content reads only its first
bytes (`zip_entry_head`)."""

import zipfile
import zlib

from django.template.defaultfilters import filesizeformat

# A 25 MB office document of text and pictures unpacks to well under this; a spreadsheet import
# (10 MB at most) of 50,000 rows too.
MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
MAX_ENTRIES = 5000
HEAD_BYTES = 512


class UnsafeArchive(ValueError):
    """The archive's directory declares more than any real document holds; the message says what."""


def zip_names(upload) -> set[str] | None:
    """The names of the archive's entries, None when it is not a zip archive; UnsafeArchive when it
    declares too many entries or too many bytes unpacked. Reads the directory only."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    if len(entries) > MAX_ENTRIES:
        raise UnsafeArchive(f"it holds {len(entries):,} files; a document holds at most {MAX_ENTRIES:,}")
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNCOMPRESSED_BYTES:
        raise UnsafeArchive(
            f"it would unpack to {filesizeformat(unpacked)}; a document unpacks to at most "
            f"{filesizeformat(MAX_UNCOMPRESSED_BYTES)}"
        )
    return {entry.filename for entry in entries}


def zip_entry_head(upload, name: str, *, size: int = HEAD_BYTES) -> bytes:
    """The first `size` bytes of one entry, inflated no further; b"" when it cannot be read."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive, archive.open(name) as entry:
            return entry.read(size)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError, NotImplementedError, RuntimeError, zlib.error):
        return b""
