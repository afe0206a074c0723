"""`az k8s-extension create|update|delete|list|show`: validate, build the body, call ARM, shape output.

Differences from Microsoft's k8s-extension, all deliberate:
* no provider-registration GET and no parent-cluster GET before create (the originals only use
  them for a warning and for a location they never send);
* the seven partner types (extension/partners/) get their handler: by --extension-type on create,
  by the existing extension's type on update (which therefore GETs it first) and delete;
* every argument is validated before the first request, and the update prompt comes after that
  validation, so a mistake never costs a question or a write.
"""
from knack.log import get_logger

from azext_fluxlite.core.errors import ResourceNotFoundError
from azext_fluxlite._az_prompt import confirm

from azext_fluxlite.core.cluster import resolve_cluster_rp
from azext_fluxlite.extension.args import collect_settings
from azext_fluxlite.extension.flux_settings import check_extension_settings
from azext_fluxlite.core.output import shape_extension
from azext_fluxlite.core.waiting import pick_condition, wait_for
from azext_fluxlite.core.arm import EXTENSION_API_VERSION
from azext_fluxlite._az_arm import arm_client
from azext_fluxlite.extension.payloads import (
    build_extension_create_body, build_extension_patch_body, check_fleet_extension_type, validate_extension_name)
from azext_fluxlite.extension.partners_custom import create_with_handler, delete_with_handler, update_with_handler

logger = get_logger(__name__)

UPDATE_SETTINGS_PROMPT = (
    "Updating properties in --configuration-settings or --configuration-protected-settings may lead to "
    "undesirable state if the cluster extension type does not support it. Please refer to the documentation "
    "of the cluster extension service to check if updates to these properties is supported. "
    "Do you wish to proceed?")
DELETE_PROMPT = "Are you sure you want to perform this operation?"


def _shape(resource):
    """The originals' output shape; protected values are blanked even if a service echoed them."""
    out = shape_extension(resource)
    protected = (out or {}).get("configurationProtectedSettings")
    if isinstance(protected, dict):
        out["configurationProtectedSettings"] = {key: "" for key in protected}
    return out


def _cluster(cmd, resource_group_name, cluster_type, cluster_name, cluster_resource_provider):
    client = arm_client(cmd.cli_ctx)
    return client, client.cluster(resource_group_name, cluster_type, cluster_name, cluster_resource_provider)


def create_extension(cmd, resource_group_name, cluster_name, name, cluster_type, extension_type,
                     cluster_resource_provider=None, scope=None, auto_upgrade_minor_version=None,
                     auto_upgrade_mode=None, release_train=None, version=None, target_namespace=None,
                     release_namespace=None, configuration_settings=None, configuration_protected_settings=None,
                     configuration_settings_file=None, configuration_protected_settings_file=None,
                     plan_name=None, plan_publisher=None, plan_product=None, dry_run=False, no_wait=False):
    """PUT a new extension instance (or re-PUT an existing one, as the originals do)."""
    # pylint: disable=too-many-arguments,too-many-locals
    check_fleet_extension_type(cluster_type, extension_type)
    validate_extension_name(name)
    _, cluster_type = resolve_cluster_rp(cluster_type, cluster_resource_provider)
    settings = collect_settings(configuration_settings, configuration_settings_file, exclusive=True)
    protected = collect_settings(configuration_protected_settings, configuration_protected_settings_file,
                                 protected=True, exclusive=True)
    check_extension_settings(extension_type, settings, configuration_settings is not None,
                             configuration_settings_file is not None)
    from azext_fluxlite.extension.partners import PARTNER_TYPES, ExtensionArgs, handler_for
    handler = handler_for(extension_type)
    early_scope = scope
    if (scope or "").strip().lower() == "namespace" and not target_namespace and release_namespace is None \
            and extension_type.strip().lower() in PARTNER_TYPES:
        # As the original: a partner type answers --scope namespace first (its scope error, or cluster
        # scope forced); asking for --target-namespace would send the user to that error next.
        early_scope = "cluster"
    build_extension_create_body(   # the user's flags are checked before the type's handler runs
        extension_type, cluster_type, auto_upgrade_minor_version=auto_upgrade_minor_version,
        auto_upgrade_mode=auto_upgrade_mode, release_train=release_train,
        version=None if getattr(handler, "ignores_version", False) else version, scope=early_scope,
        release_namespace=release_namespace, target_namespace=target_namespace,
        configuration_settings=settings, configuration_protected_settings=protected,
        plan_name=plan_name, plan_product=plan_product, plan_publisher=plan_publisher)

    client, cluster = _cluster(cmd, resource_group_name, cluster_type, cluster_name, cluster_resource_provider)
    args = ExtensionArgs(
        name=name, extension_type=extension_type.strip().lower(), cluster=cluster, scope=scope,
        release_namespace=release_namespace, target_namespace=target_namespace, settings=settings,
        protected=protected, auto_upgrade_minor_version=auto_upgrade_minor_version,
        auto_upgrade_mode=auto_upgrade_mode, release_train=release_train, version=version)
    return create_with_handler(cmd, client, args, (plan_name, plan_product, plan_publisher), dry_run=dry_run,
                               no_wait=no_wait, shape=_shape)


