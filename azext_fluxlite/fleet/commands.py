"""The command table of `az k8s-configuration fleet`."""
from azext_fluxlite._az_commands import custom_type as _custom


def load_command_table(loader):
    from azext_fluxlite.fleet import format as fmt

    with loader.command_group("k8s-configuration fleet", custom_command_type=_custom("fleet.custom")) as g:
        g.custom_command("apply", "fleet_apply", table_transformer=fmt.results_table)
        g.custom_command("status", "fleet_status", table_transformer=fmt.status_table)
        g.custom_command("delete", "fleet_delete", table_transformer=fmt.results_table)
        g.custom_command("list-clusters", "fleet_list_clusters", table_transformer=fmt.clusters_table)
