"""`az k8s-configuration flux create|update|list|show|delete` and `deployed-object list|show`.

Each command: validate every input (no network) → build the request with the pure builders →
send it through `arm.ArmClient` → shape the output like the originals.
"""
# pylint: disable=too-many-arguments,too-many-locals,unused-argument
import os

from knack.log import get_logger

from azext_fluxlite.core.errors import DeploymentError, MutuallyExclusiveArgumentError, ResourceNotFoundError
from azure.cli.core.util import user_confirmation

from azext_fluxlite.flux import source as flux_source
from azext_fluxlite.core.durations import parse_duration, to_iso8601_duration
from azext_fluxlite.flux.kustomizations import check_kustomization_changes, check_kustomization_set
from azext_fluxlite.core.names import check_config_name, check_namespace
from azext_fluxlite.core.output import shape_flux_configuration, shape_statuses
from azext_fluxlite.core.waiting import pick_condition, wait_for
from azext_fluxlite.core.arm import EXTENSION_API_VERSION, FLUX_API_VERSION
from azext_fluxlite._az_arm import arm_client
from azext_fluxlite.flux.payloads import (FLUX_EXTENSION_NAME, FLUX_EXTENSION_TYPE, build_create_body,
                            build_flux_extension_install_body, build_update_body)

logger = get_logger(__name__)

# The dest names of every source argument (flux-cli.md §4.2), in the order the originals list them.
COMPLIANCE_POLL_SECONDS = 5

SOURCE_ARGS = (
    "url", "bucket_name", "timeout", "sync_interval", "branch", "tag", "semver", "commit", "local_auth_ref",
    "ssh_private_key", "ssh_private_key_file", "https_user", "https_key", "https_ca_cert",
    "https_ca_cert_file", "known_hosts", "known_hosts_file", "provider", "bucket_access_key",
    "bucket_secret_key", "bucket_insecure", "container_name", "account_key", "sas_token", "sp_tenant_id",
    "sp_client_id", "sp_client_cert", "sp_client_cert_password", "sp_client_secret",
    "sp_client_cert_send_chain", "mi_client_id", "digest", "oci_media_type", "oci_operation",
    "tls_ca_certificate", "tls_client_certificate", "tls_private_key", "service_account_name",
    "use_workload_identity", "oci_insecure", "verification_provider", "match_oidc_identity",
    "verification_config",
)


def _source_values(args):
    return {name: args.get(name) for name in SOURCE_ARGS}


def _cluster_args(resource_group_name, cluster_type, cluster_name, cluster_resource_provider):
    return dict(resource_group=resource_group_name, cluster_type=cluster_type, cluster_name=cluster_name,
                cluster_rp=cluster_resource_provider)


# --------------------------------------------------------------------------------------------
def create_config(cmd, resource_group_name, cluster_name, cluster_type, name, url,
                  cluster_resource_provider=None, scope="cluster", namespace="default", kind="git",
                  timeout=None, sync_interval=None, branch=None, tag=None, semver=None, commit=None,
                  local_auth_ref=None, ssh_private_key=None, ssh_private_key_file=None, https_user=None,
                  https_key=None, https_ca_cert=None, https_ca_cert_file=None, known_hosts=None,
                  known_hosts_file=None, provider=None, bucket_name=None, bucket_access_key=None,
                  bucket_secret_key=None, bucket_insecure=False, container_name=None, sp_client_id=None,
                  sp_tenant_id=None, sp_client_secret=None, sp_client_cert=None, sp_client_cert_password=None,
                  sp_client_cert_send_chain=False, account_key=None, sas_token=None, mi_client_id=None,
                  digest=None, oci_media_type=None, oci_operation=None, tls_ca_certificate=None,
                  tls_client_certificate=None, tls_private_key=None, service_account_name=None,
                  use_workload_identity=None, oci_insecure=None, verification_provider=None,
                  match_oidc_identity=None, verification_config=None, suspend=False, kustomization=None,
                  wait_for_reconciliation=None, reconciliation_wait_duration=None, wait_for_compliance=None,
                  compliance_timeout="10m", dry_run=False, export_format=None, no_wait=False):
    args = dict(locals())
    request = build_create_request(args)
    timeout = _compliance_options(wait_for_compliance, compliance_timeout, no_wait, dry_run, export_format)
    arm = arm_client(cmd.cli_ctx)
    cluster = arm.cluster(**_cluster_args(resource_group_name, cluster_type, cluster_name,
                                          cluster_resource_provider))
    if dry_run:
        if export_format:
            from azext_fluxlite.flux.export.custom import write_document
            from azext_fluxlite.flux.export.templates import export_text
            return write_document(export_text(request, export_format, name, cluster))
        planned = []
        extension = plan_flux_extension(arm, cluster)
        if extension is not None:
            planned.append(arm.planned("PUT", cluster.child_path("extensions", FLUX_EXTENSION_NAME),
                                       EXTENSION_API_VERSION, extension))
        planned.append(arm.planned("PUT", cluster.child_path("fluxConfigurations", name), FLUX_API_VERSION, request))
        return planned
    ensure_flux_extension(arm, cluster, no_wait)
    logger.warning("Creating the flux configuration '%s' in the cluster. This may take a few minutes...", name)
    result = shape_flux_configuration(arm.put_flux(cluster, name, request, no_wait=no_wait))
    return _then_wait_for_compliance(arm, cluster, name, result, timeout)


