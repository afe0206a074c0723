"""Flux v1 sourceControlConfigurations: list, get, delete, and a PUT to leave one on a cluster.

Flux v1 is retired and neither CLI creates these any more, but clusters still carry leftovers, which
`az k8s-configuration list|show|delete` manage and which stop a Flux v2 install.  The emulator
accepts a PUT (the API still has it) so that tests and demos can set up such a cluster; its DELETE
answers at once (200, or 204 when there was nothing), where the live service may run an operation.
Protected settings are stored by key only, as everywhere in the emulator.
"""
from . import clusters
from .responses import ArmError, empty, ok, system_data
from .rp_common import page
from .store import Record

KIND = "sourceControlConfiguration"
SCC_TYPE = "Microsoft.KubernetesConfiguration/sourceControlConfigurations"


def _missing(name):
    return ArmError(404, "ResourceNotFound", "SourceControlConfiguration with name '{}' not found.".format(name),
                    additional_info=[])


def _body(ctx, cpath, name, given, previous):
    props = given.get("properties") if isinstance(given, dict) else None
    if not isinstance(props, dict) or not isinstance(props.get("repositoryUrl"), str) or not props["repositoryUrl"]:
        raise ArmError(400, "InvalidRequestContent", "properties.repositoryUrl is required.")
    now = ctx.now()
    created = previous.created if previous else now
    protected = props.get("configurationProtectedSettings") or {}
    return {
        "id": cpath.child_id("sourceControlConfigurations", name), "name": name, "type": SCC_TYPE,
        "systemData": system_data(created, now, ctx.principal(), (previous.body if previous else {}).get("systemData")),
        "properties": {
            "repositoryUrl": props["repositoryUrl"],
            "operatorNamespace": props.get("operatorNamespace") or "default",
            "operatorInstanceName": props.get("operatorInstanceName") or name,
            "operatorType": props.get("operatorType") or "Flux",
            "operatorParams": props.get("operatorParams") or "",
            "configurationProtectedSettings": {key: "" for key in protected},
            "operatorScope": props.get("operatorScope") or "cluster",
            "repositoryPublicKey": "",
            "sshKnownHostsContents": props.get("sshKnownHostsContents") or "",
            "enableHelmOperator": bool(props.get("enableHelmOperator")),
            "helmOperatorProperties": props.get("helmOperatorProperties"),
            "provisioningState": "Succeeded",
            "complianceStatus": {"complianceState": "Installed", "lastConfigApplied": None,
                                 "message": "{\"OperatorMessage\":null,\"ClusterState\":null}",
                                 "messageLevel": "Information"},
        },
    }


def handle(ctx, cpath, tail):
    req = ctx.req
    if not tail and req.method == "GET":
        with ctx.store.read() as tx:
            cluster = clusters.require_cluster(tx, cpath)
            items = [r.body for r in tx.children(cluster.key, KIND)]
        return page(ctx, items, cpath.child_id("sourceControlConfigurations"))
    if len(tail) != 1 or req.method not in ("GET", "PUT", "DELETE"):
        raise ArmError(405, "MethodNotAllowed", "The fluxlite emulator has no {} for this path.".format(req.method))
    name = tail[0]
    key = cpath.child_id("sourceControlConfigurations", name).lower()
    if req.method == "GET":
        with ctx.store.read() as tx:
            clusters.require_cluster(tx, cpath)
            record = tx.get(key)
        if record is None:
            raise _missing(name)
        return ok(record.body)
    if req.method == "PUT":
        given = req.json()
        with ctx.store.write() as tx:
            cluster = clusters.require_cluster(tx, cpath)
            previous = tx.get(key)
            body = _body(ctx, cpath, name, given, previous)
            record = previous or Record(key=key, kind=KIND, parent=cluster.key, id=body["id"], body=body)
            record.body = body
            tx.put(record, now=ctx.now())
        return ok(body, status=200 if previous else 201)
    with ctx.store.write() as tx:
        clusters.require_cluster(tx, cpath)
        existed = tx.get(key) is not None
        if existed:
            tx.delete(key)
    return empty(200 if existed else 204)
