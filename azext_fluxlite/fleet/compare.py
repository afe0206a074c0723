"""Does a cluster's configuration already equal the one `fleet apply` would PUT?  (pure)

The desired PUT body (from `flux.operations.build_create_request`) is compared with the GET of the
existing configuration, field by field, with the API's server-side defaults filled in on the
desired side (a field the PUT leaves out gets its default, so leaving out `prune` where the
cluster has `prune: true` *is* a change).  None, "", [] and {} are the same "unset".

Ignored: read-only fields (provisioningState, statuses, complianceState, errorMessage, source
revisions, repositoryPublicKey, systemData) and `configurationProtectedSettings`, which the service
accepts but never returns, so it cannot be compared: a re-apply that only changes a secret is
`unchanged` unless `rotate_secrets` asks to write it anyway.  `waitForReconciliation` and
`reconciliationWaitDuration` are compared only when the desired body sets them.  A configuration
whose last operation failed is always written again.
"""
from azext_fluxlite.emulator.flux_schema import KUSTOMIZATION_DEFAULTS, SOURCE_DEFAULTS

SOURCE_BLOCKS = {"GitRepository": "gitRepository", "Bucket": "bucket", "AzureBlob": "azureBlob",
                 "OCIRepository": "ociRepository"}
TOP_DEFAULTS = {"scope": "cluster", "namespace": "default", "suspend": False}
OPTIONAL_TOP = ("waitForReconciliation", "reconciliationWaitDuration")
PROTECTED = "configurationProtectedSettings"


def normalize(value):
    """Drop unset values (None, "", [], {}) recursively; an object or list with nothing set is None."""
    if isinstance(value, dict):
        out = {k: normalize(v) for k, v in value.items()}
        out = {k: v for k, v in out.items() if v is not None}
        return out or None
    if isinstance(value, list):
        out = [normalize(v) for v in value]
        return out or None
    if value == "":
        return None
    return value


def _diff(prefix, want, have, changes):
    if isinstance(want, dict) and isinstance(have, dict):
        for key in sorted(set(want) | set(have)):
            _diff("{}.{}".format(prefix, key) if prefix else key, want.get(key), have.get(key), changes)
    elif want != have:
        changes.append(prefix)


def _with_defaults(defaults, given):
    merged = dict(defaults)
    merged.update(given or {})
    return merged


def _kustomizations(want, have, changes):
    want, have = want or {}, have or {}
    by_lower = {name.lower(): name for name in have}
    for name in sorted(want):
        existing = by_lower.pop(name.lower(), None)
        if existing is None:
            changes.append("kustomizations.{} (added)".format(name))
            continue
        w = _with_defaults(KUSTOMIZATION_DEFAULTS, want[name])
        h = dict(have[existing] or {})
        w.pop("name", None)
        h.pop("name", None)
        _diff("kustomizations." + name, normalize(w) or {}, normalize(h) or {}, changes)
    for name in sorted(by_lower.values()):
        changes.append("kustomizations.{} (removed)".format(name))


def changed_fields(desired, existing, rotate_secrets=False):
    """The fields (dotted paths) a PUT of `desired` would change on `existing`; [] when equal."""
    want = (desired or {}).get("properties") or {}
    have = (existing or {}).get("properties") or {}
    changes = []
    for key, default in TOP_DEFAULTS.items():
        _diff(key, normalize(want.get(key, default)), normalize(have.get(key)), changes)
    _diff("sourceKind", want.get("sourceKind"), have.get("sourceKind"), changes)
    block = SOURCE_BLOCKS.get(want.get("sourceKind"))
    if block is not None:
        _diff(block, normalize(_with_defaults(SOURCE_DEFAULTS[block], want.get(block))) or {},
              normalize(have.get(block)) or {}, changes)
    _kustomizations(want.get("kustomizations"), have.get("kustomizations"), changes)
    for key in OPTIONAL_TOP:
        if key in want:
            _diff(key, normalize(want[key]), normalize(have.get(key)), changes)
    if rotate_secrets and want.get(PROTECTED):
        changes.append(PROTECTED)
    if have.get("provisioningState") in ("Failed", "Canceled"):
        changes.append("provisioningState ({}: written again)".format(have["provisioningState"]))
    return changes