def _compliance_options(wait_for_compliance, compliance_timeout, no_wait, dry_run, export_format=None):
    """Seconds to wait for compliance (None: don't), after checking the flag combinations."""
    if export_format and not dry_run:
        raise MutuallyExclusiveArgumentError(
            "--export-format goes with --dry-run; to export an existing configuration use "
            "'az k8s-configuration flux export'.")
    if not wait_for_compliance:
        return None
    if no_wait or dry_run:
        raise MutuallyExclusiveArgumentError(
            "--wait-for-compliance cannot be used with {}: remove one of them.".format(
                "--no-wait" if no_wait else "--dry-run"))
    return parse_duration(compliance_timeout, "--compliance-timeout")


def _then_wait_for_compliance(arm, cluster, name, result, timeout):
    if timeout is None or result is None:
        return result
    return wait_for(lambda: shape_flux_configuration(arm.get_flux(cluster, name)), "compliant",
                    "flux configuration '{}'".format(name), interval=COMPLIANCE_POLL_SECONDS, timeout=timeout)


def build_create_request(args):
    """Validate the `flux create` arguments and return the PUT body (no network)."""
    name = args["name"]
    check_config_name(name)
    if args.get("namespace"):
        check_namespace(args["namespace"])
    kind = args.get("kind") or "git"
    kustomizations = None
    if args.get("kustomization"):
        kustomizations = check_kustomization_set(args["kustomization"], name)
    block, protected = flux_source.source_for_create(kind, _source_values(args))
    spec = flux_source.SOURCE_KINDS[kind]
    wait_duration = args.get("reconciliation_wait_duration")
    if wait_duration is not None:
        if args.get("wait_for_reconciliation") is False:
            raise MutuallyExclusiveArgumentError(
                "--reconciliation-wait-duration has no effect with --wait-for-reconciliation false: remove one.")
        wait_duration = to_iso8601_duration(wait_duration, "--reconciliation-wait-duration")
    if not kustomizations:
        logger.warning("No kustomizations were specified for this configuration. A kustomization will be "
                       "generated with the default name 'kustomization-1'.")
    return build_create_body(scope=args.get("scope") or "cluster", namespace=args.get("namespace") or "default",
                             suspend=args.get("suspend"), source_kind=spec.source_kind, block_key=spec.block_key,
                             block=block, kustomizations=kustomizations, protected=protected,
                             wait_for_reconciliation=True if wait_duration else args.get("wait_for_reconciliation"),
                             reconciliation_wait_duration=wait_duration)


def plan_flux_extension(arm, cluster):
    """The PUT body that installs microsoft.flux when the cluster has none, else None.

    Raises when the cluster's flux extension exists but is not ready: a configuration created now
    would not reconcile.
    """
    extension = None
    for item in arm.list_extensions(cluster):
        if str((item.get("properties") or {}).get("extensionType", "")).lower() == FLUX_EXTENSION_TYPE:
            extension = item
            break
    if extension is None:
        return build_flux_extension_install_body(cluster.cluster_type,
                                                 release_train=os.environ.get("FLUX_EXTENSION_RELEASETRAIN"),
                                                 version=os.environ.get("FLUX_EXTENSION_VERSION"))
    state = (extension.get("properties") or {}).get("provisioningState")
    if state == "Creating":
        raise DeploymentError(
            "'Microsoft.Flux' extension is currently installing on the cluster. Unable to proceed with Flux v2 "
            "configuration install. Try again in a few minutes when the 'Microsoft.Flux' extension "
            "installation has completed.")
    if state != "Succeeded":
        raise DeploymentError(
            "'Microsoft.Flux' extension '{}' is installed but not in a succeeded state ({}) on the cluster. "
            "Unable to proceed with Flux v2 configuration install. Resolve the extension error "
            "('az k8s-extension show -n {}') or remove and re-install the extension.".format(
                extension.get("name"), state, extension.get("name")))
    return None


