"""cvcomply: screen vehicle programs against the US Connected Vehicles rule (15 CFR 791 subpart D)."""

__version__ = "0.1.0"
