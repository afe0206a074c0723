"""Resource groups and cluster resources (the parents of fluxConfigurations and extensions).

Clusters exist when seeded with `--cluster RG/TYPE/NAME` or created by a PUT on the cluster path
(`az resource create`, a REST call).  Path segments match case-insensitively; ids keep the casing
of the request that created them.
"""
import time
from dataclasses import dataclass

from . import DEFAULT_LOCATION
from .config import CLUSTER_TYPES
from .responses import ArmError, empty, new_guid, not_found, ok, system_data
from .store import Record

_CLUSTER_PROPERTIES = {
    "connectedclusters": {"agentPublicKeyCertificate": "", "kubernetesVersion": "1.30.4", "totalNodeCount": 3,
                          "totalCoreCount": 12, "agentVersion": "1.21.10", "distribution": "generic",
                          "infrastructure": "generic", "connectivityStatus": "Connected"},
    "managedclusters": {"kubernetesVersion": "1.30.4", "dnsPrefix": None, "enableRBAC": True,
                        "powerState": {"code": "Running"}},
    "fleets": {"hubProfile": None},
    "provisionedclusters": {"kubernetesVersion": "1.30.4"},
    "appliances": {"distro": "AKSEdge", "status": "Running"},
}


@dataclass(frozen=True)
class ClusterPath:
    subscription: str
    resource_group: str
    rp: str
    cluster_type: str
    name: str

    @property
    def id(self):
        return "/subscriptions/{}/resourceGroups/{}/providers/{}/{}/{}".format(
            self.subscription, self.resource_group, self.rp, self.cluster_type, self.name)

    @property
    def key(self):
        return self.id.lower()

    @property
    def group_key(self):
        return "/subscriptions/{}/resourcegroups/{}".format(self.subscription, self.resource_group).lower()

    def child_id(self, collection, name=None):
        path = "{}/providers/Microsoft.KubernetesConfiguration/{}".format(self.id, collection)
        return path if name is None else path + "/" + name

    def check_type(self, api_version):
        known = CLUSTER_TYPES.get(self.cluster_type.lower())
        if known is None or known[0].lower() != self.rp.lower():
            raise ArmError(404, "InvalidResourceType",
                           "The resource type '{}' could not be found in the namespace '{}' for api version '{}'."
                           .format(self.cluster_type, self.rp, api_version))


def _group_record(sub, rg, location=DEFAULT_LOCATION):
    rid = "/subscriptions/{}/resourceGroups/{}".format(sub, rg)
    return Record(key=rid.lower(), kind="resourceGroup", parent=None, id=rid, body={
        "id": rid, "name": rg, "type": "Microsoft.Resources/resourceGroups", "location": location,
        "managedBy": None, "tags": {}, "properties": {"provisioningState": "Succeeded"}})


def _cluster_body(cpath, location, given=None, existing=None, now=None):
    now = time.time() if now is None else now
    given = given or {}
    ctype = cpath.cluster_type.lower()
    props = dict(_CLUSTER_PROPERTIES.get(ctype, {}))
    if ctype == "managedclusters":
        props["dnsPrefix"] = cpath.name + "-dns"
    props.update(given.get("properties") or {})
    props["provisioningState"] = "Succeeded"
    body = {"id": cpath.id, "name": cpath.name, "type": "{}/{}".format(cpath.rp, cpath.cluster_type),
            "location": (given.get("location") or location or DEFAULT_LOCATION).replace(" ", "").lower(),
            "tags": given.get("tags") or {}, "properties": props}
    if ctype in ("connectedclusters", "managedclusters", "provisionedclusters"):
        old = (existing or {}).get("identity") or {}
        body["identity"] = {"type": "SystemAssigned", "principalId": old.get("principalId") or new_guid(),
                            "tenantId": old.get("tenantId")}
    created = (existing or {}).get("systemData", {}).get("createdAt")
    body["systemData"] = system_data(now, now)
    if created:
        body["systemData"]["createdAt"] = created
    return body


