"""What Flux is doing, from a flux configuration's ARM JSON alone (no kubeconfig, no az).

`build_status` turns the configuration's `statuses` into the structure that
`az k8s-configuration flux status` prints: the source with its revision and readiness, each
kustomization in dependency order with its Ready condition, compliance, revision and message, and
under each the objects it applied (only those that are not compliant, unless every object is
asked for).  `render_text` draws it for a terminal; `changes` lists what differs between two
snapshots, for `--watch`.
"""
import re

from azext_fluxlite.flux.format import dependency_order

SOURCE_STATUS_KINDS = {"GitRepository": "GitRepository", "Bucket": "Bucket", "AzureBlob": "Bucket",
                       "OCIRepository": "OCIRepository"}
_REVISION_RE = re.compile(r"revision:?\s*'?([^'\s,]+)", re.IGNORECASE)

COLOURS = {"Compliant": "32", "Ready": "32", "Non-Compliant": "31", "Not ready": "31", "Failed": "31",
           "Pending": "33", "Unknown": "33", "Suspended": "36"}


def _ready_condition(status):
    for condition in (status or {}).get("statusConditions") or []:
        if (condition or {}).get("type") == "Ready":
            return condition
    return None


def _ready(status):
    """True / False from the Ready condition; None when there is none or it is Unknown."""
    condition = _ready_condition(status)
    value = str((condition or {}).get("status") or "").lower()
    return True if value == "true" else False if value == "false" else None


def _message(status):
    condition = _ready_condition(status) or {}
    return condition.get("message") or condition.get("reason") or ""


def revision_of(message):
    """The revision a Flux Ready message names ('Applied revision: main@sha1:ab12' -> 'main@sha1:ab12')."""
    match = _REVISION_RE.search(message or "")
    if not match or not re.search(r"[0-9@/:]", match.group(1)):
        return None     # 'failed to checkout and determine revision: unable to clone ...' names none
    return match.group(1)


def _key(status):
    return (status.get("kind"), status.get("namespace"), status.get("name"))


def _object(status):
    return {"kind": status.get("kind"), "namespace": status.get("namespace"), "name": status.get("name"),
            "ready": _ready(status), "complianceState": status.get("complianceState") or "Unknown",
            "message": _message(status)}


def build_status(config, show_all=False):
    """The `flux status` structure of one configuration (wire JSON as GET returns it)."""
    props = (config or {}).get("properties") or {}
    name = (config or {}).get("name")
    namespace = props.get("namespace")
    statuses = [s for s in props.get("statuses") or [] if isinstance(s, dict)]
    source_kind = props.get("sourceKind") or "GitRepository"
    status_kind = SOURCE_STATUS_KINDS.get(source_kind, source_kind)
    block = props.get({"GitRepository": "gitRepository", "Bucket": "bucket", "AzureBlob": "azureBlob",
                       "OCIRepository": "ociRepository"}.get(source_kind, "")) or {}
    kinds = (source_kind, status_kind)      # an AzureBlob source may be reported as AzureBlob or as Bucket
    source_status = next((s for s in statuses if s.get("kind") in kinds and s.get("name") == name
                          and s.get("namespace") in (namespace, None)), None)
    used = {_key(source_status)} if source_status else set()
    source_message = _message(source_status)
    source = {"kind": source_kind, "name": name, "namespace": namespace, "url": block.get("url"),
              "revision": props.get("sourceSyncedCommitId") or revision_of(source_message),
              "ready": _ready(source_status),
              "complianceState": (source_status or {}).get("complianceState") or "Unknown",
              "message": source_message, "updatedAt": props.get("sourceUpdatedAt")}

    kustomizations = props.get("kustomizations") or {}
    entries, owners = [], {}
    for k in dependency_order(kustomizations):
        own_name = "{}-{}".format(name, k)
        own = next((s for s in statuses if s.get("kind") == "Kustomization" and s.get("name") == own_name
                    and s.get("namespace") in (namespace, None)), None)
        if own is not None:
            used.add(_key(own))
        message = _message(own) if own else "no status reported yet"
        entry = {"name": k, "path": (kustomizations[k] or {}).get("path"),
                 "dependsOn": list((kustomizations[k] or {}).get("dependsOn") or []),
                 "ready": _ready(own), "complianceState": (own or {}).get("complianceState") or "Unknown",
                 "revision": revision_of(message) if own else None, "message": message, "objects": []}
        entries.append(entry)
        owners[(own_name, namespace)] = entry
    # Objects the kustomizations applied; a HelmChart (made by the source controller) goes with its HelmRelease.
    charts = {}
    for status in statuses:
        if _key(status) in used:
            continue
        applied = status.get("appliedBy") or {}
        entry = owners.get((applied.get("name"), applied.get("namespace")))
        if entry is None:
            continue
        used.add(_key(status))
        entry["objects"].append(status)
        ref = (status.get("helmReleaseProperties") or {}).get("helmChartRef") or {}
        if ref.get("name"):
            charts[("HelmChart", ref.get("namespace"), ref.get("name"))] = entry
    others = []
    for status in statuses:
        if _key(status) in used:
            continue
        entry = charts.get(_key(status))
        (entry["objects"] if entry is not None else others).append(status)
    for entry in entries:
        entry["objects"] = [_object(s) for s in entry["objects"]]
    status = {"name": name, "complianceState": props.get("complianceState") or "Unknown",
              "errorMessage": props.get("errorMessage") or None,
              "provisioningState": props.get("provisioningState"), "suspend": bool(props.get("suspend")),
              "source": source, "kustomizations": entries, "otherObjects": [_object(s) for s in others]}
    return status if show_all else failing_only(status)


