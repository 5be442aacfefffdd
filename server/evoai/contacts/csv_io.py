"""Spreadsheets in and out, without the database: reading an uploaded CSV into validated rows and
writing export cells that a spreadsheet will not run as formulas."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from evoai.contacts import fields
from evoai.exceptions import ValidationFailed
from evoai.kit.text import fold

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
BOM = "\ufeff"
TAG_SEPARATOR = "|"
EXPORT_COLUMNS = (
    "name",
    "phoneNumber",
    "email",
    "tags",
    "stage",
    "funnel",
    "isBlocked",
    "createdAt",
    "lastActivityAt",
    "notes",
)
# Headers people write, folded (lower case, no accents, letters and digits only) → our field.
_ALIASES = {
    "name": "name",
    "nome": "name",
    "nomecompleto": "name",
    "phone": "phoneNumber",
    "phonenumber": "phoneNumber",
    "telefone": "phoneNumber",
    "celular": "phoneNumber",
    "whatsapp": "phoneNumber",
    "email": "email",
    "notes": "notes",
    "observacoes": "notes",
    "observacao": "notes",
    "tags": "tags",
}
# A cell starting with one of these is run as a formula by Excel, LibreOffice and Google Sheets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class CsvRejected(ValidationFailed):
    """The file as a whole cannot be read; per-row problems are reported per row instead."""

    def __init__(self, message: str) -> None:
        super().__init__(message, details=[{"field": "file", "code": "invalid_csv", "message": message}])


def safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_lines(rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


@dataclass
class ImportRow:
    line: int
    name: str | None
    phone_raw: str | None
    phone: str | None  # digits, when valid
    email: str | None
    notes: str | None
    tags: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass
class ParsedCsv:
    columns: list[str]
    rows: list[ImportRow]


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CsvRejected("Arquivo em UTF-16: salve a planilha como CSV UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in Windows-1252 (Latin-1 plus curly quotes); Latin-1 reads anything.
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    return text.replace("\x00", "")


def _delimiter(text: str) -> str:
    """',' or ';' (Brazilian Excel), whichever the header line has more of outside quotes."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {",": 0, ";": 0}
    quoted = False
    for char in first:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return ";" if counts[";"] > counts[","] else ","


def _header_field(cell: str) -> str | None:
    key = "".join(ch for ch in fold(cell.strip().lstrip(BOM)) if ch.isalnum())
    return _ALIASES.get(key)


def parse(data: bytes) -> ParsedCsv:
    if len(data) > MAX_BYTES:
        raise CsvRejected(f"O arquivo passa de {MAX_BYTES // (1024 * 1024)} MB")
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = next((row for row in reader if any(cell.strip() for cell in row)), None)
        if header is None:
            raise CsvRejected("O arquivo está vazio")
        positions: dict[str, int] = {}
        for index, cell in enumerate(header):
            name = _header_field(cell)
            if name and name not in positions:
                positions[name] = index
        if "phoneNumber" not in positions:
            raise CsvRejected(
                "Cabeçalho sem coluna de telefone: use phone, phoneNumber, telefone, celular ou whatsapp"
            )
        rows: list[ImportRow] = []
        while True:
            line = reader.line_num + 1  # where the next record starts (a quoted field may span lines)
            try:
                record = next(reader)
            except StopIteration:
                break
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) >= MAX_ROWS:
                raise CsvRejected(f"O arquivo tem mais de {MAX_ROWS} linhas de contatos")
            rows.append(_row(line, record, positions))
    except csv.Error as exc:
        raise CsvRejected(f"CSV malformado perto da linha {reader.line_num}: {exc}") from None
    ordered = sorted(positions, key=positions.__getitem__)
    return ParsedCsv(columns=ordered, rows=rows)


def _row(line: int, record: list[str], positions: dict[str, int]) -> ImportRow:
    def cell(name: str) -> str | None:
        index = positions.get(name)
        value = record[index].strip() if index is not None and index < len(record) else ""
        return value or None

    row = ImportRow(
        line=line,
        name=cell("name"),
        phone_raw=cell("phoneNumber"),
        phone=None,
        email=cell("email"),
        notes=cell("notes"),
    )
    problems: list[str] = []
    if row.phone_raw is None:
        problems.append("telefone ausente")
    else:
        row.phone = fields.phone_digits(row.phone_raw)
        if row.phone is None:
            problems.append(f"telefone inválido ({fields.PHONE_RULE})")
    try:
        row.email = fields.email_or_none(row.email)
    except ValueError as exc:
        problems.append(str(exc))
    if row.name and len(row.name) > fields.NAME_MAX:
        problems.append(f"nome com mais de {fields.NAME_MAX} caracteres")
    if row.notes and len(row.notes) > fields.NOTES_MAX:
        problems.append(f"observações com mais de {fields.NOTES_MAX} caracteres")
    tags = [name.strip() for name in (cell("tags") or "").split(TAG_SEPARATOR) if name.strip()]
    if any(len(name) > 100 for name in tags):
        problems.append("tag com mais de 100 caracteres")
    unique: dict[str, str] = {}
    for name in tags:
        unique.setdefault(name.lower(), name)
    row.tags = list(unique.values())
    if problems:
        joined = "; ".join(problems)
        row.error = joined[0].upper() + joined[1:]
    return row
