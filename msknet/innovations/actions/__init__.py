"""Writes for innovations, one module per screen family.

`stages` moves an innovation through triage and tells its followers; the
record, screening and adoption modules build on it.
"""
