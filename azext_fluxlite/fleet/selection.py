"""Which clusters a fleet command targets.

Sources (combinable; their clusters are joined): `--cluster-ids`, `--resource-group` (every cluster
of `--cluster-type`, or of both AKS and Arc, in the group) and `--graph-query` (any Azure Resource
Graph query whose rows carry cluster ids).  `--cluster-type` and `--tags` then filter; `--tags`
alone searches the whole subscription.  Clusters keep the order of --cluster-ids, then the others
sorted by resource group and name: that order decides which clusters are the canaries.
"""
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from azext_fluxlite.core.cluster import FLUX_CLUSTER_TYPES, ClusterRef, canonical_cluster_type, resolve_cluster_rp
from azext_fluxlite.core.errors import (ArgumentUsageError, InvalidArgumentValueError, ResourceNotFoundError)
from azext_fluxlite.fleet import graph
from azext_fluxlite.fleet.rollout import parallel_map

# Cluster type -> (resource provider as listed, api-version of the cluster resource).
CLUSTER_APIS = {
    "connectedClusters": ("Microsoft.Kubernetes", "2024-01-01"),
    "managedClusters": ("Microsoft.ContainerService", "2025-01-01"),
    # Top-level provisionedClusters exist only in the 2022 previews (2024-01-01 has provisionedClusterInstances);
    # the originals read them with 2022-05-01-preview.
    "provisionedClusters": ("Microsoft.HybridContainerService", "2022-05-01-preview"),
}
DEFAULT_TYPES = ("connectedClusters", "managedClusters")     # "AKS and Arc"
ID_EXAMPLE = ("/subscriptions/SUB/resourceGroups/RG/providers/Microsoft.Kubernetes/connectedClusters/NAME")


@dataclass(frozen=True)
class FleetCluster:
    ref: ClusterRef
    location: Optional[str] = None
    tags: Dict[str, str] = field(default_factory=dict)

    @property
    def id(self):
        return self.ref.resource_id

    def identity(self):
        """The fields every fleet result starts with."""
        return {"cluster": self.id, "resourceGroup": self.ref.resource_group, "clusterType": self.ref.cluster_type}

    def row(self):
        return dict(self.identity(), location=self.location, tags=dict(self.tags or {}))


@dataclass
class Selection:
    cluster_ids: List[str] = field(default_factory=list)
    resource_group: Optional[str] = None
    cluster_type: Optional[str] = None
    tags: Dict[str, Optional[str]] = field(default_factory=dict)
    graph_query: Optional[str] = None

    def describe(self):
        parts = []
        if self.cluster_ids:
            parts.append("--cluster-ids ({} given)".format(len(self.cluster_ids)))
        if self.resource_group:
            parts.append("resource group '{}'".format(self.resource_group))
        if self.graph_query:
            parts.append("the --graph-query results")
        if not parts:
            parts.append("the whole subscription")
        text = " and ".join(parts)
        if self.cluster_type or not (self.cluster_ids or self.graph_query):
            text += " ({})".format(", ".join((self.cluster_type,) if self.cluster_type else DEFAULT_TYPES))
        if self.tags:
            text += " with tags " + " ".join(k if v is None else "{}={}".format(k, v) for k, v in self.tags.items())
        return text


def parse_tags(values):
    """--tags KEY=VALUE [KEY=VALUE ...] (KEY alone: the tag is present, any value)."""
    tags = {}
    for value in values or []:
        key, sep, val = str(value).partition("=")
        key = key.strip()
        if not key:
            raise InvalidArgumentValueError("--tags '{}': write KEY=VALUE, e.g. --tags env=prod team=payments."
                                            .format(value))
        tags[key] = val if sep else None
    return tags


def parse_cluster_id(text):
    """A ClusterRef for one --cluster-ids value (subscription as written)."""
    parts = [p for p in str(text or "").strip().split("/") if p]
    low = [p.lower() for p in parts]
    if len(parts) != 8 or low[0] != "subscriptions" or low[2] != "resourcegroups" or low[4] != "providers":
        raise InvalidArgumentValueError("--cluster-ids '{}' is not a cluster's ARM id: it looks like {}."
                                        .format(text, ID_EXAMPLE))
    try:
        ctype = canonical_cluster_type(parts[6])
    except InvalidArgumentValueError:
        ctype = None
    if ctype not in FLUX_CLUSTER_TYPES or CLUSTER_APIS[ctype][0].lower() != low[5]:
        raise InvalidArgumentValueError(
            "--cluster-ids '{}' is not a connectedClusters, managedClusters or provisionedClusters id "
            "(providers Microsoft.Kubernetes, Microsoft.ContainerService, Microsoft.HybridContainerService)."
            .format(text))
    rp, ctype = resolve_cluster_rp(ctype, parts[5] if ctype == "provisionedClusters" else None)
    return ClusterRef(parts[1], parts[3], rp, ctype, parts[7])


