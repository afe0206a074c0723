"""`az k8s-configuration fleet apply|status|delete|list-clusters`: the az adapter of fleet/engine.py.

Each function takes az's arguments, builds one ArmClient from az's login whose SDK clients share one
transport and throttle (fleet/transport.py), and hands the work to the engine.  When clusters
failed, the results are still printed; then one ERROR line names the failed clusters and the exit
code is 1.
"""
# pylint: disable=too-many-arguments,too-many-locals,unused-argument
from azext_fluxlite.fleet import engine
from azext_fluxlite.fleet.args import create_args
from azext_fluxlite.flux.operations import SOURCE_ARGS


def _arm(cmd):
    from azext_fluxlite._az_arm import arm_client
    from azext_fluxlite.fleet.transport import FleetConnection
    return arm_client(cmd.cli_ctx, client_kwargs=FleetConnection().client_kwargs(), progress=False)


def _selection(cluster_ids, resource_group, cluster_type, tags, graph_query):
    return {"cluster_ids": cluster_ids, "resource_group": resource_group, "cluster_type": cluster_type,
            "tags": tags, "graph_query": graph_query}


def _report_failures(cmd, results):
    """After az has printed the results: one ERROR line and exit code 1 when any cluster failed."""
    summary = engine.failure_summary(results)
    if summary is None:
        return results
    from knack.events import EVENT_CLI_SUCCESSFUL_EXECUTE
    from azext_fluxlite.core.errors import DeploymentError
    raised = []

    def fail(_cli_ctx, **_kwargs):
        if not raised:
            raised.append(True)
            raise DeploymentError(summary)

    cmd.cli_ctx.register_event(EVENT_CLI_SUCCESSFUL_EXECUTE, fail)
    return results


def fleet_apply(cmd, name, cluster_ids=None, resource_group=None, cluster_type=None, tags=None, graph_query=None,
                url=None, scope="cluster", namespace="default", kind="git", timeout=None, sync_interval=None,
                branch=None, tag=None, semver=None, commit=None, local_auth_ref=None, ssh_private_key=None,
                ssh_private_key_file=None, https_user=None, https_key=None, https_ca_cert=None,
                https_ca_cert_file=None, known_hosts=None, known_hosts_file=None, provider=None, bucket_name=None,
                bucket_access_key=None, bucket_secret_key=None, bucket_insecure=False, container_name=None,
                sp_client_id=None, sp_tenant_id=None, sp_client_secret=None, sp_client_cert=None,
                sp_client_cert_password=None, sp_client_cert_send_chain=False, account_key=None, sas_token=None,
                mi_client_id=None, digest=None, oci_media_type=None, oci_operation=None, tls_ca_certificate=None,
                tls_client_certificate=None, tls_private_key=None, service_account_name=None,
                use_workload_identity=None, oci_insecure=None, verification_provider=None, match_oidc_identity=None,
                verification_config=None, suspend=False, kustomization=None, dry_run=False,
                wait_for_compliance=None, compliance_timeout="10m", max_parallel=10, canary=0, max_failures=None,
                rotate_secrets=False):
    given = dict(locals())
    flux_args = create_args({key: given[key] for key in SOURCE_ARGS + ("name", "scope", "namespace", "kind",
                                                                       "suspend", "kustomization")})
    results = engine.run_apply(_arm(cmd), _selection(cluster_ids, resource_group, cluster_type, tags,
                                                                   graph_query),
                               flux_args, dry_run=dry_run, wait_for_compliance=wait_for_compliance,
                               compliance_timeout=compliance_timeout, max_parallel=max_parallel, canary=canary,
                               max_failures=max_failures, rotate_secrets=rotate_secrets)
    return _report_failures(cmd, results)


def fleet_status(cmd, name, cluster_ids=None, resource_group=None, cluster_type=None, tags=None, graph_query=None,
                 max_parallel=10):
    return engine.run_status(_arm(cmd), _selection(cluster_ids, resource_group, cluster_type, tags,
                                                                 graph_query), name, max_parallel=max_parallel)


def fleet_delete(cmd, name, cluster_ids=None, resource_group=None, cluster_type=None, tags=None, graph_query=None,
                 force=False, yes=False, max_parallel=10, canary=0, max_failures=None):
    from azext_fluxlite._az_prompt import confirmer
    results = engine.run_delete(_arm(cmd), _selection(cluster_ids, resource_group, cluster_type, tags,
                                                                    graph_query), name, force=force,
                                max_parallel=max_parallel, canary=canary, max_failures=max_failures,
                                confirm=confirmer(cmd, yes))
    return _report_failures(cmd, results)


def fleet_list_clusters(cmd, cluster_ids=None, resource_group=None, cluster_type=None, tags=None, graph_query=None,
                        max_parallel=10):
    return engine.run_list_clusters(_arm(cmd), _selection(cluster_ids, resource_group, cluster_type,
                                                                        tags, graph_query), max_parallel)
