"""The side resources of the partner extension types, so a rehearsal of every type runs end to end.

Log Analytics workspaces (+ sharedKeys) and solutions, data collection endpoints, rules and
associations (also below a cluster), Azure Monitor workspaces (+ the recording-rule recommendations
and role assignments below them), Prometheus rule groups, Managed Grafana, storage accounts, Relay
and Service Bus namespaces with their children (+ listKeys), template deployments, the tenant-level
Microsoft.Monitor provider and the subscription's locations.  They are plain stored resources:
PUT creates or replaces (201/200), GET answers or 404s, DELETE removes with everything below it.
Keys are derived from the emulator's secret, never stored.
"""
import base64
import hashlib
import uuid

from . import DEFAULT_LOCATION, auth
from .providers import LOCATIONS
from .responses import ArmError, empty, not_found, ok
from .store import Record

KIND = "partnerResource"
OWNED = frozenset([
    "microsoft.operationalinsights", "microsoft.operationsmanagement", "microsoft.insights", "microsoft.monitor",
    "microsoft.alertsmanagement", "microsoft.dashboard", "microsoft.storage", "microsoft.relay",
    "microsoft.servicebus", "microsoft.resources"])
_ACTIONS = ("sharedkeys", "listkeys")


def route(ctx):
    """The response for a path this module owns, else None (the caller routes it)."""
    req, low, seg = ctx.req, ctx.req.lower, ctx.req.segments
    if low == ["providers", "microsoft.monitor"] and req.method == "GET":
        return ok(_monitor_provider())
    if len(low) < 3 or low[0] != "subscriptions":
        return None
    rest = low[2:]
    if rest == ["locations"] and req.method == "GET":
        auth.check_subscription(ctx.settings, seg[1])
        return ok({"value": [_location(seg[1], name) for name in LOCATIONS]})
    if len(rest) < 6 or rest[0] != "resourcegroups" or rest[2] != "providers":
        return None
    if rest[3] in OWNED:
        auth.check_subscription(ctx.settings, seg[1])
        return _handle(ctx, seg, parent_cluster=None)
    if len(rest) >= 9 and rest[6] == "providers" and rest[7] == "microsoft.insights":
        auth.check_subscription(ctx.settings, seg[1])
        return _handle(ctx, seg, parent_cluster="/" + "/".join(low[:8]))
    return None


def _monitor_provider():
    return {"id": "/providers/Microsoft.Monitor", "namespace": "Microsoft.Monitor",
            "resourceTypes": [{"resourceType": "accounts", "locations": LOCATIONS, "apiVersions": ["2023-04-03"]}]}


def _location(sub, display):
    name = display.replace(" ", "").lower()
    return {"id": "/subscriptions/{}/locations/{}".format(sub, name), "name": name, "displayName": display,
            "regionalDisplayName": display, "metadata": {"regionType": "Physical"}}


def _seed(ctx):
    return getattr(ctx.app, "signing_key", None) or ctx.app.secret      # never printed


def _key(ctx, resource_id, purpose):
    digest = hashlib.sha256("{}|{}|{}".format(_seed(ctx), resource_id.lower(), purpose).encode()).digest()
    return base64.b64encode(digest).decode("ascii")


def _guid(ctx, resource_id):
    digest = hashlib.sha256("{}|{}".format(_seed(ctx), resource_id.lower()).encode()).hexdigest()
    return str(uuid.UUID(digest[:32]))


def _missing(seg):
    name = "/".join(seg[6:])
    return not_found("The Resource '{}' under resource group '{}' was not found. For more details please go to "
                     "https://aka.ms/ARMResourceNotFoundFix".format(name, seg[3]))


def _handle(ctx, seg, parent_cluster):
    req = ctx.req
    path = "/" + "/".join(seg)
    key = path.lower()
    with ctx.store.read() as tx:
        group = tx.get("/subscriptions/{}/resourcegroups/{}".format(seg[1], seg[3]))
    if group is None:
        raise ArmError(404, "ResourceGroupNotFound", "Resource group '{}' could not be found.".format(seg[3]))
    last = req.lower[-1]
    if req.method == "POST" and last in _ACTIONS:
        return _action(ctx, seg[:-1], last)
    if last == "alertrulerecommendations" and req.method == "GET":
        return _recommendations(ctx, seg)
    # Collections have an odd number of segments after the provider namespace (type[/name/type]...).
    tail = len(seg) - (10 if parent_cluster else 6)
    if tail % 2 == 1:
        if req.method != "GET":
            raise ArmError(405, "MethodNotAllowed", "The method '{}' is not allowed on a collection.".format(req.method))
        with ctx.store.read() as tx:
            items = [r.body for r in tx.children(key, KIND)]
        if not items and last == "authorizationrules" and "microsoft.servicebus" in req.lower:
            items = [{"id": path + "/RootManageSharedAccessKey", "name": "RootManageSharedAccessKey",
                      "properties": {"rights": ["Listen", "Manage", "Send"]}}]
        return ok({"value": items, "nextLink": None})
    if req.method == "GET":
        with ctx.store.read() as tx:
            record = tx.get(key)
        if record is None:
            raise _missing(seg)
        return ok(record.body)
    if req.method == "PUT":
        return _put(ctx, seg, path, key, parent_cluster)
    if req.method == "DELETE":
        with ctx.store.write() as tx:
            if tx.get(key) is None:
                return empty(204)
            tx.delete_tree(key)
        return empty(200)
    raise ArmError(405, "MethodNotAllowed", "The method '{}' is not allowed here.".format(req.method))


