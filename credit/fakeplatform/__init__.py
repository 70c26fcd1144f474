"""A fake credit platform for development and tests (no Django: stdlib only)."""
