"""Azure Resource Graph queries (POST /providers/Microsoft.ResourceGraph/resources), paged.

One query answers for a whole subscription: the clusters of a selection (`resources`) or every
cluster's flux configuration of one name (`kubernetesconfigurationresources`).  Pages hold at most
1000 rows and are followed with `$skipToken`.
"""
from azext_fluxlite.core.errors import FluxliteError, ServiceError

GRAPH_PATH = "/providers/Microsoft.ResourceGraph/resources"
GRAPH_API_VERSION = "2022-10-01"
PAGE_ROWS = 1000
MAX_PAGES = 1000
CLUSTER_TYPES_KQL = ("'microsoft.kubernetes/connectedclusters', 'microsoft.containerservice/managedclusters', "
                     "'microsoft.hybridcontainerservice/provisionedclusters'")


class GraphUnavailable(ServiceError):
    """Resource Graph could not answer (not registered, forbidden, not served here, down)."""


def kql_string(value):
    """A KQL string literal."""
    return "'{}'".format(str(value).replace("\\", "\\\\").replace("'", "\\'"))


def query(arm, kql, subscriptions=None, counter=None):
    """All rows of `kql` over the subscriptions (default: the client's), following $skipToken.

    `counter` (a list) gets one item per page requested.  Raises GraphUnavailable when the service
    cannot be used; an error in the query itself (400) is raised as it is.
    """
    subscriptions = list(subscriptions or [arm.subscription_id])
    rows, token = [], None
    for _ in range(MAX_PAGES):
        options = {"$top": PAGE_ROWS, "resultFormat": "objectArray"}
        if token:
            options["$skipToken"] = token
        body = {"subscriptions": subscriptions, "query": kql, "options": options}
        if counter is not None:
            counter.append(1)
        try:
            page = arm.request_json("POST", GRAPH_PATH, GRAPH_API_VERSION, body=body, what="Resource Graph query")
        except FluxliteError as exc:
            if getattr(exc, "az_class", "") in ("BadRequestError",):
                raise
            raise GraphUnavailable("Azure Resource Graph is not available: {}".format(exc.message)) from None
        data = page.get("data")
        if isinstance(data, dict) and "rows" in data:       # table format: columns + rows
            names = [c.get("name") for c in data.get("columns") or []]
            data = [dict(zip(names, row)) for row in data.get("rows") or []]
        if not isinstance(data, list):
            raise GraphUnavailable("Azure Resource Graph answered without rows.")
        rows.extend(data)
        token = page.get("$skipToken")
        if not token:
            return rows
    raise GraphUnavailable("Azure Resource Graph kept paging past {} pages.".format(MAX_PAGES))
