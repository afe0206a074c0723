"""fluxlite as a Python library, for CI scripts: no az needed.

    from azure.identity import DefaultAzureCredential
    from azext_fluxlite.api import Fluxlite

    flux = Fluxlite(DefaultAzureCredential(), subscription_id="...")
    results = flux.fleet_apply("cluster-config", resource_group="prod-rg", tags={"env": "prod"},
                               url="https://github.com/org/gitops", branch="main",
                               kustomizations=["name=apps path=./apps/prod prune=true"], canary=2)
    if results.failed:
        raise SystemExit(results.summary)

Every method validates its input exactly as the az commands do (same error classes and messages,
from `azext_fluxlite.core.errors`, raised before anything is sent) and sends the same requests.
Single-cluster methods take a cluster as an ARM id, a (resource_group, cluster_type, name) tuple,
or a `ClusterRef` (`Fluxlite.cluster(...)`).  Flux arguments are `flux create`'s, by their Python
names (`url`, `branch`, `https_user`, `https_key`, `ssh_private_key`, ...); `kustomizations` is a
list of `-k` strings ("name=apps path=./apps"), token lists or dicts.  All requests of one
`Fluxlite` share one credential (each token fetched once) and one connection pool; 429 answers
slow every request down for the Retry-After the service asks for.
"""
# pylint: disable=too-many-arguments
from azext_fluxlite.core import errors  # noqa: F401  (callers catch errors.FluxliteError & co.)
from azext_fluxlite.core.arm import ArmClient, sdk_client_factory
from azext_fluxlite.core.cluster import ClusterRef
from azext_fluxlite.core.errors import FluxliteError, InvalidArgumentValueError
from azext_fluxlite.core.names import check_config_name
from azext_fluxlite.core.output import shape_flux_configuration
from azext_fluxlite.fleet import engine
from azext_fluxlite.fleet.args import create_args, kustomization_groups
from azext_fluxlite.fleet.transport import FleetConnection
from azext_fluxlite.flux import operations

__all__ = ["Fluxlite", "FleetResults", "FluxliteError", "ClusterRef", "errors"]


class FleetResults(list):
    """The per-cluster results of a fleet operation (a list of dicts), with `.failed` and `.summary`."""

    @property
    def failed(self):
        return [r for r in self if r.get("action") == "failed"]

    @property
    def summary(self):
        """The one line naming the failed clusters, or None when none failed."""
        return engine.failure_summary(self)


def _selection(cluster_ids, resource_group, cluster_type, tags, graph_query):
    if isinstance(cluster_ids, str):
        cluster_ids = [cluster_ids]
    if isinstance(tags, dict):
        tags = [k if v is None else "{}={}".format(k, v) for k, v in tags.items()]
    elif isinstance(tags, str):
        tags = [tags]
    return {"cluster_ids": list(cluster_ids or []), "resource_group": resource_group, "cluster_type": cluster_type,
            "tags": list(tags or []), "graph_query": graph_query}


