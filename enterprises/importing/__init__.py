"""Bulk import of the registry from .xlsx / .csv: store, read, validate, commit.

Flow: an upload is checked and stored (storage), recorded as an ImportJob in mode
"dry_run" and run (jobs): every row is read (reading) and validated (validation), and
the errors are stored in Chinese on the job. Committing creates a second job (mode
"all" or "valid_only") on the same stored file; the commit re-reads and re-validates
the file (the registry may have changed since the dry run) and writes everything in
ONE transaction (committing). The pages are views/urls; the template's columns are
columns; the two kinds of failure (whole file, one cell) are errors.

Import the module you need (``from enterprises.importing import jobs``); this package
deliberately re-exports nothing.
"""
