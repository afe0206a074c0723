"""The command table of `az k8s-configuration flux`."""
from azext_fluxlite._az_commands import custom_type as _custom


def load_command_table(loader):
    from azext_fluxlite.flux import format as fmt
    from azext_fluxlite.flux.v1.commands import load_command_table as load_flux_v1
    load_flux_v1(loader)

    with loader.command_group("k8s-configuration flux", custom_command_type=_custom("flux.custom")) as g:
        g.custom_command("create", "create_config", supports_no_wait=True)
        g.custom_command("update", "update_config", supports_no_wait=True)
        g.custom_command("list", "list_configs", table_transformer=fmt.flux_config_list_table)
        g.custom_show_command("show", "show_config", table_transformer=fmt.flux_config_show_table)
        g.custom_command("delete", "delete_config", supports_no_wait=True)
        g.custom_command("wait", "wait_config")

    with loader.command_group("k8s-configuration flux", custom_command_type=_custom("flux.status_custom")) as g:
        g.custom_command("status", "status_config", table_transformer=fmt.status_table)
        g.custom_command("suspend", "suspend_config", supports_no_wait=True)
        g.custom_command("resume", "resume_config", supports_no_wait=True)

    with loader.command_group("k8s-configuration flux", custom_command_type=_custom("flux.build_custom")) as g:
        g.custom_command("build", "build_config")

    with loader.command_group("k8s-configuration flux kustomization",
                              custom_command_type=_custom("flux.kustomization_custom")) as g:
        g.custom_command("create", "create_kustomization", supports_no_wait=True)
        g.custom_command("update", "update_kustomization", supports_no_wait=True)
        g.custom_command("list", "list_kustomizations", table_transformer=fmt.kustomization_table)
        g.custom_show_command("show", "show_kustomization", table_transformer=fmt.kustomization_table)
        g.custom_command("delete", "delete_kustomization", supports_no_wait=True)

    with loader.command_group("k8s-configuration flux deployed-object",
                              custom_command_type=_custom("flux.custom")) as g:
        g.custom_command("list", "list_deployed_objects", table_transformer=fmt.deployed_object_list_table)
        g.custom_show_command("show", "show_deployed_object", table_transformer=fmt.deployed_object_show_table)

    with loader.command_group("k8s-configuration flux", custom_command_type=_custom("flux.export.custom")) as g:
        g.custom_command("export", "export_config")

    with loader.command_group("k8s-configuration flux kustomization",
                              custom_command_type=_custom("flux.export.custom")) as g:
        g.custom_command("graph", "graph_kustomizations")
