"""`fleet status`: every selected cluster's configuration, read with one Resource Graph query.

Resource Graph's `kubernetesconfigurationresources` table holds every fluxConfiguration of the
subscription, so one paged query (1000 rows a page) answers for any number of clusters.  Where
Resource Graph cannot be used, each cluster's configuration is read with a GET instead (in
parallel), and a warning says so.  Resource Graph trails ARM by a few seconds after a write.
"""
import logging

from azext_fluxlite.core.errors import ResourceNotFoundError
from azext_fluxlite.fleet import graph
from azext_fluxlite.fleet.rollout import parallel_map

logger = logging.getLogger("cli." + __name__)
CONFIG_MARKER = "/providers/microsoft.kubernetesconfiguration/fluxconfigurations/"


def graph_query_text(name):
    return ("kubernetesconfigurationresources\n"
            "| where type =~ 'microsoft.kubernetesconfiguration/fluxconfigurations' and name =~ {}\n"
            "| project id, name, properties".format(graph.kql_string(name)))


def _by_cluster_from_graph(arm, name, counter=None):
    configs = {}
    for row in graph.query(arm, graph_query_text(name), counter=counter):
        rid = str(row.get("id") or "").lower()
        if CONFIG_MARKER not in rid:
            continue
        configs[rid.split(CONFIG_MARKER)[0]] = {"properties": row.get("properties") or {}}
    return configs


def _by_cluster_from_gets(arm, clusters, name, max_parallel):
    def get(cluster):
        try:
            return cluster.id.lower(), arm.get_flux(cluster.ref, name)
        except ResourceNotFoundError:
            return cluster.id.lower(), None
    return dict(parallel_map(get, clusters, max_parallel))


def _first_failing_message(props):
    for status in props.get("statuses") or []:
        if status.get("complianceState") in ("Compliant", "Suspended", None):
            continue
        for condition in status.get("statusConditions") or []:
            if condition.get("message"):
                return "{} {}/{}: {}".format(status.get("kind"), status.get("namespace"), status.get("name"),
                                             condition["message"])
        return "{} {}/{}: {}".format(status.get("kind"), status.get("namespace"), status.get("name"),
                                     status.get("complianceState"))
    return props.get("errorMessage") or None


def status_row(cluster, name, config):
    row = cluster.identity()
    if config is None:
        row.update(provisioningState=None, complianceState=None, sourceRevision=None, nonCompliantObjects=None,
                   message="no flux configuration '{}' on this cluster".format(name))
        return row
    props = config.get("properties") or {}
    row.update(provisioningState=props.get("provisioningState"), complianceState=props.get("complianceState"),
               sourceRevision=props.get("sourceSyncedCommitId"),
               nonCompliantObjects=sum(1 for s in props.get("statuses") or []
                                       if s.get("complianceState") == "Non-Compliant"),
               message=_first_failing_message(props))
    return row


def status(arm, clusters, name, max_parallel=10, use_graph=True, counter=None):
    """One status row per cluster, in the clusters' order."""
    configs = None
    if use_graph:
        try:
            configs = _by_cluster_from_graph(arm, name, counter)
        except graph.GraphUnavailable as exc:
            logger.warning("%s; reading each cluster's configuration instead (%d requests).", exc.message,
                           len(clusters))
    if configs is None:
        configs = _by_cluster_from_gets(arm, clusters, name, max_parallel)
    return [status_row(c, name, configs.get(c.id.lower())) for c in clusters]
