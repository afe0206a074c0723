"""What a request would change, like Bicep's what-if (no az).

`flux_put_changes` / `flux_patch_changes` / `extension_patch_changes` compare a resource as GET
returns it with the resource a PUT or PATCH would leave, and list the fields added, removed and
changed with their old and new values.  Read-only fields are ignored, the service's defaults are
filled in on both sides (so a PUT that leaves out `wait: true` is no change), and secret values are
never shown: the service does not return them, so a secret that is sent is reported as set, and
one that a PUT leaves out as removed.  `render` turns the changes into the lines printed on stderr.
"""
import json

from azext_fluxlite.core.merge import merge_patch
from azext_fluxlite.core.redaction import SECRET_FIELDS, SECRET_MAPS
from azext_fluxlite.core.service_defaults import FLUX_DEFAULTS, KUSTOMIZATION_DEFAULTS, SOURCE_DEFAULTS

ADDED, REMOVED, CHANGED = "+", "-", "~"
SECRET_SHOWN = "(secret)"

FLUX_READ_ONLY = ("statuses", "repositoryPublicKey", "sourceSyncedCommitId", "sourceUpdatedAt", "statusUpdatedAt",
                  "complianceState", "provisioningState", "errorMessage")
EXTENSION_READ_ONLY = ("provisioningState", "statuses", "currentVersion", "customLocationSettings",
                       "errorInfo", "packageUri", "aksAssignedIdentity", "isSystemExtension", "extensionState",
                       "additionalDetails")


def _prune(value):
    """Drop nulls and empty maps/lists: the service treats a missing field and a null one alike."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            item = _prune(item)
            if item is not None and item != {} and item != []:
                out[key] = item
        return out
    if isinstance(value, list):
        return [_prune(item) for item in value]
    return value


def _hide_secrets(value, in_secret_map=False):
    if isinstance(value, dict):
        return {k: (SECRET_SHOWN if (in_secret_map or k in SECRET_FIELDS) and v not in (None, {}) and
                    not isinstance(v, dict) else _hide_secrets(v, in_secret_map or k in SECRET_MAPS))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_hide_secrets(item, in_secret_map) for item in value]
    return SECRET_SHOWN if in_secret_map and value is not None else value


def _flux_view(props):
    """The writable properties of a flux configuration with the service's defaults filled in."""
    view = {k: v for k, v in (props or {}).items() if k not in FLUX_READ_ONLY}
    for key, default in FLUX_DEFAULTS.items():
        if view.get(key) is None:
            view[key] = default
    for block, defaults in SOURCE_DEFAULTS.items():
        if isinstance(view.get(block), dict):
            view[block] = dict(defaults, **{k: v for k, v in view[block].items() if v is not None})
    kustomizations = {}
    for name, body in (view.get("kustomizations") or {}).items():
        if body is None:
            continue
        body = {k: v for k, v in body.items() if k != "name" and v is not None}
        kustomizations[name] = dict(KUSTOMIZATION_DEFAULTS, **body)
    view["kustomizations"] = kustomizations
    return _prune(_hide_secrets(view))


def _diff(before, after, path, out):
    if isinstance(before, dict) and isinstance(after, dict):
        for key in list(before) + [k for k in after if k not in before]:
            where = "{}.{}".format(path, key) if path else key
            if key in SECRET_MAPS:      # secrets one by one, so each says whether it is set or removed
                _diff(before.get(key) or {}, after.get(key) or {}, where, out)
            elif key not in after:
                out.append((REMOVED, where, before[key], None))
            elif key not in before:
                out.append((ADDED, where, None, after[key]))
            else:
                _diff(before[key], after[key], where, out)
    elif before != after or (before == SECRET_SHOWN and after == SECRET_SHOWN):
        out.append((CHANGED, path, before, after))
    return out


def _props(resource):
    return (resource or {}).get("properties") or {}


def flux_put_changes(current, request):
    """What a PUT of `request` does to the existing configuration `current` (both wire JSON)."""
    return _diff(_flux_view(_props(current)), _flux_view(_props(request)), "", [])


def flux_patch_changes(current, patch):
    """What a PATCH of `patch` does to the configuration `current`."""
    return _diff(_flux_view(_props(current)), _flux_view(merge_patch(_props(current), _props(patch))), "", [])


def _extension_view(props):
    view = {k: v for k, v in (props or {}).items() if k not in EXTENSION_READ_ONLY}
    return _prune(_hide_secrets(view))


def extension_patch_changes(current, patch):
    """What a PATCH of `patch` does to the extension `current`."""
    before = _props(current)
    return _diff(_extension_view(before), _extension_view(merge_patch(before, _props(patch))), "", [])


def _show(value):
    if value == SECRET_SHOWN:
        return value
    return json.dumps(value, sort_keys=False, separators=(", ", ": "))


def render(changes, what):
    """Lines for stderr: a title, one line per change (old => new), and a count."""
    lines = ["What-if for {}:".format(what)]
    if not changes:
        return lines + ["  no change"]
    for op, path, old, new in changes:
        if op == ADDED:
            lines.append("  + {}: {}".format(path, _show(new)))
        elif op == REMOVED:
            lines.append("  - {}: {}".format(path, _show(old)))
        elif old == SECRET_SHOWN and new == SECRET_SHOWN:
            lines.append("  ~ {}: {} (set again; the service does not return secrets to compare)".format(
                path, SECRET_SHOWN))
        else:
            lines.append("  ~ {}: {} => {}".format(path, _show(old), _show(new)))
    counts = {op: sum(1 for c in changes if c[0] == op) for op in (ADDED, CHANGED, REMOVED)}
    lines.append("  {} to add, {} to change, {} to remove".format(counts[ADDED], counts[CHANGED], counts[REMOVED]))
    return lines


def show(changes, what, stream=None):
    """Print the what-if of `changes` on stderr (stdout stays for the exact request)."""
    import sys
    stream = stream or sys.stderr
    stream.write("\n".join(render(changes, what)) + "\n")
    stream.flush()
