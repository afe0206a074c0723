"""Help texts (being written)."""
from knack.help_files import helps  # noqa: F401
