"""The package version and the version of its JSON output (docs/json-schema.md)."""

__all__ = ["__version__", "SCHEMA_VERSION"]

__version__ = "0.1.0"

#: Version of the JSON documents the commands print; raised whenever a field changes meaning or goes away.
SCHEMA_VERSION = 1
