"""Admin registrations live in the sub-packages; Django looks here."""

# ruff: noqa: F401

from credit.ratings import admin as ratings_admin
