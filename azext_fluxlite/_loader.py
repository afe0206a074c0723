"""The az command loader: az builds fluxlite's command table and arguments through it."""
from azure.cli.core import AzCommandsLoader

from azext_fluxlite._help import helps  # pylint: disable=unused-import  # noqa: F401


class FluxliteCommandsLoader(AzCommandsLoader):
    # az's command index records the loader's module as the extension's module to import; it must
    # be the package az imports (this class is only reached through azext_fluxlite.COMMAND_LOADER_CLS).
    __module__ = "azext_fluxlite"

    def __init__(self, cli_ctx=None):
        from azure.cli.core.commands import CliCommandType
        custom = CliCommandType(operations_tmpl="azext_fluxlite.flux.custom#{}")
        super().__init__(cli_ctx=cli_ctx, custom_command_type=custom)
        from azext_fluxlite import _az_defaults, _az_errors
        _az_errors.install(cli_ctx)
        _az_defaults.install(cli_ctx)

    def load_command_table(self, args):
        from azext_fluxlite.commands import load_command_table
        load_command_table(self, args)
        return self.command_table

    def load_arguments(self, command):
        from azext_fluxlite._params import load_arguments
        load_arguments(self, command)


