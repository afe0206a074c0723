"""Single-cluster Flux configuration operations, without az.

The az commands (flux/custom.py), the fleet engine and the Python API all go through these: validate
every input (no network) -> build the request with the pure builders -> send it through an
`ArmClient`.  Prompts are a `confirm(message)` callable from the caller (az's honours --yes and
core.disable_confirm_prompt); messages go to the `cli.azext_fluxlite...` loggers, which az prints
as WARNING lines.
"""
# pylint: disable=too-many-arguments,too-many-locals
import logging
import os

from azext_fluxlite.core.arm import EXTENSION_API_VERSION, FLUX_API_VERSION
from azext_fluxlite.core.durations import parse_duration, to_iso8601_duration
from azext_fluxlite.core.errors import DeploymentError, MutuallyExclusiveArgumentError, ResourceNotFoundError
from azext_fluxlite.core.names import check_config_name, check_namespace
from azext_fluxlite.core.output import shape_flux_configuration
from azext_fluxlite.core.waiting import wait_for
from azext_fluxlite.flux import source as flux_source
from azext_fluxlite.flux.kustomizations import check_kustomization_changes, check_kustomization_set
from azext_fluxlite.flux.payloads import (FLUX_EXTENSION_NAME, FLUX_EXTENSION_TYPE, build_create_body,
                                          build_flux_extension_install_body, build_update_body)

logger = logging.getLogger("cli." + __name__)


def no_prompt(_message):
    """The confirm callable for callers that already have the user's consent (--yes)."""


COMPLIANCE_POLL_SECONDS = 5

# The dest names of every source argument (flux-cli.md §4.2), in the order the originals list them.
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


def source_values(args):
    return {name: args.get(name) for name in SOURCE_ARGS}


def compliance_options(wait_for_compliance, compliance_timeout, no_wait, dry_run, export_format=None):
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


def wait_for_compliance(arm, cluster, name, timeout, progress=None, interval=None):
    """The configuration (shaped) once Compliant; progress lines go to `progress` (stderr).

    `interval` None polls on the fast schedule of long-running operations.
    """
    return wait_for(lambda: shape_flux_configuration(arm.get_flux(cluster, name)), "compliant",
                    "flux configuration '{}'".format(name), interval=interval, timeout=timeout, stream=progress,
                    timeout_flag="--compliance-timeout")


def then_wait_for_compliance(arm, cluster, name, result, timeout, progress=None):
    """Wait for compliance when `timeout` (seconds) is given and the write was followed to its end."""
    if timeout is None or result is None:
        return result
    return wait_for_compliance(arm, cluster, name, timeout, progress)


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
    block, protected = flux_source.source_for_create(kind, source_values(args))
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
        # Flux v1 configurations conflict with microsoft.flux: the original refuses, so does fluxlite, but
        # only when it is about to install the extension (a cluster already running it has none that work).
        from azext_fluxlite.flux.v1.operations import check_no_flux_v1
        check_no_flux_v1(arm, cluster)
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


def build_update_request(args, current, confirm=no_prompt):
    """Validate `flux update` against the current configuration and return the PATCH body."""
    props = (current or {}).get("properties") or {}
    current_kind = flux_source.cli_kind_of(props.get("sourceKind"))
    kind = args.get("kind") or current_kind
    kind_changed = kind != current_kind
    if kind_changed:
        confirm(
            "You are choosing to migrate from source kind '{}' to source kind '{}'. Changing your source "
            "repository may also require you to change your kustomizations. Are you sure you want to "
            "change kinds?".format(current_kind, kind))
    kustomizations = None
    if args.get("kustomization"):
        kustomizations = check_kustomization_set(args["kustomization"], args["name"], dependencies=False)
        check_kustomization_changes(props.get("kustomizations"), kustomizations, "--kustomization")
    spec = flux_source.SOURCE_KINDS[kind]
    blocks, protected = flux_source.source_for_update(
        kind, source_values(args), kind_changed, current_block=None if kind_changed else props.get(spec.block_key))
    return build_update_body(suspend=args.get("suspend"),
                             source_kind=spec.source_kind if kind_changed else None,
                             source_blocks=blocks, kustomizations=kustomizations, protected=protected)


def existing_configuration(arm, cluster, name):
    """The configuration as it is now, or None when there is none."""
    try:
        return arm.get_flux(cluster, name)
    except ResourceNotFoundError:
        return None


