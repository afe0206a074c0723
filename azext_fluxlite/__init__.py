"""fluxlite: a drop-in replacement for `az k8s-configuration flux` and `az k8s-extension`."""
from azure.cli.core import AzCommandsLoader

from azext_fluxlite._help import helps  # pylint: disable=unused-import  # noqa: F401


class FluxliteCommandsLoader(AzCommandsLoader):

    def __init__(self, cli_ctx=None):
        from azure.cli.core.commands import CliCommandType
        custom = CliCommandType(operations_tmpl="azext_fluxlite.flux_custom#{}")
        super().__init__(cli_ctx=cli_ctx, custom_command_type=custom)

    def load_command_table(self, args):
        from azext_fluxlite.commands import load_command_table
        load_command_table(self, args)
        return self.command_table

    def load_arguments(self, command):
        from azext_fluxlite._params import load_arguments
        load_arguments(self, command)


COMMAND_LOADER_CLS = FluxliteCommandsLoader
