"""Independent oracles the tests compare ptheorem against (never imported by the package)."""
