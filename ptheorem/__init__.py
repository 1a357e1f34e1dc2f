"""ptheorem: a mechanical checker for Saremi (2019), "On approximating ∇f with neural networks".

The Python API returns the same frozen result objects the CLI renders
(``ptheorem check``, ``audit``, ``search`` are thin layers over these functions):

* :func:`check` — one architecture: the symbolic proof (or numeric evidence) →
  :class:`~ptheorem.model.result.CheckResult`;
* :func:`audit` — one concrete network (a file, a state_dict, a torch module, a
  list of weight matrices) → :class:`~ptheorem.audit.report.AuditReport`;
* :func:`require` — an audit's curl-free finding as a gate →
  :class:`~ptheorem.audit.require.RequirementResult` (``.exit_code``);
* :func:`search` — a counterexample search →
  :class:`~ptheorem.counterexamples.search.core.SearchResult`;
* :func:`load` — read a network file into a
  :class:`~ptheorem.numeric.network.ConcreteNetwork`.

Every function imports its machinery on first call, so ``import ptheorem`` is cheap.

>>> import numpy as np, ptheorem
>>> w0 = np.array([[1.0, 2.0], [-0.5, -1.0]])  # input rows on the line of u = (1, 2)
>>> w1 = np.array([[0.5, 3.0], [1.0, 6.0]])    # output columns on it too
>>> report = ptheorem.audit([w0, w1], activation="tanh")
>>> report.curl_free.status.value, report.curl_free.evidence, report.verdict.status.value
('curl-free', 'exact', 'proved')
>>> ptheorem.require(report, "curl-free").exit_code
<ExitCode.OK: 0>
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ptheorem.model.version import __version__

# The subpackage ptheorem.audit is loaded (cheaply: its names are lazy) before the
# callable ``audit`` below is bound, so the callable keeps the name (the import system
# sets a package attribute only when it first loads the subpackage), and the callable
# forwards attribute access to the subpackage (:class:`AuditFunction`).
importlib.import_module("ptheorem.audit")

if TYPE_CHECKING:
    from ptheorem.audit.report import AuditReport
    from ptheorem.audit.require import RequirementResult
    from ptheorem.counterexamples.search.core import SearchResult
    from ptheorem.model.result import CheckResult
    from ptheorem.numeric.network import ConcreteNetwork

__all__ = [
    "AuditFunction",
    "__version__",
    "as_network",
    "audit",
    "check",
    "load",
    "require",
    "search",
]

#: ``progress(stage, done, total)``: called as a long stage advances (see :func:`audit`).
Progress = Callable[[str, int, int], None]
#: What :func:`audit` accepts as a network.
NetworkLike = Any


def check(
    depth: int,
    dim: int,
    widths: int | Sequence[int] | str | None = None,
    *,
    bias: bool = False,
    activation: str = "generic",
    method: str = "auto",
    timeout: float = 60.0,
    seed: int = 0,
    points: int | None = None,
    mask: str | None = None,
) -> CheckResult:
    """Check Theorem 5 for one architecture, as ``ptheorem check`` does.

    ``widths``: one int for every hidden layer, a sequence, or ``"4,3"``; default d.
    ``method``: ``auto``, ``symbolic`` or ``numeric``; ``mask``: ``blocks:K`` or a file.
    Raises :class:`~ptheorem.model.errors.InputError` on bad input.
    """
    from ptheorem.activations import get_activation
    from ptheorem.model.errors import InputError
    from ptheorem.model.spec import GENERIC_ACTIVATION, NetworkSpec, parse_widths
    from ptheorem.run.check import Method, run_check

    try:
        chosen = Method(method)
    except ValueError:
        raise InputError(f"method must be symbolic, numeric or auto (got {method!r})") from None
    if activation != GENERIC_ACTIVATION:
        activation = str(get_activation(activation).spec)
    text = widths if widths is None or isinstance(widths, str) else _widths_text(widths)
    sizes = parse_widths(text, depth, dim) if depth >= 1 else ()
    spec = NetworkSpec(depth, dim, sizes, bias, activation)
    parsed = None
    if mask is not None:
        from ptheorem.io.mask import parse_mask

        parsed = parse_mask(mask, spec)
    return run_check(spec, chosen, timeout, seed, points, 0, parsed)


def _widths_text(widths: int | Sequence[int]) -> str:
    return str(widths) if isinstance(widths, int) else ",".join(str(int(w)) for w in widths)


def load(
    path: str | Path, activation: str | None = None, layers: str | None = None
) -> ConcreteNetwork:
    """Read a network file (.npz, .json, .safetensors, .pt, .pth) as data, never as code."""
    from ptheorem.io.netfile import load_network

    return load_network(path, activation, layers)


def as_network(
    network: NetworkLike, activation: str | None = None, layers: str | None = None
) -> ConcreteNetwork:
    """A :class:`ConcreteNetwork` from a path, a state_dict, a torch module or weight matrices.

    A sequence of 2-D arrays is read as the weights W0 … W{L−1} in torch
    ``Linear.weight`` shape (out, in), without biases; pass a state_dict for biases.
    """
    from ptheorem.model.errors import InputError
    from ptheorem.numeric.network import ConcreteNetwork

    if isinstance(network, ConcreteNetwork):
        if activation is None:
            return network
        from ptheorem.activations import get_activation

        return ConcreteNetwork(network.weights, network.biases, get_activation(activation))
    if isinstance(network, str | Path):
        return load(network, activation, layers)
    state = network.state_dict() if callable(getattr(network, "state_dict", None)) else network
    if activation is None:
        raise InputError("activation is required for in-memory weights (e.g. activation='tanh')")
    from ptheorem.io.layers import state_to_network, tensor_array

    if isinstance(state, Mapping):
        return state_to_network(state, activation, layers)
    if isinstance(state, Sequence) and not isinstance(state, str | bytes):
        named = {f"{k}.weight": tensor_array(_array(w)) for k, w in enumerate(state)}
        return state_to_network(named, activation, layers)
    raise InputError(
        f"cannot audit a {type(network).__name__}: pass a path, a state_dict, a torch "
        "module, a ConcreteNetwork or a list of weight matrices"
    )


def _array(value: Any) -> Any:
    if hasattr(value, "detach"):
        return value
    import numpy as np

    return np.asarray(value, dtype=np.float64)


class AuditFunction:
    """The type of :func:`ptheorem.audit`: a typed function that is also the subpackage's namespace.

    ``ptheorem.audit`` names both the API function and the subpackage
    :mod:`ptheorem.audit`; calling it audits a network, and attribute access
    (``ptheorem.audit.core``, ``import ptheorem.audit.report as r``) reaches the
    subpackage, so neither shadows the other.
    """

    def __call__(
        self,
        network: NetworkLike,
        *,
        activation: str | None = None,
        layers: str | None = None,
        points: int = 512,
        seed: int = 0,
        max_paths: int = 256,
        exact: bool = True,
        threads: int | None = None,
        progress: Progress | None = None,
    ) -> AuditReport:
        """Audit one concrete network, as ``ptheorem audit`` does; returns the frozen report.

        ``network``: a file path, a state_dict (numpy arrays or torch tensors), a torch
        module (its ``state_dict()``), a :class:`ConcreteNetwork`, or a sequence of
        weight matrices (out, in).  ``activation`` (``NAME[:beta]``) names σ (it
        overrides a file's); ``layers`` picks a checkpoint's Linear layers (names or
        globs); ``threads`` sets the BLAS threads for the call (default: leave them
        as they are); ``progress(stage, done, total)`` is called as stages
        start and advance.
        """
        from ptheorem.audit.core import run_audit

        net = as_network(network, activation, layers)
        return run_audit(
            net,
            points=points,
            seed=seed,
            max_paths=max_paths,
            exact=exact,
            threads=threads,
            progress=progress,
        )

    def __getattr__(self, name: str) -> Any:
        return getattr(importlib.import_module("ptheorem.audit"), name)

    def __repr__(self) -> str:
        return "<function ptheorem.audit>"


#: Audit one concrete network (see :meth:`AuditFunction.__call__`).
audit = AuditFunction()


def require(
    report: AuditReport, requirement: str, accept_evidence: bool = False
) -> RequirementResult:
    """Judge ``curl-free`` / ``not-curl-free`` on an audit (``.status``, ``.exit_code``)."""
    from ptheorem.audit.require import judge

    return judge(report, requirement, accept_evidence)


def search(
    depth: int,
    dim: int,
    activation: str,
    *,
    widths: int | Sequence[int] | str | None = None,
    mask: str | None = None,
    restarts: int = 16,
    seed: int = 0,
    min_angle: float = 10.0,
    dense_min: float = 0.25,
    max_weight: float = 2.0,
    progress: Callable[[int, int, float], None] | None = None,
) -> SearchResult:
    """Search for a curl-free ψ with non-parallel input weights, as ``ptheorem search`` does.

    ``progress(done, total, best_root)`` is called after each restart.
    """
    from ptheorem.counterexamples.search.core import run_search, search_config, search_spec

    text = widths if widths is None or isinstance(widths, str) else _widths_text(widths)
    spec = search_spec(depth, dim, text, activation)
    config = search_config(
        spec,
        mask,
        restarts=restarts,
        seed=seed,
        min_angle=min_angle,
        dense_min=dense_min,
        max_weight=max_weight,
    )
    return run_search(config, progress)
