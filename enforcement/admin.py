"""Admin registrations live in the sub-packages; Django looks here."""

# ruff: noqa: F401

from enforcement.disclosure import admin as disclosure_admin
from enforcement.grounds import admin as grounds_admin
