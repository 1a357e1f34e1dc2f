"""``python -m ptheorem``."""

from ptheorem.cli import app

if __name__ == "__main__":
    app()