def update_extension(cmd, resource_group_name, cluster_name, name, cluster_type, cluster_resource_provider=None,
                     auto_upgrade_minor_version=None, auto_upgrade_mode=None, release_train=None, version=None,
                     configuration_settings=None, configuration_protected_settings=None,
                     configuration_settings_file=None, configuration_protected_settings_file=None,
                     yes=False, dry_run=False, no_wait=False):
    """PATCH the mutable properties of an extension instance."""
    # pylint: disable=too-many-arguments,too-many-locals
    _, cluster_type = resolve_cluster_rp(cluster_type, cluster_resource_provider)
    settings = collect_settings(configuration_settings, configuration_settings_file)
    protected = collect_settings(configuration_protected_settings, configuration_protected_settings_file,
                                 protected=True)
    body = build_extension_patch_body(
        auto_upgrade_minor_version=auto_upgrade_minor_version, auto_upgrade_mode=auto_upgrade_mode,
        release_train=release_train, version=version, configuration_settings=settings,
        configuration_protected_settings=protected)

    client, cluster = _cluster(cmd, resource_group_name, cluster_type, cluster_name, cluster_resource_provider)
    existing = client.get_extension(cluster, name) or {}     # its type picks the handler
    check_fleet_extension_type(cluster.cluster_type, (existing.get("properties") or {}).get("extensionType"))
    # The type comes from that GET (no extra request): microsoft.flux settings are checked by key,
    # before the question, so a mistake never costs an answer.
    check_extension_settings((existing.get("properties") or {}).get("extensionType"), settings,
                             configuration_settings is not None, configuration_settings_file is not None)
    if not dry_run and any(given for given in (configuration_settings, configuration_protected_settings,
                                               configuration_settings_file, configuration_protected_settings_file)):
        confirm(cmd.cli_ctx, UPDATE_SETTINGS_PROMPT, yes)
    from azext_fluxlite.extension.partners import UpdateArgs
    body, planned = update_with_handler(cmd, client, UpdateArgs(
        name=name, cluster=cluster, existing=existing, settings=dict(body["properties"]["configurationSettings"]),
        protected=dict(body["properties"]["configurationProtectedSettings"]),
        auto_upgrade_minor_version=auto_upgrade_minor_version, auto_upgrade_mode=auto_upgrade_mode,
        release_train=release_train, version=version), yes=yes, dry_run=dry_run)
    if dry_run:
        from azext_fluxlite.flux import whatif
        whatif.show(whatif.extension_patch_changes(existing, body), "extension '{}' (PATCH)".format(name))
        return planned + [client.planned("PATCH", cluster.child_path("extensions", name), EXTENSION_API_VERSION,
                                         body)]
    return _shape(client.patch_extension(cluster, name, body, no_wait=no_wait))


def delete_extension(cmd, resource_group_name, cluster_name, name, cluster_type, cluster_resource_provider=None,
                     force=False, no_wait=False, yes=False):
    """DELETE an extension instance; a missing one is only a warning (exit 0), as in the originals."""
    client, cluster = _cluster(cmd, resource_group_name, cluster_type, cluster_name, cluster_resource_provider)
    try:
        existing = client.get_extension(cluster, name)
    except ResourceNotFoundError:
        logger.warning("No extension with name '%s' found on cluster '%s', so nothing to delete", name, cluster_name)
        return None
    delete_with_handler(cmd, client, cluster, name, existing, yes=yes)   # default: confirm(DELETE_PROMPT)
    client.delete_extension(cluster, name, force=bool(force), no_wait=no_wait)
    return None


def list_extensions(cmd, resource_group_name, cluster_name, cluster_type, cluster_resource_provider=None):
    client, cluster = _cluster(cmd, resource_group_name, cluster_type, cluster_name, cluster_resource_provider)
    return [_shape(item) for item in client.list_extensions(cluster)]


def show_extension(cmd, resource_group_name, cluster_name, name, cluster_type, cluster_resource_provider=None):
    client, cluster = _cluster(cmd, resource_group_name, cluster_type, cluster_name, cluster_resource_provider)
    return _shape(client.get_extension(cluster, name))


def wait_extension(cmd, resource_group_name, cluster_name, name, cluster_type, cluster_resource_provider=None,
                   created=False, updated=False, deleted=False, exists=False, custom=None, interval=None,
                   timeout=3600):
    """Wait until an extension instance reaches a condition (az's wait conventions)."""
    # pylint: disable=too-many-arguments
    condition = pick_condition(created, updated, deleted, exists, custom, compliant=None)
    client, cluster = _cluster(cmd, resource_group_name, cluster_type, cluster_name, cluster_resource_provider)
    from azext_fluxlite._az_console import progress_stream
    wait_for(lambda: _shape(client.get_extension(cluster, name)), condition, "extension '{}'".format(name),
             interval=interval, timeout=timeout, custom=custom, stream=progress_stream(cmd.cli_ctx))
