"""The reconcile simulation: what Flux would report for a configuration, from its real source.

The source (a git repository, or a local directory mapped to a bucket, blob container or OCI
repository: sources.py) is fetched, then every kustomization is built by the GitOps build engine
(azext_fluxlite.gitops: the real kustomize when installed, containment, substitution, Flux CRD
checks) in dependsOn order.  `statuses` lists the source (named like the configuration), one
Kustomization per kustomization (`<config>-<kustomization>`), every Flux object they apply and a
HelmChart for each HelmRelease (object_status.py).  Failures are reported where Flux reports them:
an unmapped or unreachable source, missing credentials, a ref that does not resolve or an unsafe
repository on the source; a build, substitution or schema failure on the Kustomization; a chart
source that nothing defines on the HelmChart/HelmRelease; dependents of a failed kustomization as
DependencyNotReady.  `errorMessage` names the first failure.  Objects without a namespace land in
the configuration's namespace.
"""
import collections
import json
import os
import threading

from azext_fluxlite.gitops import engine, tool as tools

from . import sources
from .gitsource import SourceError
from .object_status import SOURCE_KINDS, condition as _condition, object_statuses, status as _status
from .responses import k8s_time

FLUX_SUFFIX = ".toolkit.fluxcd.io"
CACHE_SIZE = 64
_TOOL = []
_CACHE = collections.OrderedDict()
_CACHE_LOCK = threading.Lock()
_RUNNING = {}             # key -> lock held by the build of that key now running


def build_tool():
    """The kustomize the emulator builds with (detected once; FLUXLITE_KUSTOMIZE overrides)."""
    if not _TOOL:
        try:
            _TOOL.append(tools.detect())
        except ValueError:
            _TOOL.append(tools.BUILTIN)
    return _TOOL[0]


def _build(root, label, kustomizations, ns, name, kind):
    """The engine's Result, remembered per revision: a checkout (or a mapped directory's digest) never changes.

    Builds of the same key wait for the one already running (a fleet reconciles the same revision on
    many clusters at once) instead of running kustomize side by side.
    """
    key = json.dumps([root, label, kustomizations, ns, name, kind, build_tool().describe()], sort_keys=True)
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
        running = _RUNNING.setdefault(key, threading.Lock())
    with running:
        with _CACHE_LOCK:
            if key in _CACHE:
                return _CACHE[key]
        try:
            result = engine.build_configuration(root, kustomizations, ns, name, kind, tool=build_tool(),
                                                check_references=False)
            with _CACHE_LOCK:
                _CACHE[key] = result
                while len(_CACHE) > CACHE_SIZE:
                    _CACHE.popitem(last=False)
        finally:
            with _CACHE_LOCK:
                _RUNNING.pop(key, None)
    return result


def _is_flux(obj):
    return str(obj.get("apiVersion", "")).split("/")[0].endswith(FLUX_SUFFIX)


def _source_failed(name, ns, flux_kind, kustomizations, message, reason, ts):
    statuses = [_status(name, ns, flux_kind, "Non-Compliant", [_condition("False", reason, message, ts)])]
    for k in engine.dependency_order(kustomizations):
        statuses.append(_status("{}-{}".format(name, k), ns, "Kustomization", "Non-Compliant",
                                [_condition("False", "ArtifactFailed", "Source artifact not found, retrying in 30s",
                                            ts)]))
    return {"statuses": statuses, "complianceState": "Non-Compliant",
            "errorMessage": "{} {}/{}: {}".format(flux_kind, ns, name, message), "statusUpdatedAt": ts,
            "sourceSyncedCommitId": None}