def ensure_flux_extension(arm, cluster, no_wait=False):
    """Install microsoft.flux (named `flux`) when the cluster has none; stop when it is not ready."""
    body = plan_flux_extension(arm, cluster)
    if body is None:
        return
    logger.warning("'Microsoft.Flux' extension not found on the cluster, installing it now. "
                   "This may take a few minutes...")
    arm.put_extension(cluster, FLUX_EXTENSION_NAME, body, no_wait=no_wait)
    if not no_wait:
        logger.warning("'Microsoft.Flux' extension was successfully installed on the cluster")


# --------------------------------------------------------------------------------------------
def update_config(cmd, resource_group_name, cluster_name, cluster_type, name, cluster_resource_provider=None,
                  kind=None, url=None, timeout=None, sync_interval=None, branch=None, tag=None, semver=None,
                  commit=None, local_auth_ref=None, ssh_private_key=None, ssh_private_key_file=None,
                  https_user=None, https_key=None, https_ca_cert=None, https_ca_cert_file=None,
                  known_hosts=None, known_hosts_file=None, provider=None, bucket_name=None,
                  bucket_access_key=None, bucket_secret_key=None, bucket_insecure=None, container_name=None,
                  sp_client_id=None, sp_tenant_id=None, sp_client_secret=None, sp_client_cert=None,
                  sp_client_cert_password=None, sp_client_cert_send_chain=None, account_key=None,
                  sas_token=None, mi_client_id=None, digest=None, oci_media_type=None, oci_operation=None,
                  tls_ca_certificate=None, tls_client_certificate=None, tls_private_key=None,
                  service_account_name=None, use_workload_identity=None, oci_insecure=None,
                  verification_provider=None, match_oidc_identity=None, verification_config=None,
                  suspend=None, kustomization=None, wait_for_compliance=None, compliance_timeout="10m",
                  dry_run=False, yes=False, no_wait=False):
    args = dict(locals())
    check_config_name(name)
    timeout = _compliance_options(wait_for_compliance, compliance_timeout, no_wait, dry_run)
    if kustomization:
        check_kustomization_set(kustomization, name, dependencies=False)
    flux_source.check_source_kind(kind)
    arm = arm_client(cmd.cli_ctx)
    cluster = arm.cluster(**_cluster_args(resource_group_name, cluster_type, cluster_name,
                                          cluster_resource_provider))
    current = arm.get_flux(cluster, name)
    body = build_update_request(args, current)
    if dry_run:
        return [arm.planned("PATCH", cluster.child_path("fluxConfigurations", name), FLUX_API_VERSION, body)]
    result = shape_flux_configuration(arm.patch_flux(cluster, name, body, no_wait=no_wait))
    return _then_wait_for_compliance(arm, cluster, name, result, timeout)


def build_update_request(args, current):
    """Validate `flux update` against the current configuration and return the PATCH body."""
    props = (current or {}).get("properties") or {}
    current_kind = flux_source.cli_kind_of(props.get("sourceKind"))
    kind = args.get("kind") or current_kind
    kind_changed = kind != current_kind
    if kind_changed:
        user_confirmation(
            "You are choosing to migrate from source kind '{}' to source kind '{}'. Changing your source "
            "repository may also require you to change your kustomizations. Are you sure you want to "
            "change kinds?".format(current_kind, kind), args.get("yes"))
    kustomizations = None
    if args.get("kustomization"):
        kustomizations = check_kustomization_set(args["kustomization"], args["name"], dependencies=False)
        check_kustomization_changes(props.get("kustomizations"), kustomizations, "--kustomization")
    spec = flux_source.SOURCE_KINDS[kind]
    blocks, protected = flux_source.source_for_update(
        kind, _source_values(args), kind_changed, current_block=None if kind_changed else props.get(spec.block_key))
    return build_update_body(suspend=args.get("suspend"),
                             source_kind=spec.source_kind if kind_changed else None,
                             source_blocks=blocks, kustomizations=kustomizations, protected=protected)


