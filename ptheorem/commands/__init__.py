"""One module per ``ptheorem`` subcommand; each defines ``register(app)``.

Modules import only typer at the top; the core, sympy, numpy and rich are
imported inside the command functions, so ``ptheorem --help`` stays fast.
"""
