"""Numeric engine: concrete ψ networks, exact Jacobians and the numeric checks (numpy only).

Every result here is numeric (float64) and says so, with the tolerance it used.
"""

from __future__ import annotations

from ptheorem.activations import (
    ACTIVATIONS,
    DEFAULT_SWISH_BETA,
    RANDOM_BETA_RANGE,
    Activation,
    ActivationFactory,
    ActivationKind,
    get_activation,
    known_activations,
    random_smooth_activation,
    register_activation,
)
from ptheorem.numeric.families import parallel_network, tied_network
from ptheorem.numeric.metrics import AsymmetryReport, asymmetry, sample_points
from ptheorem.numeric.network import DEFAULT_CHUNK_ELEMENTS, ConcreteNetwork
from ptheorem.numeric.nullspace import (
    DEFAULT_MAX_UNKNOWNS,
    DEFAULT_NULLSPACE_RTOL,
    NullspaceReport,
    TyingFit,
    min_nullspace_points,
    output_nullspace,
)
from ptheorem.numeric.paths import (
    DEFAULT_MAX_PATHS,
    PATH_RANK_FACTOR,
    PathRankReport,
    all_paths,
    default_path_rtol,
    path_count,
    path_function_matrix,
    path_rank,
    path_weights,
    sample_paths,
)

__all__ = [
    "ACTIVATIONS",
    "DEFAULT_CHUNK_ELEMENTS",
    "DEFAULT_MAX_PATHS",
    "DEFAULT_MAX_UNKNOWNS",
    "DEFAULT_NULLSPACE_RTOL",
    "DEFAULT_SWISH_BETA",
    "PATH_RANK_FACTOR",
    "RANDOM_BETA_RANGE",
    "Activation",
    "ActivationFactory",
    "ActivationKind",
    "AsymmetryReport",
    "ConcreteNetwork",
    "NullspaceReport",
    "PathRankReport",
    "TyingFit",
    "all_paths",
    "asymmetry",
    "default_path_rtol",
    "get_activation",
    "known_activations",
    "min_nullspace_points",
    "output_nullspace",
    "parallel_network",
    "path_count",
    "path_function_matrix",
    "path_rank",
    "path_weights",
    "random_smooth_activation",
    "sample_points",
    "register_activation",
    "sample_paths",
    "tied_network",
]
