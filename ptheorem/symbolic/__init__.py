"""The proof for one concrete configuration, in sympy only.

:mod:`.network` builds ψ and its layer Jacobians, :mod:`.derive` reads off the
constraints, :mod:`.solve` finds the tying S, Eq. 8 and the rank, :mod:`.certify`
substitutes the solution family back (sufficiency and φ), :mod:`.check` gives the
verdict; :mod:`.naming`, :mod:`.printing`, :mod:`.sparse`, :mod:`.monomials`,
:mod:`.minors`, :mod:`.shared` and :mod:`.cost` are its helpers.
"""
