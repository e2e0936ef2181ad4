"""Writes for surveys, one module per screen family.

`common` holds the `Refused` error every action raises for a request it
cannot do; `building` makes surveys, their sections and questions, and opens
and closes them.
"""
