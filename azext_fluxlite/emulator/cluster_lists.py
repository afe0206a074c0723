"""Listing clusters: `GET /subscriptions/{sub}[/resourceGroups/{rg}]/providers/{rp}/{clusterType}`.

Paged like every emulator collection (`--page-size`, nextLink with $skipToken); tags and location
are the ones the cluster was created with (`az resource create`/`tag`, a PUT on the cluster path).
"""
from .config import CLUSTER_TYPES
from .responses import ArmError
from .rp_common import page


def is_cluster_collection(rp, cluster_type):
    known = CLUSTER_TYPES.get(str(cluster_type).lower())
    return known is not None and known[0].lower() == str(rp).lower()


def _parts(cluster_id):
    """(subscription, resource group, rp, type) of a cluster id, lower-cased."""
    parts = cluster_id.lower().split("/")
    return parts[2], parts[4], parts[6], parts[7]


def handle(ctx, sub, resource_group, rp, cluster_type):
    if ctx.req.method != "GET":
        raise ArmError(405, "MethodNotAllowed", "The collection only supports GET.")
    base = "/subscriptions/{}".format(sub)
    with ctx.store.read() as tx:
        if resource_group is not None:
            base += "/resourceGroups/{}".format(resource_group)
            if tx.get(base) is None:
                raise ArmError(404, "ResourceGroupNotFound",
                               "Resource group '{}' could not be found.".format(resource_group))
        records = tx.of_kind("cluster")
    want = (sub.lower(), None if resource_group is None else resource_group.lower(), rp.lower(), cluster_type.lower())
    bodies = []
    for record in sorted(records, key=lambda r: r.key):
        s, g, r, t = _parts(record.id)
        if (s, r, t) == (want[0], want[2], want[3]) and want[1] in (None, g):
            bodies.append(record.body)
    return page(ctx, bodies, "{}/providers/{}/{}".format(base, rp, cluster_type))
