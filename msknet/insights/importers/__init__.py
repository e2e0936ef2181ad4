"""Reading indicator files: Fingertips exports and msknet's local CSV.

`read_fingertips` / `read_local` turn text into rows and problems without
touching the database; `loading.resolve` checks the rows against it and
`loading.apply` writes them. `msknet.insights.actions.import_file` runs the
whole thing for one file and records it as an ImportRun.
"""

from .fingertips import read_fingertips
from .local import read_local
from .rows import ParsedFile, Problem

__all__ = ["ParsedFile", "Problem", "read_fingertips", "read_local"]
