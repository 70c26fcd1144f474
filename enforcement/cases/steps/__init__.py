"""The case steps, one module per stage of the procedure (see services.py)."""