def warn_replacement(arm, cluster, name, request):
    """Warn what a `flux create` PUT removes or changes when the configuration exists (one GET).

    The originals silently replace it, and scripts re-PUT on purpose, so this only warns.
    """
    try:
        current = existing_configuration(arm, cluster, name)
    except Exception as exc:  # pylint: disable=broad-except
        # Only a warning depends on it: the PUT that follows reports any real problem itself.
        logger.debug("Could not read flux configuration '%s' before replacing it: %s", name, exc)
        return
    if current is None:
        return
    from azext_fluxlite.flux import whatif
    changes = whatif.flux_put_changes(current, request)
    lines = whatif.render(changes, "flux configuration '{}'".format(name))[1:]
    logger.warning("Flux configuration '%s' already exists: this create replaces it whole. Settings and "
                   "kustomizations it does not give are removed (with prune, their objects are deleted from the "
                   "cluster); to change only some, use 'az k8s-configuration flux update'.\n%s",
                   name, "\n".join(lines))


def create(arm, cluster, args, no_wait=False, compliance_timeout=None, progress=None, request=None):
    """PUT the configuration of `flux create` (installing microsoft.flux first when missing).

    `args` holds `flux create`'s argument values by dest name (`request`, when the caller has built
    it already with `build_create_request(args)`); `compliance_timeout` (seconds) waits for
    compliance afterwards.
    """
    if request is None:
        request = build_create_request(args)
    ensure_flux_extension(arm, cluster, no_wait)
    warn_replacement(arm, cluster, args["name"], request)
    logger.warning("Creating the flux configuration '%s' in the cluster. This may take a few minutes...",
                   args["name"])
    result = shape_flux_configuration(arm.put_flux(cluster, args["name"], request, no_wait=no_wait))
    return then_wait_for_compliance(arm, cluster, args["name"], result, compliance_timeout, progress)


def plan_create(arm, cluster, name, request):
    """The requests `flux create` would send (secrets redacted), for --dry-run; nothing is written."""
    planned = []
    extension = plan_flux_extension(arm, cluster)
    warn_replacement(arm, cluster, name, request)
    if extension is not None:
        planned.append(arm.planned("PUT", cluster.child_path("extensions", FLUX_EXTENSION_NAME),
                                   EXTENSION_API_VERSION, extension))
    planned.append(arm.planned("PUT", cluster.child_path("fluxConfigurations", name), FLUX_API_VERSION, request))
    return planned


def update(arm, cluster, args, no_wait=False, compliance_timeout=None, dry_run=False, confirm=no_prompt,
           progress=None):
    """PATCH the configuration of `flux update` (the current one is read first); --dry-run plans it."""
    name = args["name"]
    current = arm.get_flux(cluster, name)
    body = build_update_request(args, current, confirm)
    if dry_run:
        from azext_fluxlite.flux import whatif
        whatif.show(whatif.flux_patch_changes(current, body), "flux configuration '{}' (PATCH)".format(name))
        return [arm.planned("PATCH", cluster.child_path("fluxConfigurations", name), FLUX_API_VERSION, body)]
    result = shape_flux_configuration(arm.patch_flux(cluster, name, body, no_wait=no_wait))
    return then_wait_for_compliance(arm, cluster, name, result, compliance_timeout, progress)


def delete(arm, cluster, name, force=False, no_wait=False, confirm=no_prompt):
    """Delete a configuration; False when there was none.  `confirm` is asked again when prune is on."""
    try:
        config = arm.get_flux(cluster, name)
    except ResourceNotFoundError:
        # The original meant to say this but raised instead: deleting what is not there is not an error.
        logger.warning("No flux configuration with name '%s' found on cluster '%s', so nothing to delete",
                       name, cluster.cluster_name)
        return False
    kustomizations = ((config.get("properties") or {}).get("kustomizations") or {}).values()
    if any((k or {}).get("prune") for k in kustomizations):
        logger.warning("Prune is enabled on one or more of your kustomizations. Deleting a Flux configuration "
                       "with prune enabled will also delete the Kubernetes objects deployed by the "
                       "kustomization(s).")
        confirm("Do you want to continue?")
    if not force:
        logger.info("Deleting the flux configuration from the cluster. This may take a few minutes...")
    arm.delete_flux(cluster, name, force=bool(force), no_wait=no_wait)
    return True
