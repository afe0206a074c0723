"""The command table of the deprecated Flux v1 commands `az k8s-configuration list|show|delete`."""
from azext_fluxlite._az_commands import custom_type as _custom


def load_command_table(loader):
    from azext_fluxlite.flux.v1 import format as fmt

    with loader.command_group("k8s-configuration", custom_command_type=_custom("flux.v1.custom")) as g:
        g.custom_command("list", "list_source_control", table_transformer=fmt.source_control_list_table,
                         deprecate_info=g.deprecate(redirect="k8s-configuration flux list", hide=True))
        g.custom_show_command("show", "show_source_control", table_transformer=fmt.source_control_show_table,
                              deprecate_info=g.deprecate(redirect="k8s-configuration flux show", hide=True))
        g.custom_command("delete", "delete_source_control",
                         deprecate_info=g.deprecate(redirect="k8s-configuration flux delete", hide=True))
