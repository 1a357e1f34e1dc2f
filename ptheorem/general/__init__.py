"""The general theorem, proved once for every dimension and width (symbolic sizes).

:mod:`.network` is the indexed ψ, :mod:`.rules` the named inference rules (each
checks its pattern and can refuse), :mod:`.proof` the proof objects (explicit
depths and the induction step), :mod:`.instances` its constraints at concrete sizes.
"""
