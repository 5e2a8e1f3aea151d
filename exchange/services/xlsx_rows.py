"""An XLSX workbook's first sheet, read a row at a time (openpyxl's read-only mode), for imports.

The archive is checked first (core.archives: what it would unpack to), and the sheet's size is read
only from its head, so that time and memory go with the rows actually read, not with the file."""

# openpyxl's read-only sheet has attributes its type stubs do not declare.
# mypy: disable-error-code="attr-defined,var-annotated"

from collections.abc import Generator

import openpyxl.reader.excel
from openpyxl import load_workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.functions import iterparse

from core.archives import zip_names


class _ReadOnlySheet(ReadOnlyWorksheet):
    """openpyxl's read-only sheet, except that it looks for the sheet's size (<dimension>) only before
    its rows, where the schema puts it: openpyxl reads a sheet without one to the end of its rows
    first, keeping an element for each row, which for 300,000 rows took seconds and tens of MB."""

    def _get_size(self):
        source = self._get_source()
        try:
            for _event, element in iterparse(source, events=("start",)):
                if element.tag == DIMENSION_TAG:
                    boundaries = SheetDimension(ref=element.get("ref")).boundaries
                    self._min_column, self._min_row, self._max_column, self._max_row = boundaries
                    return
                if element.tag == DATA_TAG:
                    return
        finally:
            source.close()


# load_workbook(read_only=True) makes its sheets from this name.
setattr(openpyxl.reader.excel, "ReadOnlyWorksheet", _ReadOnlySheet)  # noqa: B010


def xlsx_rows(handle) -> Generator[list]:
    """The first sheet's rows, read as a stream (openpyxl's read-only mode): a row at a time."""
    if zip_names(handle) is None:  # UnsafeArchive when it would unpack to too much
        raise ValueError("it is not an Excel (XLSX) workbook")
    handle.seek(0)
    workbook = load_workbook(handle, read_only=True, data_only=True)
    try:
        sheet = workbook.active
        if sheet is None or not hasattr(sheet, "iter_rows"):
            raise ValueError("its first sheet holds no cells")
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()
