"""`az k8s-configuration flux create|update|list|show|delete|wait` and `deployed-object list|show`.

The az adapter: each function takes az's arguments, asks az's prompts and login, and hands the work
to `flux.operations` (validate -> build -> ARM), which the fleet engine and Python API share.
"""
# pylint: disable=too-many-arguments,too-many-locals,unused-argument
from azext_fluxlite._az_arm import arm_client
from azext_fluxlite._az_prompt import confirmer
from azext_fluxlite.core.errors import ResourceNotFoundError
from azext_fluxlite.core.names import check_config_name
from azext_fluxlite.core.output import shape_flux_configuration, shape_statuses
from azext_fluxlite.core.waiting import pick_condition, wait_for
from azext_fluxlite.flux import operations
from azext_fluxlite.flux import source as flux_source
from azext_fluxlite.flux.kustomizations import check_kustomization_set


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
    request = operations.build_create_request(args)
    timeout = operations.compliance_options(wait_for_compliance, compliance_timeout, no_wait, dry_run, export_format)
    arm = arm_client(cmd.cli_ctx)
    cluster = arm.cluster(**_cluster_args(resource_group_name, cluster_type, cluster_name,
                                          cluster_resource_provider))
    if dry_run:
        if export_format:
            from azext_fluxlite.flux.export.custom import write_document
            from azext_fluxlite.flux.export.templates import export_text
            return write_document(export_text(request, export_format, name, cluster))
        return operations.plan_create(arm, cluster, name, request)
    from azext_fluxlite._az_console import progress_stream
    return operations.create(arm, cluster, args, no_wait=no_wait, compliance_timeout=timeout,
                             progress=progress_stream(cmd.cli_ctx), request=request)


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
    timeout = operations.compliance_options(wait_for_compliance, compliance_timeout, no_wait, dry_run)
    if kustomization:
        check_kustomization_set(kustomization, name, dependencies=False)
    flux_source.check_source_kind(kind)
    arm = arm_client(cmd.cli_ctx)
    cluster = arm.cluster(**_cluster_args(resource_group_name, cluster_type, cluster_name,
                                          cluster_resource_provider))
    from azext_fluxlite._az_console import progress_stream
    return operations.update(arm, cluster, args, no_wait=no_wait, compliance_timeout=timeout, dry_run=dry_run,
                             confirm=confirmer(cmd, yes), progress=progress_stream(cmd.cli_ctx))


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
                interval=None, timeout=3600):
    condition = pick_condition(created, updated, deleted, exists, custom, compliant)
    check_config_name(name)
    arm = arm_client(cmd.cli_ctx)
    cluster = arm.cluster(**_cluster_args(resource_group_name, cluster_type, cluster_name,
                                          cluster_resource_provider))
    from azext_fluxlite._az_console import progress_stream
    wait_for(lambda: shape_flux_configuration(arm.get_flux(cluster, name)), condition,
             "flux configuration '{}'".format(name), interval=interval, timeout=timeout, custom=custom,
             stream=progress_stream(cmd.cli_ctx))


def delete_config(cmd, resource_group_name, cluster_name, cluster_type, name, cluster_resource_provider=None,
                  force=False, yes=False, no_wait=False):
    check_config_name(name)
    arm = arm_client(cmd.cli_ctx)
    cluster = arm.cluster(**_cluster_args(resource_group_name, cluster_type, cluster_name,
                                          cluster_resource_provider))
    confirm = confirmer(cmd, yes)
    confirm("Are you sure you want to perform this operation?")
    operations.delete(arm, cluster, name, force=force, no_wait=no_wait, confirm=confirm)


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
