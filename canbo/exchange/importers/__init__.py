"""The registry of importable kinds; importing this package registers the built-in ones."""

from . import assignments, people, units  # noqa: E402, F401  (registers the built-in kinds)
from .base import REGISTRY, Importer, importer_for, register, registered

__all__ = ["REGISTRY", "Importer", "importer_for", "register", "registered"]
