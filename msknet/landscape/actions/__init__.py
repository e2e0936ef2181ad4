"""Writes for the landscape, one module per screen family.

`common` holds the refusal every action raises; `services` adds, edits,
withdraws and restores services and records their dated figures.
"""
