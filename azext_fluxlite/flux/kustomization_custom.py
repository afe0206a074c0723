"""`az k8s-configuration flux kustomization create|update|list|show|delete`.

Every change is a PATCH of `properties.kustomizations.<name>` on the configuration, after checking
the name and the dependency graph against the configuration as it is now.
"""
# pylint: disable=too-many-arguments,unused-argument
from knack.log import get_logger

from azext_fluxlite.core.errors import ResourceNotFoundError, ValidationError
from azext_fluxlite._az_prompt import confirm

from azext_fluxlite.core.durations import parse_duration
from azext_fluxlite.flux.kustomizations import check_kustomization_changes, parse_depends_on
from azext_fluxlite.core.names import check_kustomization_name
from azext_fluxlite.flux.postbuild import build_post_build
from azext_fluxlite.core.output import shape_flux_configuration, shape_kustomizations
from azext_fluxlite.core.arm import FLUX_API_VERSION
from azext_fluxlite.flux.custom import get_config
from azext_fluxlite.flux.payloads import build_kustomization_fields, build_kustomization_patch

logger = get_logger(__name__)
KUSTOMIZATION_NAME_OPTION = "-k/--kustomization-name"


def _existing(config):
    return (config.get("properties") or {}).get("kustomizations") or {}


def _fields(path, dependencies, timeout, sync_interval, retry_interval, prune, force, disable_health_check,
            creating, substitute=None, substitute_from=None):
    return build_kustomization_fields(
        post_build=build_post_build(substitute, substitute_from),
        path=path,
        depends_on=parse_depends_on(dependencies, "--depends-on") if dependencies is not None else None,
        timeout=parse_duration(timeout, "--timeout") if timeout is not None else None,
        sync_interval=parse_duration(sync_interval, "--interval") if sync_interval is not None else None,
        retry_interval=parse_duration(retry_interval, "--retry-interval") if retry_interval is not None else None,
        prune=prune, force=force, disable_health_check=disable_health_check, creating=creating)


def create_kustomization(cmd, resource_group_name, cluster_name, cluster_type, name, kustomization_name,
                         cluster_resource_provider=None, dependencies=None, timeout=None, sync_interval=None,
                         retry_interval=None, path="", prune=None, force=None, disable_health_check=None,
                         substitute=None, substitute_from=None, dry_run=False,
                         no_wait=False):
    return _send_kustomization(cmd, locals(), creating=True)


def update_kustomization(cmd, resource_group_name, cluster_name, cluster_type, name, kustomization_name,
                         cluster_resource_provider=None, dependencies=None, timeout=None, sync_interval=None,
                         retry_interval=None, path=None, prune=None, force=None, disable_health_check=None,
                         substitute=None, substitute_from=None, dry_run=False,
                         no_wait=False):
    return _send_kustomization(cmd, locals(), creating=False)


def _send_kustomization(cmd, args, creating):
    """Validate, check against the configuration as it is now, and PATCH one kustomization."""
    name, kustomization_name = args["name"], args["kustomization_name"]
    check_kustomization_name(kustomization_name, name, option=KUSTOMIZATION_NAME_OPTION)
    body = _fields(args["path"], args["dependencies"], args["timeout"], args["sync_interval"],
                   args["retry_interval"], args["prune"], args["force"], args["disable_health_check"],
                   creating=creating, substitute=args["substitute"], substitute_from=args["substitute_from"])
    arm, cluster, config = get_config(cmd, args["resource_group_name"], args["cluster_name"], args["cluster_type"],
                                      name, args["cluster_resource_provider"])
    existing = _existing(config)
    if creating and kustomization_name in existing:
        raise ValidationError(
            "Kustomization '{}' already exists on configuration '{}': change it with "
            "'az k8s-configuration flux kustomization update'.".format(kustomization_name, name))
    if not creating and kustomization_name not in existing:
        raise ValidationError(
            "Kustomization '{}' does not exist on configuration '{}': add it with "
            "'az k8s-configuration flux kustomization create'.".format(kustomization_name, name))
    check_kustomization_changes(existing, {kustomization_name: body}, "--depends-on")
    return _patch(arm, cluster, name, build_kustomization_patch(kustomization_name, body), args["dry_run"],
                  args["no_wait"], current=config)


def _patch(arm, cluster, name, body, dry_run, no_wait, current=None):
    if dry_run:
        from azext_fluxlite.flux import whatif
        whatif.show(whatif.flux_patch_changes(current, body), "flux configuration '{}' (PATCH)".format(name))
        return [arm.planned("PATCH", cluster.child_path("fluxConfigurations", name), FLUX_API_VERSION, body)]
    return shape_flux_configuration(arm.patch_flux(cluster, name, body, no_wait=no_wait))


def delete_kustomization(cmd, resource_group_name, cluster_name, cluster_type, name, kustomization_name,
                         cluster_resource_provider=None, yes=False, dry_run=False, no_wait=False):
    check_kustomization_name(kustomization_name, name, option=KUSTOMIZATION_NAME_OPTION)
    if not dry_run:
        confirm(cmd.cli_ctx, "Are you sure you want to perform this operation?", yes)
    arm, cluster, config = get_config(cmd, resource_group_name, cluster_name, cluster_type, name,
                                      cluster_resource_provider)
    existing = _existing(config)
    if kustomization_name not in existing:
        raise ValidationError(
            "Kustomization '{}' does not exist on configuration '{}': list them with "
            "'az k8s-configuration flux kustomization list'.".format(kustomization_name, name))
    check_kustomization_changes(existing, {kustomization_name: None}, KUSTOMIZATION_NAME_OPTION)
    if (existing[kustomization_name] or {}).get("prune"):
        logger.warning("Prune is enabled on this kustomization. Deleting a kustomization with prune enabled will "
                       "also delete the Kubernetes objects deployed by the kustomization.")
        if not dry_run:
            confirm(cmd.cli_ctx, "Do you want to continue?", yes)
    return _patch(arm, cluster, name, build_kustomization_patch(kustomization_name, None), dry_run, no_wait,
                  current=config)


def list_kustomizations(cmd, resource_group_name, cluster_name, cluster_type, name,
                        cluster_resource_provider=None):
    _, _, config = get_config(cmd, resource_group_name, cluster_name, cluster_type, name,
                              cluster_resource_provider)
    return shape_kustomizations(_existing(config))


def show_kustomization(cmd, resource_group_name, cluster_name, cluster_type, name, kustomization_name,
                       cluster_resource_provider=None):
    _, _, config = get_config(cmd, resource_group_name, cluster_name, cluster_type, name,
                              cluster_resource_provider)
    existing = _existing(config)
    if kustomization_name not in existing:
        raise ResourceNotFoundError(
            "Kustomization '{}' does not exist on configuration '{}'. List them with "
            "'az k8s-configuration flux kustomization list'.".format(kustomization_name, name))
    return shape_kustomizations({kustomization_name: existing[kustomization_name]})
