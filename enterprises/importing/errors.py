"""The two ways an import goes wrong: the whole file, or one cell of one row.

ImportFileError refuses the file: at upload it is the form's error (HTTP 400); during
a job it ends the job as failed with its Chinese detail as the reason. RowError is
collected per cell and shown in the job's error table, while the other rows of the
file still count (and may be imported with "valid rows only").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hangzhou_safety.api.errors import InvalidInput


class ImportFileError(InvalidInput):
    """The file as a whole is unacceptable (type, size, encoding, headers, rows)."""

    code = "import_file_invalid"


@dataclass
class RowError:
    row: int  # as the user sees it in the sheet (header row included)
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "message": self.message}
