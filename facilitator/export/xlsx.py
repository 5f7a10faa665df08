"""The derived tables as one xlsx workbook (xlsxwriter): a sheet per table, so a
spreadsheet user never meets an import dialog.

Text is written as text (never a formula, whatever it starts with), numbers as
numbers, timestamps as dates (UTC), the header row frozen with a filter. A table
longer than a sheet (1,048,576 rows) continues on "name (2)", "name (3)"...
constant_memory keeps memory flat: rows are flushed as they are written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from facilitator.export.files import ExportFiles
from facilitator.export.tables import Table
from facilitator.models.store import SessionStore

Tick = Callable[[int], None]
XLSX_NAME = "session.xlsx"
MAX_ROWS = 1_048_576


def as_datetime(text: str) -> datetime | None:
    """An ISO 8601 timestamp as a naive UTC datetime (what a spreadsheet shows)."""
    try:
        when = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is not None:
        when = when.astimezone(timezone.utc).replace(tzinfo=None)
    return when


def write_xlsx(files: ExportFiles, tables: list[Table], store: SessionStore, title: str,
               tick: Tick, rows_per_sheet: int = MAX_ROWS) -> None:
    import xlsxwriter

    temp = files.temp_path(XLSX_NAME)
    book = xlsxwriter.Workbook(str(temp), {"constant_memory": True,
                                           "strings_to_formulas": False,
                                           "strings_to_numbers": False,
                                           "strings_to_urls": False})
    try:
        book.set_properties({"title": title, "comments": "Exported by facilitator"})
        bold = book.add_format({"bold": True})
        date = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        for table in tables:
            _write_table(book, table, store, bold, date, tick, rows_per_sheet)
    finally:
        book.close()


def _write_table(book, table: Table, store: SessionStore, bold, date, tick: Tick,  # type: ignore[no-untyped-def]
                 rows_per_sheet: int) -> None:
    columns = table.columns
    kinds = ["time" if c in table.times else "text" if c in table.texts else "value"
             for c in columns]
    sheet_number = 0
    sheet = None
    row_at = rows_per_sheet  # start a sheet at once

    def new_sheet():  # type: ignore[no-untyped-def]
        nonlocal sheet_number
        sheet_number += 1
        name = table.name[:25] if sheet_number == 1 else f"{table.name[:25]} ({sheet_number})"
        ws = book.add_worksheet(name)
        for index, column in enumerate(columns):
            width = 20 if kinds[index] == "time" else min(40, max(10, len(column) + 2))
            ws.set_column(index, index, width)
        ws.write_row(0, 0, columns, bold)
        ws.freeze_panes(1, 0)
        return ws

    written_on_sheet = 0
    for chunk in table.raw_chunks(store):
        for row in chunk:
            if row_at >= rows_per_sheet:
                if sheet is not None:
                    sheet.autofilter(0, 0, written_on_sheet, len(columns) - 1)
                sheet = new_sheet()
                row_at, written_on_sheet = 1, 0
            for col, value in enumerate(row):
                if value is None or value == "":
                    continue
                kind = kinds[col]
                if kind == "time" and isinstance(value, str):
                    when = as_datetime(value)
                    if when is not None:
                        sheet.write_datetime(row_at, col, when, date)  # type: ignore[union-attr]
                        continue
                if isinstance(value, bool):
                    sheet.write_boolean(row_at, col, value)  # type: ignore[union-attr]
                elif isinstance(value, (int, float)) and kind != "text":
                    sheet.write_number(row_at, col, value)  # type: ignore[union-attr]
                else:
                    sheet.write_string(row_at, col, str(value))  # type: ignore[union-attr]
            row_at += 1
            written_on_sheet += 1
        tick(len(chunk))
    if sheet is None:
        sheet = new_sheet()
    sheet.autofilter(0, 0, max(written_on_sheet, 1), len(columns) - 1)
