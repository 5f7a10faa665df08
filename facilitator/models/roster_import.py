"""Reading a roster from CSV (UTF-8, with or without BOM) or YAML.

Every problem is reported with file and line; callers write nothing unless the
whole file is good."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from facilitator.models.cells import restore
from facilitator.models.roster import clean_name
from facilitator.models.store import SessionError
from facilitator.models.text import SAVE_AS_CSV_UTF8, problems_error, read_text_file, visible
from facilitator.models.yaml_lines import Mapping, line_of, load_yaml

RosterEntry = tuple[str, dict[str, object]]
ENTRY_KEYS = {"name", "tags"}


def _fail(problems: list[str]) -> None:
    if problems:
        raise problems_error(problems, "nothing was changed")


def _check_names(entries: list[tuple[int, str, dict[str, object]]], label: str,
                 problems: list[str]) -> list[RosterEntry]:
    seen: dict[str, int] = {}
    out: list[RosterEntry] = []
    for line, raw, tags in entries:
        try:
            name = clean_name(raw)
        except SessionError as error:
            problems.append(f"{label} line {line}: {error}")
            continue
        key = name.lower()
        if key in seen:
            problems.append(f"{label} line {line}: {name} is already on line {seen[key]}.")
            continue
        seen[key] = line
        out.append((name, tags))
    return out


def read_roster_csv(path: Path) -> list[RosterEntry]:
    """A column 'name' (any case); every other column becomes a tag. Reads back the
    roster.csv that `facilitator export` writes (neutralised cells restored)."""
    label = visible(path.name)
    text = read_text_file(path, not_utf8_hint=SAVE_AS_CSV_UTF8)
    # newline="": the csv module splits rows itself, at \n and \r only (str.splitlines
    # would also split at U+2028 and U+2029 inside a cell); a quoted line break stays.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise SessionError(f"{label} is empty.") from None
    columns = [restore(h.strip()) for h in header]
    lowered = [c.lower() for c in columns]
    if "name" not in lowered:
        raise SessionError(f"{label} line 1: there is no 'name' column.")
    name_at = lowered.index("name")
    entries = []
    problems: list[str] = []
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(columns):
                problems.append(f"{label} line {line}: {len(row)} cells but {len(columns)} columns.")
                continue
            row = row + [""] * (len(columns) - len(row))
            # Cells an export neutralised for spreadsheets get their value back.
            tags = {columns[i]: restore(row[i].strip()) for i in range(len(columns))
                    if i != name_at and columns[i] and row[i].strip()}
            entries.append((line, restore(row[name_at].strip()), tags))
    except csv.Error as error:
        raise SessionError(f"{label} line {reader.line_num}: {visible(str(error))}; "
                           "nothing was changed.") from None
    out = _check_names(entries, label, problems)
    _fail(problems)
    return out


def roster_from_yaml_data(data: Any, label: str, problems: list[str]) -> list[RosterEntry]:
    """Entries from a YAML list: plain names, or mappings with name and tags."""
    if not isinstance(data, list):
        problems.append(f"{label} line {line_of(data, 0, 1)}: the roster must be a list of people.")
        return []
    entries = []
    for index, item in enumerate(data):
        line = line_of(data, index)
        if isinstance(item, str):
            entries.append((line, item, {}))
        elif isinstance(item, Mapping):
            unknown = sorted(set(item) - ENTRY_KEYS)
            if unknown:
                problems.append(f"{label} line {line_of(item, unknown[0])}: unknown key "
                                f"{unknown[0]!r} (a person has name and tags).")
                continue
            tags = item.get("tags") or {}
            if not isinstance(tags, dict):
                problems.append(f"{label} line {line_of(item, 'tags')}: tags must be a mapping.")
                continue
            name = item.get("name")
            if not isinstance(name, (str, int)):
                problems.append(f"{label} line {line}: a person needs a name.")
                continue
            entries.append((line, str(name), dict(tags)))
        else:
            problems.append(f"{label} line {line}: a person is a name or a mapping with name and tags.")
    return _check_names(entries, label, problems)


def read_roster(path: str | Path) -> list[RosterEntry]:
    """Read a roster file, by extension: .csv, or .yaml/.yml."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        out = read_roster_csv(path)
    elif suffix in (".yaml", ".yml"):
        data = load_yaml(path)
        if isinstance(data, Mapping) and "roster" in data:
            data = data["roster"]
        problems: list[str] = []
        out = roster_from_yaml_data(data, visible(path.name), problems)
        _fail(problems)
    else:
        raise SessionError(f"{visible(path.name)}: a roster is a .csv or .yaml file.")
    if not out:
        raise SessionError(f"{visible(path.name)} has nobody in it (no names); nothing was changed.")
    return out