def _failing(objects):
    return [obj for obj in objects if obj.get("complianceState") != "Compliant"]


def failing_only(status):
    """A copy of a status structure that lists only the objects that are not compliant."""
    out = dict(status)
    out["kustomizations"] = [dict(entry, objects=_failing(entry.get("objects") or []))
                             for entry in status.get("kustomizations") or []]
    out["otherObjects"] = _failing(status.get("otherObjects") or [])
    return out


# -- text ----------------------------------------------------------------------------------------
def _paint(text, state, colour):
    code = COLOURS.get(state)
    return "\033[{}m{}\033[0m".format(code, text) if colour and code else text


def _ready_word(ready):
    return "Ready" if ready is True else "Not ready" if ready is False else "Unknown"


def _state_cells(item, colour):
    ready = _ready_word(item.get("ready"))
    compliance = item.get("complianceState") or "Unknown"
    return (_paint(ready.ljust(9), ready, colour), _paint(compliance.ljust(13), compliance, colour))


def _object_line(obj, colour):
    compliance = obj.get("complianceState") or "Unknown"
    where = "{}/{}".format(obj.get("namespace"), obj.get("name")) if obj.get("namespace") else obj.get("name")
    line = "      {} {}  {}".format(obj.get("kind"), where, _paint(compliance, compliance, colour))
    return line + ("  " + obj["message"] if obj.get("message") else "")


def render_text(status, colour=False):
    """The status as a terminal would show it; ANSI colours only when `colour`."""
    overall = status.get("complianceState") or "Unknown"
    head = "Flux configuration {}: {}".format(status.get("name"), _paint(overall, overall, colour))
    if status.get("provisioningState") not in (None, "Succeeded"):
        head += " (provisioning {})".format(status["provisioningState"])
    if status.get("suspend"):
        head += " (suspended)"
    lines = [head]
    if _own_error(status):
        lines.append("  " + status["errorMessage"])
    source = status.get("source") or {}
    ready, compliance = _state_cells(source, colour)
    lines.append("Source {} {}".format(source.get("kind"), source.get("url") or ""))
    lines.append("  {} {} {}".format(ready, compliance, source.get("revision") or "-").rstrip())
    if source.get("message"):
        lines.append("    " + source["message"])
    kustomizations = status.get("kustomizations") or []
    width = max([len(k.get("name") or "") for k in kustomizations] + [4])
    lines.append("Kustomizations (in dependency order):" if kustomizations else "Kustomizations: none")
    for entry in kustomizations:
        ready, compliance = _state_cells(entry, colour)
        lines.append("  {} {} {} {}".format((entry.get("name") or "").ljust(width), ready, compliance,
                                            entry.get("revision") or "-"))
        if entry.get("message"):
            lines.append("    " + entry["message"])
        lines.extend(_object_line(obj, colour) for obj in entry.get("objects") or [])
    if status.get("otherObjects"):
        lines.append("Other objects:")
        lines.extend(_object_line(obj, colour) for obj in status["otherObjects"])
    return "\n".join(lines)


def _own_error(status):
    """The configuration's errorMessage when no source or kustomization message already says it (e.g. the
    microsoft.flux extension is missing), else None."""
    error = status.get("errorMessage")
    shown = [(status.get("source") or {}).get("message")] + [k.get("message") for k in status.get("kustomizations")
                                                               or []]
    return None if not error or any(m and m in error for m in shown) else error


# -- changes between two snapshots (--watch) -----------------------------------------------------
def _fields(item):
    return (item.get("ready"), item.get("complianceState"), item.get("revision"), item.get("message"))