class Fluxlite:
    """Flux configurations on one cluster or a fleet, authenticated with any azure-identity credential."""

    def __init__(self, credential, subscription_id, endpoint="https://management.azure.com", connection_verify=None):
        if not subscription_id:
            raise InvalidArgumentValueError("subscription_id is required.")
        self.connection = FleetConnection(connection_verify=connection_verify)
        self.arm = ArmClient(lambda: (credential, subscription_id), endpoint=endpoint,
                             client_factory=sdk_client_factory(endpoint, **self.connection.client_kwargs()))

    # -- clusters ---------------------------------------------------------------------------------
    def cluster(self, resource_group=None, cluster_type=None, cluster_name=None, cluster_rp=None, cluster_id=None):
        """A ClusterRef from an ARM id, or from resource group, type and name."""
        if cluster_id:
            from azext_fluxlite.fleet.selection import parse_cluster_id
            return parse_cluster_id(cluster_id)
        if cluster_type == "provisionedClusters" and not cluster_rp:
            cluster_rp = "microsoft.hybridcontainerservice"
        return self.arm.cluster(resource_group, cluster_type, cluster_name, cluster_rp)

    def _ref(self, cluster):
        if isinstance(cluster, ClusterRef):
            return cluster
        if isinstance(cluster, str):
            return self.cluster(cluster_id=cluster)
        if isinstance(cluster, (tuple, list)) and len(cluster) == 3:
            return self.cluster(*cluster)
        raise InvalidArgumentValueError("cluster must be an ARM id, a (resource_group, cluster_type, name) tuple "
                                        "or a ClusterRef (got {!r}).".format(cluster))

    @staticmethod
    def _flux_args(name, kustomizations, values):
        values = dict(values)
        values["name"] = name
        values["kustomization"] = kustomization_groups(kustomizations) or None
        return create_args(values)

    # -- one cluster ------------------------------------------------------------------------------
    def create(self, cluster, name, kustomizations=None, wait_for_compliance=False, compliance_timeout="10m",
               no_wait=False, **flux_args):
        """`flux create`: PUT the configuration (installing microsoft.flux first when missing)."""
        args = self._flux_args(name, kustomizations, flux_args)
        timeout = operations.compliance_options(wait_for_compliance, compliance_timeout, no_wait, False)
        return operations.create(self.arm, self._ref(cluster), args, no_wait=no_wait, compliance_timeout=timeout)

    def update(self, cluster, name, kustomizations=None, wait_for_compliance=False, compliance_timeout="10m",
               no_wait=False, **flux_args):
        """`flux update`: PATCH only what is given."""
        check_config_name(name)
        args = dict(flux_args, name=name, kustomization=kustomization_groups(kustomizations) or None)
        timeout = operations.compliance_options(wait_for_compliance, compliance_timeout, no_wait, False)
        return operations.update(self.arm, self._ref(cluster), args, no_wait=no_wait, compliance_timeout=timeout)

    def show(self, cluster, name):
        check_config_name(name)
        return shape_flux_configuration(self.arm.get_flux(self._ref(cluster), name))

    def delete(self, cluster, name, force=False):
        """Delete a configuration; False when there was none."""
        check_config_name(name)
        return operations.delete(self.arm, self._ref(cluster), name, force=force)

    def wait_for_compliance(self, cluster, name, timeout="10m"):
        """Wait until the configuration is Compliant; raises when it is Non-Compliant or time runs out."""
        check_config_name(name)
        seconds = operations.compliance_options(True, timeout, False, False)
        ref = self._ref(cluster)
        return operations.wait_for_compliance(self.arm, ref, name, seconds)

    # -- fleets -----------------------------------------------------------------------------------
    def list_clusters(self, cluster_ids=None, resource_group=None, cluster_type=None, tags=None, graph_query=None,
                      max_parallel=10):
        return engine.run_list_clusters(self.arm, _selection(cluster_ids, resource_group, cluster_type, tags,
                                                             graph_query), max_parallel)

    def fleet_apply(self, name, cluster_ids=None, resource_group=None, cluster_type=None, tags=None,
                    graph_query=None, kustomizations=None, dry_run=False, wait_for_compliance=False,
                    compliance_timeout="10m", max_parallel=10, canary=0, max_failures=None, rotate_secrets=False,
                    **flux_args):
        args = self._flux_args(name, kustomizations, flux_args)
        return FleetResults(engine.run_apply(
            self.arm, _selection(cluster_ids, resource_group, cluster_type, tags, graph_query), args,
            dry_run=dry_run, wait_for_compliance=wait_for_compliance, compliance_timeout=compliance_timeout,
            max_parallel=max_parallel, canary=canary, max_failures=max_failures, rotate_secrets=rotate_secrets))

    def fleet_status(self, name, cluster_ids=None, resource_group=None, cluster_type=None, tags=None,
                     graph_query=None, max_parallel=10):
        return engine.run_status(self.arm, _selection(cluster_ids, resource_group, cluster_type, tags, graph_query),
                                 name, max_parallel=max_parallel)

    def fleet_delete(self, name, cluster_ids=None, resource_group=None, cluster_type=None, tags=None,
                     graph_query=None, force=False, max_parallel=10, canary=0, max_failures=None):
        return FleetResults(engine.run_delete(
            self.arm, _selection(cluster_ids, resource_group, cluster_type, tags, graph_query), name, force=force,
            max_parallel=max_parallel, canary=canary, max_failures=max_failures))
