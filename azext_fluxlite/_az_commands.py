"""Helpers shared by the per-capability command tables."""
from azure.cli.core.commands import CliCommandType


def custom_type(module):
    """The command type whose functions live in `azext_fluxlite.<module>`."""
    return CliCommandType(operations_tmpl="azext_fluxlite.{}#{{}}".format(module))
