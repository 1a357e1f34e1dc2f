"""ptheorem: a mechanical checker for Saremi (2019), "On approximating ∇f with neural networks"."""

from __future__ import annotations

from ptheorem.model.version import __version__

__all__ = ["__version__"]