def seed(tx, settings, rg, rp, ctype, name):
    """Create a cluster (and its resource group) unless it exists already."""
    cpath = ClusterPath(settings.subscription_id, rg, rp, ctype, name)
    if tx.get(cpath.group_key) is None:
        tx.put(_group_record(settings.subscription_id, rg))
    if tx.get(cpath.key) is None:
        body = _cluster_body(cpath, DEFAULT_LOCATION)
        if body.get("identity"):
            body["identity"]["tenantId"] = settings.tenant_id
        tx.put(Record(key=cpath.key, kind="cluster", parent=cpath.group_key, id=cpath.id, body=body))


def missing_cluster(cpath):
    return not_found("The Resource '{}/{}/{}' under resource group '{}' was not found. For more details please go "
                     "to https://aka.ms/ARMResourceNotFoundFix".format(cpath.rp, cpath.cluster_type, cpath.name,
                                                                       cpath.resource_group))


def require_cluster(tx, cpath):
    record = tx.get(cpath.key)
    if record is None or record.kind != "cluster":
        raise missing_cluster(cpath)
    return record


def handle_cluster(ctx, cpath):
    req = ctx.req
    cpath.check_type(req.api_version)
    if req.method == "GET":
        with ctx.store.read() as tx:
            return ok(require_cluster(tx, cpath).body)
    if req.method in ("PUT", "PATCH"):
        given = req.json()
        if not isinstance(given, dict):
            raise ArmError(400, "InvalidRequestContent", "The request content must be a JSON object.")
        with ctx.store.write() as tx:
            existing = tx.get(cpath.key)
            if req.method == "PATCH" and existing is None:
                raise missing_cluster(cpath)
            if tx.get(cpath.group_key) is None:
                tx.put(_group_record(cpath.subscription, cpath.resource_group, given.get("location") or DEFAULT_LOCATION))
            if req.method == "PATCH":
                merged = dict(existing.body)
                merged["tags"] = given.get("tags", merged.get("tags"))
                given = merged
            body = _cluster_body(cpath, DEFAULT_LOCATION, given, existing.body if existing else None)
            if body.get("identity"):
                body["identity"]["tenantId"] = ctx.settings.tenant_id
            record = existing or Record(key=cpath.key, kind="cluster", parent=cpath.group_key, id=cpath.id, body={})
            record.body = body
            tx.put(record)
        return ok(body, status=200 if existing else 201)
    if req.method == "DELETE":
        with ctx.store.write() as tx:
            if tx.get(cpath.key) is None:
                return empty(204)
            tx.delete_tree(cpath.key)
        return empty(200)
    raise ArmError(405, "MethodNotAllowed", "The method '{}' is not allowed on a cluster.".format(req.method))


def handle_group(ctx, sub, rg):
    req = ctx.req
    rid = "/subscriptions/{}/resourceGroups/{}".format(sub, rg)
    missing = ArmError(404, "ResourceGroupNotFound", "Resource group '{}' could not be found.".format(rg))
    if req.method in ("GET", "HEAD"):
        with ctx.store.read() as tx:
            record = tx.get(rid)
        if record is None:
            if req.method == "HEAD":
                return empty(404)
            raise missing
        return empty(204) if req.method == "HEAD" else ok(record.body)
    if req.method == "PUT":
        given = req.json()
        if not isinstance(given, dict) or not given.get("location"):
            raise ArmError(400, "LocationRequired", "The location property is required for this definition.")
        with ctx.store.write() as tx:
            existing = tx.get(rid)
            record = existing or _group_record(sub, rg, given["location"])
            record.body["tags"] = given.get("tags") or {}
            tx.put(record)
        return ok(record.body, status=200 if existing else 201)
    if req.method == "DELETE":
        with ctx.store.write() as tx:
            if tx.get(rid) is None:
                raise missing
            tx.delete_tree(rid)
        return empty(200)
    raise ArmError(405, "MethodNotAllowed", "The method '{}' is not allowed on a resource group.".format(req.method))


def list_groups(ctx):
    with ctx.store.read() as tx:
        groups = [r.body for r in tx.of_kind("resourceGroup")]
    return ok({"value": groups, "nextLink": None})

