"""Admin registrations live in the sub-packages; Django looks here."""

# ruff: noqa: F401

from enforcement.grounds import admin as grounds_admin
