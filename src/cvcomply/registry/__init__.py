"""The entity graph: entities merged across sources by identifiers, holdings with dates and provenance."""

from cvcomply.registry.graph import Registry

__all__ = ["Registry"]
