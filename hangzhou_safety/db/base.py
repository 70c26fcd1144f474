"""PostgreSQL backend that creates test databases with a UTF-8 character type.

pg_trgm extracts no trigrams from Chinese text when LC_CTYPE is "C", so a test
database cloned from a C-locale template1 would silently break search tests.
Django's TEST settings can pick the template and encoding but not the locale.
"""

from django.db.backends.postgresql import base
from django.db.backends.postgresql.creation import DatabaseCreation as PgCreation

TEST_LOCALE = "C.UTF-8"


class DatabaseCreation(PgCreation):
    def sql_table_creation_suffix(self) -> str:
        suffix = super().sql_table_creation_suffix()
        # Locale options require template0 (other templates may carry another locale).
        if "TEMPLATE" not in suffix:
            suffix += " TEMPLATE template0"
        return f"{suffix} LC_COLLATE '{TEST_LOCALE}' LC_CTYPE '{TEST_LOCALE}'"


class DatabaseWrapper(base.DatabaseWrapper):
    creation_class = DatabaseCreation