def check_selection(cluster_ids=None, resource_group=None, cluster_type=None, tags=None, graph_query=None):
    """Validate the selection flags (no network) and return a Selection."""
    ids = []
    for value in cluster_ids or []:
        ids.extend(v for v in str(value).replace(",", " ").split() if v)
    for value in ids:
        parse_cluster_id(value)
    if cluster_type is not None:
        cluster_type = canonical_cluster_type(cluster_type)
        if cluster_type not in FLUX_CLUSTER_TYPES:
            raise InvalidArgumentValueError("--cluster-type '{}' cannot run flux configurations: use one of {}."
                                            .format(cluster_type, ", ".join(FLUX_CLUSTER_TYPES)))
    if graph_query is not None and not str(graph_query).strip():
        raise InvalidArgumentValueError("--graph-query is empty: give a Resource Graph query that returns cluster ids.")
    selection = Selection(ids, resource_group or None, cluster_type, parse_tags(tags), graph_query)
    if not (ids or selection.resource_group or selection.tags or graph_query):
        raise ArgumentUsageError("Select the clusters: give --cluster-ids, --resource-group/-g, --tags or "
                                 "--graph-query (they combine).")
    return selection


def _from_resource(resource):
    """A FleetCluster from a cluster resource (ARM GET/list or a Resource Graph row), or None."""
    rid = resource.get("id") or ""
    try:
        ref = parse_cluster_id(rid)
    except InvalidArgumentValueError:
        return None
    return FleetCluster(ref, resource.get("location"), dict(resource.get("tags") or {}))


def _list_type(arm, ctype, resource_group=None):
    rp, api = CLUSTER_APIS[ctype]
    base = "/subscriptions/{}".format(arm.subscription_id)
    if resource_group:
        base += "/resourceGroups/{}".format(resource_group)
    items = arm.list_json("{}/providers/{}/{}".format(base, rp, ctype), api,
                          what="resource group '{}'".format(resource_group) if resource_group else None)
    return [c for c in (_from_resource(item) for item in items) if c is not None]


def _get_cluster(arm, ref):
    api = CLUSTER_APIS[ref.cluster_type][1]
    try:
        body = arm.request_json("GET", ref.resource_id, api, what="cluster")
    except ResourceNotFoundError:
        raise ResourceNotFoundError("--cluster-ids: cluster {} was not found in resource group '{}' "
                                    "(subscription {}).".format(ref.display, ref.resource_group,
                                                                ref.subscription_id)) from None
    return FleetCluster(ref, body.get("location"), dict(body.get("tags") or {}))


def _tags_match(cluster, tags):
    have = {str(k).lower(): v for k, v in (cluster.tags or {}).items()}
    for key, value in tags.items():
        if key.lower() not in have or (value is not None and have[key.lower()] != value):
            return False
    return True


def _graph_rows(arm, kql):
    """(id, row) for every row of a --graph-query; the row is kept when it carries location or tags."""
    out = []
    for row in graph.query(arm, kql):
        value = None
        if isinstance(row, dict):
            for key, item in row.items():
                if str(key).lower() in ("id", "clusterid"):
                    value = item
                    break
            if value is None and len(row) == 1:
                value = next(iter(row.values()))
        if not isinstance(value, str):
            raise InvalidArgumentValueError("--graph-query must return cluster ids in a column named 'id' "
                                            "(e.g. end it with '| project id'); a row had {}.".format(row))
        try:
            ref = parse_cluster_id(value)
        except InvalidArgumentValueError:
            raise InvalidArgumentValueError(
                "--graph-query returned '{}', which is not a connectedClusters, managedClusters or "
                "provisionedClusters id: filter the query by type.".format(value)) from None
        known = "location" in row or "tags" in row
        out.append((ref, FleetCluster(ref, row.get("location"), dict(row.get("tags") or {})) if known else None))
    return out


def resolve(arm, selection, max_parallel=10):
    """The clusters a Selection stands for; ResourceNotFoundError when there are none."""
    subscription = arm.subscription_id
    found = {}
    ordered = []

    def add(cluster):
        key = cluster.id.lower()
        if key not in found:
            found[key] = cluster
            ordered.append(cluster)

    refs = [parse_cluster_id(value) for value in selection.cluster_ids]
    graph_rows = _graph_rows(arm, selection.graph_query) if selection.graph_query else []
    for ref in refs + [ref for ref, _ in graph_rows]:
        if ref.subscription_id.lower() != subscription.lower():
            raise InvalidArgumentValueError(
                "Cluster {} is in subscription {}, but this command runs in {}: select one subscription at a "
                "time (--subscription).".format(ref.resource_id, ref.subscription_id, subscription))
    for cluster in parallel_map(lambda ref: _get_cluster(arm, ref), refs, max_parallel):
        add(cluster)
    listed = [cluster for _, cluster in graph_rows if cluster is not None]
    listed.extend(parallel_map(lambda ref: _get_cluster(arm, ref),
                               [ref for ref, cluster in graph_rows if cluster is None], max_parallel))
    if selection.resource_group or not (selection.cluster_ids or selection.graph_query):
        types = (selection.cluster_type,) if selection.cluster_type else DEFAULT_TYPES
        try:
            for chunk in parallel_map(lambda t: _list_type(arm, t, selection.resource_group), types, max_parallel):
                listed.extend(chunk)
        except ResourceNotFoundError:
            raise ResourceNotFoundError("--resource-group '{}' was not found in subscription {}.".format(
                selection.resource_group, subscription)) from None
    for cluster in sorted(listed, key=lambda c: (c.ref.resource_group.lower(), c.ref.cluster_name.lower(),
                                                 c.id.lower())):
        add(cluster)
    clusters = [c for c in ordered
                if (selection.cluster_type is None or c.ref.cluster_type == selection.cluster_type)
                and _tags_match(c, selection.tags)]
    if not clusters:
        raise ResourceNotFoundError("No clusters found: searched {}.".format(selection.describe()))
    return clusters
