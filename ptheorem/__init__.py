"""ptheorem: a mechanical checker for Saremi (2019), "On approximating ∇f with neural networks"."""

from __future__ import annotations

__version__ = "0.1.0"
