"""Pure builders of the fluxConfiguration request bodies (no I/O).

The same functions serve real requests, --dry-run and export, so what a user previews is exactly
what is sent.  The source block itself is built by `flux_source`.
"""

DEFAULT_KUSTOMIZATION_NAME = "kustomization-1"
# The originals send the generated default kustomization with the API's defaults spelled out.
DEFAULT_KUSTOMIZATION = {"path": "", "timeoutInSeconds": 600, "syncIntervalInSeconds": 600,
                         "prune": False, "force": False, "wait": True}
FLUX_EXTENSION_TYPE = "microsoft.flux"
FLUX_EXTENSION_NAME = "flux"


def build_create_body(*, scope, namespace, suspend, source_kind, block_key, block, kustomizations=None,
                      protected=None, wait_for_reconciliation=None, reconciliation_wait_duration=None):
    """PUT body of `flux create`.  `kustomizations` is {name: body}; None gives the default one."""
    props = {"scope": scope, "namespace": namespace, "sourceKind": source_kind, "suspend": bool(suspend),
             block_key: block}
    if kustomizations:
        props["kustomizations"] = kustomizations
    else:
        props["kustomizations"] = {DEFAULT_KUSTOMIZATION_NAME: dict(DEFAULT_KUSTOMIZATION)}
    if protected:
        props["configurationProtectedSettings"] = protected
    if wait_for_reconciliation is not None:
        props["waitForReconciliation"] = bool(wait_for_reconciliation)
    if reconciliation_wait_duration is not None:
        props["reconciliationWaitDuration"] = reconciliation_wait_duration
    return {"properties": props}


def build_update_body(*, suspend=None, source_kind=None, source_blocks=None, kustomizations=None,
                      protected=None):
    """PATCH body of `flux update`: only what was given (merge-patch semantics server-side)."""
    props = {}
    if suspend is not None:
        props["suspend"] = bool(suspend)
    if source_kind is not None:
        props["sourceKind"] = source_kind
    props.update(source_blocks or {})
    if kustomizations:
        props["kustomizations"] = kustomizations
    if protected:
        props["configurationProtectedSettings"] = protected
    return {"properties": props}


def build_kustomization_patch(name, body):
    """PATCH body that adds, changes (body dict) or removes (body None) one kustomization."""
    return {"properties": {"kustomizations": {name: body}}}


def build_kustomization_fields(*, path=None, depends_on=None, timeout=None, sync_interval=None,
                               retry_interval=None, prune=None, force=None, disable_health_check=None,
                               post_build=None, creating=False):
    """Wire fields of one kustomization from the `kustomization create/update` flags.

    Create sends `path` ("" when not given) and `wait` always, as the originals do.  Update sends
    only what was given: the original re-enabled health checks on every update that did not
    repeat --disable-health-check; fluxlite leaves `wait` alone unless the flag is given.
    """
    body = {}
    if path is not None or creating:
        body["path"] = path or ""
    if depends_on is not None:
        body["dependsOn"] = list(depends_on)
    if timeout is not None:
        body["timeoutInSeconds"] = timeout
    if sync_interval is not None:
        body["syncIntervalInSeconds"] = sync_interval
    if retry_interval is not None:
        body["retryIntervalInSeconds"] = retry_interval
    if prune is not None:
        body["prune"] = bool(prune)
    if force is not None:
        body["force"] = bool(force)
    if disable_health_check is not None:
        body["wait"] = not disable_health_check
    elif creating:
        body["wait"] = True
    if post_build:
        body["postBuild"] = post_build
    return body


def build_flux_extension_install_body(cluster_type, release_train=None, version=None):
    """PUT body `flux create` sends to install microsoft.flux when the cluster has none."""
    # A pinned version (FLUX_EXTENSION_VERSION) needs auto-upgrade off: the API rejects both
    # together, which the original sent anyway.
    props = {"extensionType": FLUX_EXTENSION_TYPE, "autoUpgradeMinorVersion": not version}
    if release_train:
        props["releaseTrain"] = release_train
    if version:
        props["version"] = version
    body = {"properties": props}
    if cluster_type != "managedClusters":
        body = {"identity": {"type": "SystemAssigned"}, "properties": props}
    return body
