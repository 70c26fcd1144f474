"""Enterprise safety credit: violation records, integrity ratings, the blacklist and
the pushes to the credit platforms (one sub-package per sub-domain)."""
