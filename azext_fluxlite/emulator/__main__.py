"""`python -m azext_fluxlite.emulator start|env|login` (see cli.py)."""
import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
