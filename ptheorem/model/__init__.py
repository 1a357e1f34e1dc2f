"""The data model every layer shares: the network spec, result types and the one status
vocabulary, the paper's claims, the exception hierarchy and the exit codes.  No sympy,
numpy, typer or rich here."""
