"""Zip archives whose entry inflates a thousandfold ("zip bombs"), built without ever holding the
inflated bytes: a deflate stream of zeros flushed every MiB repeats the same 1 KB block."""

import functools
import struct
import zlib

MIB = 1 << 20
GIB = 1 << 30


@functools.cache
def _zeros_deflated(size: int) -> tuple[bytes, int]:
    """A raw deflate stream of `size` zero bytes (a whole number of MiB), and their CRC-32."""
    chunk = bytes(MIB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    count = size // MIB
    stream = block + again * (count - 1) + compressor.flush()
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    return stream, crc


def zip_with_bomb(bomb: str, *, others: dict[str, bytes], size: int = GIB, declared: int | None = None) -> bytes:
    """A valid zip archive: the small entries `others` (stored), then `bomb`, deflated, which
    inflates to `size` zero bytes; with `declared`, its directory lies that it holds that many."""
    entries = [(name, data, data, zlib.crc32(data), 0) for name, data in others.items()]
    stream, crc = _zeros_deflated(size)
    entries.append((bomb, stream, None, crc, 8))
    local, central = b"", b""
    for name, data, raw, crc, method in entries:
        encoded = name.encode()
        unpacked = len(raw) if raw is not None else size if declared is None else declared
        offset = len(local)
        local += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(data), unpacked, len(encoded), 0
        )
        local += encoded + data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            method,
            0,
            0x21,
            crc,
            len(data),
            unpacked,
            len(encoded),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), len(local), 0)
    return local + central + end


ODT_TYPE = b"application/vnd.oasis.opendocument.text"
BOMBS = {
    # The ODT's mimetype entry is the one the check reads.
    "report.odt": ("mimetype", {"content.xml": b"<office:document-content/>"}),
    "report.docx": ("word/document.xml", {"[Content_Types].xml": b"<Types/>"}),
    "report.xlsx": ("xl/worksheets/sheet1.xml", {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>"}),
}
