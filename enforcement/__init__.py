"""Enforcement: cases, decisions with due process, compulsory measures, criminal
transfer, accidents. One sub-package per sub-domain (docs/architecture.md)."""
