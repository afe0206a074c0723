"""The command table of `az k8s-extension` and its extension types."""
from azext_fluxlite._az_commands import custom_type as _custom


def load_command_table(loader):
    from azext_fluxlite.extension import format as efmt

    with loader.command_group("k8s-extension", custom_command_type=_custom("extension.custom")) as g:
        g.custom_command("create", "create_extension", supports_no_wait=True,
                         table_transformer=efmt.extension_show_table)
        g.custom_command("update", "update_extension", supports_no_wait=True,
                         table_transformer=efmt.extension_show_table)
        g.custom_command("delete", "delete_extension", supports_no_wait=True)
        g.custom_command("wait", "wait_extension")
        g.custom_command("list", "list_extensions", table_transformer=efmt.extension_list_table)
        g.custom_show_command("show", "show_extension", table_transformer=efmt.extension_show_table)

    with loader.command_group("k8s-extension extension-types", is_preview=True,
                              custom_command_type=_custom("extension.types_custom")) as g:
        g.custom_command("list-by-location", "list_extension_types_by_location",
                         table_transformer=efmt.extension_type_list_table)
        g.custom_show_command("show-by-location", "show_extension_type_by_location",
                              table_transformer=efmt.extension_type_show_table)
        g.custom_command("list-versions-by-location", "list_extension_type_versions_by_location",
                         table_transformer=efmt.extension_type_version_list_table)
        g.custom_show_command("show-version-by-location", "show_extension_type_version_by_location",
                              table_transformer=efmt.extension_type_version_show_table)
        g.custom_command("list-by-cluster", "list_extension_types_by_cluster",
                         table_transformer=efmt.extension_type_list_table)
        g.custom_show_command("show-by-cluster", "show_extension_type_by_cluster",
                              table_transformer=efmt.extension_type_show_table)
        g.custom_command("list-versions-by-cluster", "list_extension_type_versions_by_cluster",
                         table_transformer=efmt.extension_type_version_list_table)
        g.custom_show_command("show-version-by-cluster", "show_extension_type_version_by_cluster",
                              table_transformer=efmt.extension_type_version_show_table)
        # Deprecated, hidden names kept for old scripts (wired as the originals wire them).  The
        # original `show` points users at show-by-cluster although it takes --location like
        # show-by-location; the redirect here names the command that actually matches.
        g.custom_show_command("show", "show_extension_type_by_location",
                              deprecate_info=g.deprecate(redirect="az k8s-extension extension-types show-by-location",
                                                         hide=True),
                              table_transformer=efmt.extension_type_show_table)
        g.custom_command("list", "list_extension_types_by_cluster",
                         deprecate_info=g.deprecate(redirect="az k8s-extension extension-types list-by-cluster",
                                                    hide=True),
                         table_transformer=efmt.extension_type_list_table)
        g.custom_command("list-versions", "list_extension_type_versions_by_cluster",
                         deprecate_info=g.deprecate(
                             redirect="az k8s-extension extension-types list-versions-by-cluster", hide=True),
                         table_transformer=efmt.extension_type_version_list_table)
