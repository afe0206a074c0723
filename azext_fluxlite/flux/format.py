"""`-o table` formats of the flux commands (the originals' columns, in their order)."""
from collections import OrderedDict

from azext_fluxlite.core.durations import format_duration


def _config_row(item):
    return OrderedDict([
        ("namespace", item.get("namespace")),
        ("name", item.get("name")),
        ("scope", item.get("scope")),
        ("provisioningState", item.get("provisioningState")),
        ("complianceState", item.get("complianceState")),
        ("statusUpdatedAt", item.get("statusUpdatedAt")),
        ("sourceUpdatedAt", item.get("sourceUpdatedAt")),
    ])


def flux_config_list_table(result):
    rows = []
    for item in result or []:
        row = _config_row(item)
        # fluxlite adds the revision the source last fetched ("" keeps the column when it is unknown).
        row["sourceRevision"] = item.get("sourceSyncedCommitId") or ""
        rows.append(row)
    return rows


def flux_config_show_table(result):
    return _config_row(result or {})


def dependency_order(kustomizations):
    """Names of `kustomizations` ({name: body}) so that each comes after what it depends on.

    Ties keep the service's order; names in a cycle or depending on unknown names keep their place
    after everything that can be ordered.
    """
    names = list(kustomizations)
    deps = {n: [d for d in ((kustomizations[n] or {}).get("dependsOn") or []) if d in kustomizations]
            for n in names}
    ordered, placed = [], set()
    progress = True
    while progress:
        progress = False
        for name in names:
            if name not in placed and all(d in placed for d in deps[name]):
                ordered.append(name)
                placed.add(name)
                progress = True
                break
    ordered.extend(n for n in names if n not in placed)
    return ordered


def kustomization_table(result):
    rows = []
    for name in dependency_order(result or {}):
        item = result[name] or {}
        rows.append(OrderedDict([
            ("name", name),
            ("path", item.get("path")),
            ("dependsOn", ",".join(item.get("dependsOn") or [])),
            # "" rather than None: knack drops None cells, which would also drop the column header.
            ("syncInterval", format_duration(item.get("syncIntervalInSeconds")) or ""),
            ("timeout", format_duration(item.get("timeoutInSeconds")) or ""),
            ("prune", item.get("prune")),
            ("force", item.get("force")),
        ]))
    return rows


def _ready_message(item):
    for condition in item.get("statusConditions") or []:
        if (condition or {}).get("type") == "Ready":
            message = condition.get("message") or ""
            return message[:60] + "..." if len(message) > 60 else message
    return "None"


def _object_row(item):
    return OrderedDict([
        ("kind", item.get("kind")),
        ("namespace", item.get("namespace")),
        ("name", item.get("name")),
        ("complianceState", item.get("complianceState")),
        ("message", _ready_message(item)),
    ])


def deployed_object_list_table(result):
    return [_object_row(item or {}) for item in result or []]


def deployed_object_show_table(result):
    return _object_row(result or {})


def status_table(result):
    """`flux status -o table`: the source, then one row per kustomization in dependency order."""
    def ready(value):
        return "Ready" if value is True else "Not ready" if value is False else "Unknown"

    source = (result or {}).get("source") or {}
    rows = [OrderedDict([("name", "source"), ("kind", source.get("kind") or ""), ("ready", ready(source.get("ready"))),
                         ("complianceState", source.get("complianceState") or ""),
                         ("revision", source.get("revision") or ""), ("failingObjects", 0),
                         ("message", source.get("message") or "")])]
    for entry in (result or {}).get("kustomizations") or []:
        failing = [o for o in entry.get("objects") or [] if o.get("complianceState") != "Compliant"]
        rows.append(OrderedDict([("name", entry.get("name")), ("kind", "Kustomization"),
                                 ("ready", ready(entry.get("ready"))),
                                 ("complianceState", entry.get("complianceState") or ""),
                                 ("revision", entry.get("revision") or ""), ("failingObjects", len(failing)),
                                 ("message", entry.get("message") or "")]))
    return rows