def _describe(item):
    parts = [_ready_word(item.get("ready")), item.get("complianceState") or "Unknown"]
    if item.get("revision"):
        parts.append(item["revision"])
    text = ", ".join(parts)
    return text + (": " + item["message"] if item.get("message") else "")


def _objects(status):
    out = {}
    for entry in status.get("kustomizations") or []:
        for obj in entry.get("objects") or []:
            out[(obj.get("kind"), obj.get("namespace"), obj.get("name"))] = obj
    for obj in status.get("otherObjects") or []:
        out[(obj.get("kind"), obj.get("namespace"), obj.get("name"))] = obj
    return out


def changes(before, after, show_all=False):
    """Lines describing what differs from snapshot `before` to `after` (build_status(..., show_all=True)).

    Unless `show_all`, objects are only mentioned while they are, or just stopped being, not compliant.
    """
    lines = []
    if before.get("complianceState") != after.get("complianceState"):
        lines.append("configuration {}: {} -> {}".format(after.get("name"), before.get("complianceState"),
                                                         after.get("complianceState")))
    if _own_error(after) and _own_error(after) != _own_error(before):
        lines.append("configuration {}: {}".format(after.get("name"), _own_error(after)))
    if before.get("provisioningState") != after.get("provisioningState"):
        lines.append("configuration {}: provisioning {} -> {}".format(
            after.get("name"), before.get("provisioningState"), after.get("provisioningState")))
    if before.get("suspend") != after.get("suspend"):
        lines.append("configuration {}: {}".format(after.get("name"), "suspended" if after.get("suspend")
                                                   else "resumed"))
    if _fields(before.get("source") or {}) != _fields(after.get("source") or {}):
        lines.append("source {}: {}".format(after["source"].get("kind"), _describe(after["source"])))
    old = {k["name"]: k for k in before.get("kustomizations") or []}
    new = {k["name"]: k for k in after.get("kustomizations") or []}
    for name, entry in new.items():
        if name not in old:
            lines.append("kustomization {} added: {}".format(name, _describe(entry)))
        elif _fields(old[name]) != _fields(entry):
            lines.append("kustomization {}: {}".format(name, _describe(entry)))
    lines.extend("kustomization {} removed".format(name) for name in old if name not in new)
    old_objects, new_objects = _objects(before), _objects(after)
    for key, obj in new_objects.items():
        previous = old_objects.get(key)
        if previous is not None and _fields(previous) == _fields(obj):
            continue
        if show_all or obj.get("complianceState") != "Compliant" or (
                previous is not None and previous.get("complianceState") != "Compliant"):
            lines.append("{} {}/{}: {}".format(key[0], key[1], key[2], _describe(obj)))
    for key, obj in old_objects.items():
        if key not in new_objects and (show_all or obj.get("complianceState") != "Compliant"):
            lines.append("{} {}/{}: no longer reported".format(key[0], key[1], key[2]))
    return lines


# -- watching ------------------------------------------------------------------------------------
MIN_WATCH_DELAY = 0.5       # never poll ARM more than twice a second, even if a schedule says 0
def utc_stamp():
    import time
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def watch(fetch, emit, timeout=None, show_all=False, colour=False, clock=None, sleep=None, stamp=utc_stamp,
          delays=None):
    """Poll `fetch()` (a configuration's wire JSON) until Ctrl-C or `timeout` seconds; return the last status.

    The first snapshot is printed whole through `emit(text)`, then only what changed, each line with
    a timestamp.  Polls follow fluxlite's fast schedule, which starts over whenever something changes.
    """
    import time
    from azext_fluxlite.core.polling import backoff_delays
    clock = clock or time.monotonic
    sleep = sleep or time.sleep
    schedule = delays or backoff_delays
    deadline = None if timeout is None else clock() + timeout
    upcoming = schedule()
    last = None
    try:
        while True:
            current = build_status(fetch(), show_all=True)
            if last is None:
                shown = current if show_all else failing_only(current)
                emit("{} {}".format(stamp(), render_text(shown, colour)))
            else:
                lines = changes(last, current, show_all)
                for line in lines:
                    emit("{} {}".format(stamp(), line))
                if lines:
                    upcoming = schedule()
            last = current
            delay = max(next(upcoming), MIN_WATCH_DELAY)
            if deadline is not None:
                remaining = deadline - clock()
                if remaining <= 0:
                    break
                delay = min(delay, remaining)
            sleep(delay)
    except KeyboardInterrupt:
        pass
    return last if last is None or show_all else failing_only(last)
