"""Help texts: one module per resource, collected here for az."""
# pylint: disable=unused-import
from knack.help_files import helps  # noqa: F401

from azext_fluxlite import _help_flux  # noqa: F401
from azext_fluxlite import _help_extension  # noqa: F401
from azext_fluxlite import _help_emulator  # noqa: F401
from azext_fluxlite import _help_export  # noqa: F401