def reconcile_configuration(settings, name, props, cluster_sources, now, protected_keys=None):
    """Properties to update on a configuration: statuses, complianceState, errorMessage, revisions.

    `cluster_sources`: [{kind, namespace, name}] the cluster's other configurations define;
    `protected_keys`: the names of the configuration's protected settings (credentials).
    """
    ts = k8s_time(now)
    ns = props["namespace"]
    if props.get("suspend"):
        return {"complianceState": "Suspended", "errorMessage": "", "statusUpdatedAt": ts}
    kustomizations = props.get("kustomizations") or {}
    kind = props["sourceKind"]
    flux_kind = sources.KINDS[kind][1]
    try:
        root, label = sources.fetch(settings, kind, props, protected_keys,
                                    os.path.join(settings.data_dir, "checkouts"))
        result = _build(root, label, kustomizations, ns, name, kind)
    except SourceError as exc:
        return _source_failed(name, ns, flux_kind, kustomizations, exc.message, exc.reason, ts)
    except engine.RepositoryError as exc:
        return _source_failed(name, ns, flux_kind, kustomizations,
                              "artifact of revision '{}' is unsafe: {}".format(label, exc.message), "ArtifactFailed",
                              ts)
    if kind == "GitRepository":
        fetched = _condition("True", "GitOperationSucceed", "Fetched revision: " + label, ts)
    else:
        fetched = _condition("True", "Succeeded", "stored artifact for revision '{}'".format(label), ts)
    statuses = [_status(name, ns, flux_kind, "Compliant", [fetched])]
    known = {(flux_kind, ns, name)} | {(s.get("kind"), s.get("namespace"), s.get("name"))
                                       for s in cluster_sources or []}
    known |= {k for k in result.sources() if k[0] in SOURCE_KINDS}
    ready = {}
    for k, built in result.kustomizations.items():
        statuses += _kustomization_statuses(name, ns, k, kustomizations[k] or {}, built, ready, known, label, ts)
    failed = [s for s in statuses if s["complianceState"] == "Non-Compliant"]
    previous = props.get("sourceSyncedCommitId")
    return {
        "statuses": statuses,
        "complianceState": "Non-Compliant" if failed else "Compliant",
        "errorMessage": "{} {}/{}: {}".format(failed[0]["kind"], failed[0]["namespace"], failed[0]["name"],
                                              failed[0]["statusConditions"][0]["message"]) if failed else "",
        "sourceSyncedCommitId": label,
        "sourceUpdatedAt": props.get("sourceUpdatedAt") if previous == label and props.get("sourceUpdatedAt") else ts,
        "statusUpdatedAt": ts,
    }


def _problem_text(problem):
    where = ""
    if problem.get("file"):
        where = " ({}{})".format(problem["file"], ":{}".format(problem["line"]) if problem.get("line") else "")
    return problem["message"] + where


def _kustomization_statuses(name, ns, k, spec, built, ready, known, label, ts):
    kname = "{}-{}".format(name, k)
    failed_deps = [d for d in spec.get("dependsOn") or [] if not ready.get(d)]
    if failed_deps:
        ready[k] = False
        return [_status(kname, ns, "Kustomization", "Non-Compliant", [_condition(
            "False", "DependencyNotReady", "dependency '{}/{}-{}' is not ready".format(ns, name, failed_deps[0]), ts)])]
    if built.failed:
        ready[k] = False
        first = built.problems[0]
        reason = "BuildFailed" if first["reason"] == "BuildFailed" else "ReconciliationFailed"
        return [_status(kname, ns, "Kustomization", "Non-Compliant",
                        [_condition("False", reason, _problem_text(first), ts)])]
    applied_by = {"name": kname, "namespace": ns}
    children = []
    for obj in built.objects:
        if _is_flux(obj):
            children += object_statuses(obj, applied_by, known, ts)
    unhealthy = [c for c in children if c["complianceState"] == "Non-Compliant"]
    if unhealthy and spec.get("wait", True):
        bad = unhealthy[0]
        ready[k] = False
        own = _status(kname, ns, "Kustomization", "Non-Compliant", [_condition(
            "False", "HealthCheckFailed", "Health check failed after 0s: {} '{}/{}' is not ready: {}".format(
                bad["kind"], bad["namespace"], bad["name"], bad["statusConditions"][0]["message"]), ts)])
    else:
        ready[k] = True
        own = _status(kname, ns, "Kustomization", "Compliant",
                      [_condition("True", "ReconciliationSucceeded", "Applied revision: " + label, ts)])
    return [own] + children
