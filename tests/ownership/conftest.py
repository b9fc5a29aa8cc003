"""Fixture strategy: every graph here is small, made by the project in the test itself, and labelled so.

Helpers build entities and holdings with short ids; ``AS_OF`` is the date every table is read at.
No third-party data is used by these tests.
"""
