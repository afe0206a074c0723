"""Arguments of `az k8s-extension ...` and `az k8s-extension extension-types ...`.

Option names, aliases and deprecated aliases are those of Microsoft's k8s-extension, so existing
scripts keep working; enums are case-insensitive.
"""
from azure.cli.core.commands.parameters import (
    get_enum_type, get_location_type, get_three_state_flag, resource_group_name_type)

from azext_fluxlite.core.cluster import EXTENSION_CLUSTER_TYPES, EXTENSION_TYPE_CLUSTER_TYPES
from azext_fluxlite.extension.args import ProtectedSettingsAction, SettingsAction
from azext_fluxlite.extension.payloads import AUTO_UPGRADE_MODES, SCOPES

_SECRETS_NOTE = ("Values are secrets: the service returns only the keys. Prefer the file option for secrets, "
                 "since the command line can end up in shell history and in --debug logs.")


def load_extension_arguments(loader):
    # pylint: disable=too-many-statements
    with loader.argument_context("k8s-extension") as c:
        c.argument("resource_group_name", resource_group_name_type)
        c.argument("cluster_name", options_list=["--cluster-name", "-c"],
                   help="Name of the Kubernetes cluster.")
        c.argument("name", options_list=["--name", "-n"], help="Name of the extension instance.")
        c.argument("cluster_type", options_list=["--cluster-type", "-t"],
                   arg_type=get_enum_type(EXTENSION_CLUSTER_TYPES),
                   help="Specify Arc clusters (connectedClusters), AKS clusters (managedClusters), AKS Fleet "
                        "hubs (fleets), Arc appliances (appliances) or provisioned clusters (provisionedClusters).")
        c.argument("cluster_resource_provider", options_list=["--cluster-resource-provider", "--cluster-rp"],
                   help="Cluster resource provider; required with --cluster-type provisionedClusters "
                        "(microsoft.hybridcontainerservice).")
        c.argument("extension_type", options_list=["--extension-type"],
                   help="Name of the extension type, e.g. microsoft.flux.")
        c.argument("scope", arg_type=get_enum_type(list(SCOPES)),
                   help="Whether the extension is installed once for the whole cluster or into one namespace. "
                        "Without it the extension type's default scope applies.")
        c.argument("release_namespace", options_list=["--release-namespace"],
                   help="Namespace to install a cluster-scoped extension into (needs --scope cluster); "
                        "created if it does not exist.")
        c.argument("target_namespace", options_list=["--target-namespace"],
                   help="Namespace of a namespace-scoped extension (needs --scope namespace); "
                        "created if it does not exist.")
        c.argument("auto_upgrade_minor_version", options_list=["--auto-upgrade-minor-version", "--auto-upgrade"],
                   arg_type=get_three_state_flag(), arg_group="Version",
                   deprecate_info=c.deprecate(target="--auto-upgrade-minor-version", redirect="--auto-upgrade-mode"),
                   help="Automatically upgrade the minor version of the extension instance. "
                        "Cannot be combined with --auto-upgrade-mode.")
        c.argument("auto_upgrade_mode", options_list=["--auto-upgrade-mode"],
                   arg_type=get_enum_type(list(AUTO_UPGRADE_MODES)), arg_group="Version",
                   help="Default mode is 'compatible' which is equivalent to '--auto-upgrade-minor-version "
                        "true'. Use 'none' to disable auto upgrade. Use 'patch' to upgrade to the latest patch "
                        "version. Use 'compatible' to upgrade to the latest compatible minor/patch version.")
        c.argument("release_train", options_list=["--release-train"], arg_group="Version",
                   help="Release train the extension follows when auto-upgrade is on (e.g. stable, preview).")
        c.argument("version", options_list=["--version"], arg_group="Version",
                   help="Specific version to install; needs auto-upgrade off (--auto-upgrade-mode none).")
        c.argument("configuration_settings", arg_group="Configuration", nargs="+", action=SettingsAction,
                   options_list=["--configuration-settings", "--config",
                                 c.deprecate(target="--config-settings", redirect="--configuration-settings",
                                             hide=True)],
                   help="Configuration settings as key=value pairs (repeatable). Do not use this for secrets, "
                        "as this value is returned in response. For microsoft.flux the documented keys are "
                        "checked: a bad value is an error, an unknown key a warning (it is still sent).")
        c.argument("configuration_protected_settings", arg_group="Configuration", nargs="+",
                   action=ProtectedSettingsAction,
                   options_list=["--config-protected-settings", "--config-protected",
                                 c.deprecate(target="--configuration-protected-settings",
                                             redirect="--config-protected-settings", hide=True)],
                   help="Protected configuration settings as key=value pairs (repeatable). " + _SECRETS_NOTE)
        c.argument("configuration_settings_file", arg_group="Configuration",
                   options_list=["--config-settings-file", "--config-file",
                                 c.deprecate(target="--configuration-settings-file",
                                             redirect="--config-settings-file", hide=True)],
                   help="JSON file with configuration settings: one object of \"key\": \"value\" pairs.")
        c.argument("configuration_protected_settings_file", arg_group="Configuration",
                   options_list=["--config-protected-settings-file", "--config-protected-file",
                                 c.deprecate(target="--configuration-protected-settings-file",
                                             redirect="--config-protected-file", hide=True)],
                   help="JSON file with protected configuration settings: one object of \"key\": \"value\" "
                        "pairs. " + _SECRETS_NOTE)
        c.argument("plan_name", options_list=["--plan-name"], arg_group="Marketplace",
                   help="Plan ID of a Marketplace extension ('Usage Information + Support' in the portal).")
        c.argument("plan_product", options_list=["--plan-product"], arg_group="Marketplace",
                   help="Product ID of a Marketplace extension.")
        c.argument("plan_publisher", options_list=["--plan-publisher"], arg_group="Marketplace",
                   help="Publisher ID of a Marketplace extension.")
        c.argument("yes", options_list=["--yes", "-y"], action="store_true",
                   help="Do not prompt for confirmation.")
        c.argument("force", options_list=["--force"], action="store_true",
                   help="Specify whether to force delete the extension from the cluster.")
        c.argument("location", arg_type=get_location_type(loader.cli_ctx))

    with loader.argument_context("k8s-extension extension-types") as c:
        c.argument("cluster_type", options_list=["--cluster-type", "-t"],
                   arg_type=get_enum_type(EXTENSION_TYPE_CLUSTER_TYPES),
                   help="Specify Arc clusters (connectedClusters), AKS clusters (managedClusters), AKS Fleet "
                        "hubs (fleets) or Arc appliances (appliances).")
        c.argument("extension_type", options_list=["--extension-type"], help="Name of the extension type.")
        c.argument("release_train", options_list=["--release-train"], arg_group=None,
                   help="Only list what is available on this release train (e.g. stable, preview).")
        c.argument("version", options_list=["--version"], arg_group=None,
                   help="Version of the extension type.")
        c.argument("major_version", options_list=["--major-version"],
                   help="Only list versions with this major version (e.g. 1).")
        c.argument("show_latest", options_list=["--show-latest"], arg_type=get_three_state_flag(),
                   help="Only list the latest version of each release train.")
        c.argument("plan_publisher", options_list=["--plan-publisher"], arg_group=None,
                   help="Only list extension types of this Marketplace publisher ID.")
        c.argument("plan_product", options_list=["--plan-product"], arg_group=None,
                   help="Only list extension types of this Marketplace product (offer) ID.")
        c.argument("plan_name", options_list=["--plan-name"], arg_group=None,
                   help="Only list extension types of this Marketplace plan ID.")
