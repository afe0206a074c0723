"""Help texts: one module per resource, collected here for az."""
# pylint: disable=unused-import
from knack.help_files import helps  # noqa: F401

from azext_fluxlite.flux import help as _help_flux  # noqa: F401
from azext_fluxlite.extension import help as _help_extension  # noqa: F401
from azext_fluxlite.emulator import help as _help_emulator  # noqa: F401
from azext_fluxlite.flux.export import help as _help_export  # noqa: F401
from azext_fluxlite.fleet import help as _help_fleet  # noqa: F401