# --------------------------------------------------------------------------------------------
def list_configs(cmd, resource_group_name, cluster_name, cluster_type, cluster_resource_provider=None):
    arm = arm_client(cmd.cli_ctx)
    cluster = arm.cluster(**_cluster_args(resource_group_name, cluster_type, cluster_name,
                                          cluster_resource_provider))
    return [shape_flux_configuration(item) for item in arm.list_flux(cluster)]


def get_config(cmd, resource_group_name, cluster_name, cluster_type, name, cluster_resource_provider=None):
    """(ArmClient, ClusterRef, wire JSON) of one configuration, after validating the name."""
    check_config_name(name)
    arm = arm_client(cmd.cli_ctx)
    cluster = arm.cluster(**_cluster_args(resource_group_name, cluster_type, cluster_name,
                                          cluster_resource_provider))
    return arm, cluster, arm.get_flux(cluster, name)


def show_config(cmd, resource_group_name, cluster_name, cluster_type, name, cluster_resource_provider=None):
    _, _, config = get_config(cmd, resource_group_name, cluster_name, cluster_type, name,
                              cluster_resource_provider)
    return shape_flux_configuration(config)


def wait_config(cmd, resource_group_name, cluster_name, cluster_type, name, cluster_resource_provider=None,
                created=False, updated=False, deleted=False, exists=False, custom=None, compliant=False,
                interval=30, timeout=3600):
    condition = pick_condition(created, updated, deleted, exists, custom, compliant)
    check_config_name(name)
    arm = arm_client(cmd.cli_ctx)
    cluster = arm.cluster(**_cluster_args(resource_group_name, cluster_type, cluster_name,
                                          cluster_resource_provider))
    wait_for(lambda: shape_flux_configuration(arm.get_flux(cluster, name)), condition,
             "flux configuration '{}'".format(name), interval=interval, timeout=timeout, custom=custom)


def delete_config(cmd, resource_group_name, cluster_name, cluster_type, name, cluster_resource_provider=None,
                  force=False, yes=False, no_wait=False):
    check_config_name(name)
    arm = arm_client(cmd.cli_ctx)
    cluster = arm.cluster(**_cluster_args(resource_group_name, cluster_type, cluster_name,
                                          cluster_resource_provider))
    user_confirmation("Are you sure you want to perform this operation?", yes)
    try:
        config = arm.get_flux(cluster, name)
    except ResourceNotFoundError:
        # The original meant to say this but raised instead: deleting what is not there is not an error.
        logger.warning("No flux configuration with name '%s' found on cluster '%s', so nothing to delete",
                       name, cluster_name)
        return None
    kustomizations = ((config.get("properties") or {}).get("kustomizations") or {}).values()
    if any((k or {}).get("prune") for k in kustomizations):
        logger.warning("Prune is enabled on one or more of your kustomizations. Deleting a Flux configuration "
                       "with prune enabled will also delete the Kubernetes objects deployed by the "
                       "kustomization(s).")
        user_confirmation("Do you want to continue?", yes)
    if not force:
        logger.info("Deleting the flux configuration from the cluster. This may take a few minutes...")
    arm.delete_flux(cluster, name, force=bool(force), no_wait=no_wait)
    return None


# --------------------------------------------------------------------------------------------
def list_deployed_objects(cmd, resource_group_name, cluster_name, cluster_type, name,
                          cluster_resource_provider=None):
    _, _, config = get_config(cmd, resource_group_name, cluster_name, cluster_type, name,
                              cluster_resource_provider)
    return shape_statuses((config.get("properties") or {}).get("statuses"))


def show_deployed_object(cmd, resource_group_name, cluster_name, cluster_type, name, object_name,
                         object_namespace, object_kind, cluster_resource_provider=None):
    _, _, config = get_config(cmd, resource_group_name, cluster_name, cluster_type, name,
                              cluster_resource_provider)
    for status in shape_statuses((config.get("properties") or {}).get("statuses")):
        if (status.get("name") == object_name and status.get("namespace") == object_namespace and
                str(status.get("kind") or "").lower() == object_kind.lower()):
            return status
    raise ResourceNotFoundError(
        "Deployed object with name '{}', namespace '{}', and kind '{}' does not exist on configuration '{}'. "
        "List them with 'az k8s-configuration flux deployed-object list'.".format(
            object_name, object_namespace, object_kind, name))
