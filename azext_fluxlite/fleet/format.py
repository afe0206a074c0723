"""`-o table` formats of the fleet commands: one row per cluster."""
from collections import OrderedDict


def _name(row):
    return str(row.get("cluster") or "").rsplit("/", 1)[-1]


def results_table(result):
    rows = []
    for item in result or []:
        note = item.get("error") or ", ".join(item.get("changes") or [])
        rows.append(OrderedDict([
            ("Cluster", _name(item)), ("ResourceGroup", item.get("resourceGroup")),
            ("ClusterType", item.get("clusterType")), ("Action", item.get("action")),
            ("ProvisioningState", item.get("provisioningState") or ""),
            ("ComplianceState", item.get("complianceState") or ""), ("Details", note or ""),
        ]))
    return rows


def status_table(result):
    rows = []
    for item in result or []:
        count = item.get("nonCompliantObjects")
        rows.append(OrderedDict([
            ("Cluster", _name(item)), ("ResourceGroup", item.get("resourceGroup")),
            ("ClusterType", item.get("clusterType")), ("ProvisioningState", item.get("provisioningState") or ""),
            ("ComplianceState", item.get("complianceState") or ""),
            ("SourceRevision", item.get("sourceRevision") or ""),
            ("NonCompliantObjects", "" if count is None else count), ("Message", item.get("message") or ""),
        ]))
    return rows


def clusters_table(result):
    return [OrderedDict([
        ("Cluster", _name(item)), ("ResourceGroup", item.get("resourceGroup")),
        ("ClusterType", item.get("clusterType")), ("Location", item.get("location") or ""),
        ("Tags", " ".join("{}={}".format(k, v) for k, v in sorted((item.get("tags") or {}).items()))),
    ]) for item in result or []]
