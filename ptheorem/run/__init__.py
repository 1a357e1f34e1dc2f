"""Running checks: method choice and budgets, grids and sweeps, golden-file comparison."""
