"""Does a cluster's configuration already equal the one `fleet apply` would PUT?  (pure)

The desired PUT body (from `flux.operations.build_create_request`) is compared with the GET of the
existing configuration, field by field, with the API's server-side defaults filled in (a field the
PUT leaves out gets its default, so leaving out `prune` where the cluster has `prune: true` *is* a
change).

Ignored: read-only fields (provisioningState, statuses, complianceState, errorMessage, source
revisions, repositoryPublicKey, systemData) and `configurationProtectedSettings`, which the service
accepts but never returns, so it cannot be compared: a re-apply that only changes a secret is
`unchanged` unless `rotate_secrets` asks to write it anyway.  A configuration whose last operation
failed is always written again.
"""
from azext_fluxlite.flux.whatif import ADDED, REMOVED, flux_put_changes

PROTECTED = "configurationProtectedSettings"


def changed_fields(desired, existing, rotate_secrets=False):
    """The fields (dotted paths) a PUT of `desired` would change on `existing`; [] when equal.

    The comparison is what-if's (`flux.whatif.flux_put_changes`): defaults filled in on both sides,
    read-only fields ignored.  Protected settings never come back from the service, so they count
    only with `rotate_secrets`.
    """
    changes = []
    for op, path, _old, _new in flux_put_changes(existing, desired):
        if path.split(".")[0] == PROTECTED:
            continue
        if path.startswith("kustomizations.") and path.count(".") == 1 and op in (ADDED, REMOVED):
            path += " (added)" if op == ADDED else " (removed)"
        changes.append(path)
    if rotate_secrets and ((desired or {}).get("properties") or {}).get(PROTECTED):
        changes.append(PROTECTED)
    state = ((existing or {}).get("properties") or {}).get("provisioningState")
    if state in ("Failed", "Canceled"):
        changes.append("provisioningState ({}: written again)".format(state))
    return changes