def _container(key):
    """The key of the resource a nested resource lives in (None for a top-level resource)."""
    parts = key.split("/")
    if len(parts) <= 9:
        return None
    container = parts[:-2]
    if container[-2] == "providers":
        container = container[:-2]
    return "/".join(container)


def _put(ctx, seg, path, key, parent_cluster):
    given = ctx.req.json()
    if not isinstance(given, dict):
        raise ArmError(400, "InvalidRequestContent", "The request content must be a JSON object.")
    container = parent_cluster or _container(key)
    with ctx.store.write() as tx:
        if container and tx.get(container) is None:
            raise ArmError(404, "ParentResourceNotFound", "Can not perform requested operation on nested resource. "
                           "Parent resource '{}' not found.".format(container.rsplit("/", 1)[-1]))
        existing = tx.get(key)
        body = _body(ctx, seg, path, given, existing.body if existing else None)
        record = existing or Record(key=key, kind=KIND, parent=key.rsplit("/", 1)[0], id=path, body={})
        record.body = body
        tx.put(record)
    return ok(body, status=200 if existing else 201)


def _type(seg):
    """The ARM type: the last provider namespace and the type names after it."""
    start = max(i for i, part in enumerate(seg) if part.lower() == "providers")
    return "/".join([seg[start + 1]] + [seg[i] for i in range(start + 2, len(seg), 2)])


def _body(ctx, seg, path, given, old):
    kind = _type(seg).lower()
    properties = dict(given.get("properties") or {})
    body = {"id": path, "name": seg[-1], "type": _type(seg)}
    for field in ("kind", "sku", "tags", "identity", "plan"):
        if field in given:
            body[field] = given[field]
    if "location" in given or not seg[-2].lower() in ("topics", "subscriptions", "authorizationrules",
                                                      "hybridconnections", "roleassignments",
                                                      "datacollectionruleassociations"):
        body["location"] = (given.get("location") or DEFAULT_LOCATION)
    if kind == "microsoft.operationalinsights/workspaces":
        properties["customerId"] = (old or {}).get("properties", {}).get("customerId") or _guid(ctx, path)
        properties.setdefault("sku", {"name": "PerGB2018"})
    elif kind == "microsoft.monitor/accounts":
        properties["accountId"] = _guid(ctx, path)
        properties["metrics"] = {"prometheusQueryEndpoint": "https://{}.prometheus.monitor.azure.com".format(
            seg[-1].lower()), "internalId": "mac_" + _guid(ctx, path)}
    elif kind == "microsoft.storage/storageaccounts":
        name = seg[-1].lower()
        properties["primaryEndpoints"] = {"blob": "https://{}.blob.core.windows.net/".format(name),
                                          "queue": "https://{}.queue.core.windows.net/".format(name)}
    elif kind == "microsoft.dashboard/grafana":
        body.setdefault("identity", {"type": "SystemAssigned"})
        body["identity"] = dict(body["identity"], principalId=(
            ((old or {}).get("identity") or {}).get("principalId") or _guid(ctx, path + "/identity")))
    properties["provisioningState"] = "Succeeded"
    body["properties"] = properties
    return body


def _action(ctx, seg, action):
    resource_id = "/" + "/".join(seg)
    with ctx.store.read() as tx:
        record = tx.get(resource_id)
    if record is None:
        raise _missing(seg)
    if action == "sharedkeys":
        return ok({"primarySharedKey": _key(ctx, resource_id, "primary"),
                   "secondarySharedKey": _key(ctx, resource_id, "secondary")})
    namespace = seg[7] if len(seg) > 7 else seg[-1]
    host = "{}.{}".format(namespace.lower(), "servicebus.windows.net")
    primary, secondary = _key(ctx, resource_id, "primary"), _key(ctx, resource_id, "secondary")
    template = "Endpoint=sb://{}/;SharedAccessKeyName={};SharedAccessKey={}"
    return ok({"keyName": seg[-1], "primaryKey": primary, "secondaryKey": secondary,
               "primaryConnectionString": template.format(host, seg[-1], primary),
               "secondaryConnectionString": template.format(host, seg[-1], secondary)})


def _recommendations(ctx, seg):
    amw = "/" + "/".join(seg[:8])
    with ctx.store.read() as tx:
        if tx.get(amw) is None:
            raise _missing(seg[:8])
    base = amw + "/providers/microsoft.alertsManagement/alertRuleRecommendations/"

    def recording(name, rules):
        return {"id": base + name, "name": name, "type": "Microsoft.AlertsManagement/alertRuleRecommendations",
                "properties": {"alertRuleType": "Microsoft.AlertsManagement/prometheusRuleGroups",
                               "rulesArmTemplate": {"resources": [{"properties": {"rules": rules}}]}}}
    node = [{"record": "instance:node_num_cpu:sum",
             "expression": "count without (cpu, mode) (node_cpu_seconds_total{job=\"node\",mode=\"idle\"})"}]
    kube = [{"record": "node_namespace_pod_container:container_memory_working_set_bytes",
             "expression": "container_memory_working_set_bytes{job=\"cadvisor\", image!=\"\"}"}]
    alert = recording("KubernetesAlert-DefaultAlerts", [{"alert": "KubePodCrashLooping", "expression": "x > 0"}])
    return ok({"value": [recording("NodeRecordingRulesRuleGroup", node),
                         recording("KubernetesRecordingRulesRuleGroup", kube),
                         recording("NodeRecordingRulesRuleGroup-Win", node), alert]})
