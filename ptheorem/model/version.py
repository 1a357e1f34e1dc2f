"""The version of ptheorem (read by the build from here, shown by ``--version`` and in JSON)."""

__version__ = "0.1.0"
