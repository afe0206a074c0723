"""The reconcile simulation: what Flux would report for a configuration, from its real git source.

For a GitRepository source the emulator can read, the ref is resolved and checked out, every
kustomization is built in dependsOn order, and `statuses` lists the GitRepository (named like the
configuration), one Kustomization per kustomization (`<config>-<kustomization>`), every Flux
object they apply (kinds of the *.toolkit.fluxcd.io API groups) and a HelmChart for each
HelmRelease.  Failures are reported where Flux reports them: an unreachable source or a ref that
does not resolve on the GitRepository, a missing path or invalid YAML on the Kustomization, a
HelmRepository that nothing defines on the HelmChart/HelmRelease, and dependents of a failed
kustomization as DependencyNotReady.  Objects the emulator cannot check (Helm charts themselves,
other sources) are reported ready.  Objects without a namespace land in the configuration's
namespace.
"""
import copy
import hashlib
import os
import re

from . import gitsource, kustomize
from .responses import k8s_time

FLUX_SUFFIX = ".toolkit.fluxcd.io"
SOURCE_KINDS = ("GitRepository", "HelmRepository", "OCIRepository", "Bucket", "HelmChart")
_VAR_RE = re.compile(r"\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)(?::=([^}]*))?\}")


def _condition(status, reason, message, ts, type_="Ready"):
    return {"lastTransitionTime": ts, "message": message, "reason": reason, "status": status, "type": type_}


def _status(name, namespace, kind, state, conditions, applied_by=None, helm=None):
    return {"name": name, "namespace": namespace, "kind": kind, "complianceState": state, "appliedBy": applied_by,
            "statusConditions": conditions, "helmReleaseProperties": helm}


def _is_flux(obj):
    group = str(obj.get("apiVersion", "")).split("/")[0]
    return group.endswith(FLUX_SUFFIX)


def _substitute(value, variables):
    if isinstance(value, dict):
        return {k: _substitute(v, variables) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, variables) for v in value]
    if isinstance(value, str) and "${" in value:
        def repl(m):
            if m.group(1):                          # $${VAR} is an escaped literal
                return "${" + m.group(2) + "}"
            return variables.get(m.group(2), m.group(3) or "")
        return _VAR_RE.sub(repl, value)
    return value


def dependency_order(kustomizations):
    """Kustomization names, dependencies first, otherwise in the given order."""
    order, seen = [], set()

    def visit(name, trail):
        if name in seen or name in trail or name not in kustomizations:
            return
        for dep in kustomizations[name].get("dependsOn") or []:
            visit(dep, trail | {name})
        seen.add(name)
        order.append(name)

    for name in kustomizations:
        visit(name, set())
    return order


def _fail_all(name, ns, statuses, kustomizations, reason, message, ts):
    for k in dependency_order(kustomizations):
        statuses.append(_status("{}-{}".format(name, k), ns, "Kustomization", "Non-Compliant",
                                [_condition("False", reason, message, ts)]))


def reconcile_configuration(settings, name, props, cluster_statuses, now):
    """Properties to update on a configuration: statuses, complianceState, errorMessage, revisions."""
    ts = k8s_time(now)
    ns = props["namespace"]
    if props.get("suspend"):
        return {"complianceState": "Suspended", "errorMessage": "", "statusUpdatedAt": ts}
    kustomizations = props.get("kustomizations") or {}
    statuses = []
    kind = props["sourceKind"]
    if kind != "GitRepository":
        block = props.get({"Bucket": "bucket", "AzureBlob": "azureBlob", "OCIRepository": "ociRepository"}[kind]) or {}
        message = ("the fluxlite emulator cannot reach {} sources ({}); only git repositories it can read are "
                   "reconciled".format(kind, block.get("url")))
        statuses.append(_status(name, ns, "OCIRepository" if kind == "OCIRepository" else "Bucket", "Unknown",
                                [_condition("Unknown", "EmulatorCannotFetch", message, ts)]))
        for k in dependency_order(kustomizations):
            statuses.append(_status("{}-{}".format(name, k), ns, "Kustomization", "Pending",
                                    [_condition("Unknown", "Progressing", "waiting for the source artifact", ts)]))
        return {"statuses": statuses, "complianceState": "Pending", "errorMessage": "", "statusUpdatedAt": ts,
                "sourceSyncedCommitId": None}
    git = props.get("gitRepository") or {}
    url = git.get("url")
    try:
        path = gitsource.locate(url, settings.source_map)
        label, sha = gitsource.resolve(path, url, git.get("repositoryRef"))
        root = gitsource.checkout(path, sha, os.path.join(settings.data_dir, "checkouts"))
    except gitsource.SourceError as exc:
        statuses.append(_status(name, ns, "GitRepository", "Non-Compliant",
                                [_condition("False", exc.reason, exc.message, ts)]))
        _fail_all(name, ns, statuses, kustomizations, "ArtifactFailed",
                  "Source artifact not found, retrying in 30s", ts)
        return {"statuses": statuses, "complianceState": "Non-Compliant",
                "errorMessage": "GitRepository {}/{}: {}".format(ns, name, exc.message), "statusUpdatedAt": ts,
                "sourceSyncedCommitId": None}
    statuses.append(_status(name, ns, "GitRepository", "Compliant",
                            [_condition("True", "GitOperationSucceed", "Fetched revision: " + label, ts)]))
    built = _build_all(root, name, ns, kustomizations)
    sources = {("GitRepository", ns, name)}
    sources |= {(s.get("kind"), s.get("namespace"), s.get("name")) for s in cluster_statuses}
    for objects in built.values():
        if isinstance(objects, list):
            sources |= {(o["kind"], o["metadata"]["namespace"], o["metadata"]["name"]) for o in objects}
    ready = {}
    for k in dependency_order(kustomizations):
        statuses += _kustomization_statuses(name, ns, k, kustomizations[k], built[k], ready, sources, label, ts)
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


def _build_all(root, name, ns, kustomizations):
    """kustomization name -> list of Flux objects (namespaced, substituted), or a BuildError."""
    built = {}
    for k, spec in kustomizations.items():
        try:
            objects = kustomize.build(root, spec.get("path") or "")
        except kustomize.BuildError as exc:
            built[k] = exc
            continue
        variables = ((spec.get("postBuild") or {}).get("substitute")) or {}
        flux_objects = []
        for obj in objects:
            obj = _substitute(copy.deepcopy(obj), variables) if variables else obj
            if not _is_flux(obj):
                continue
            obj.setdefault("metadata", {})
            if not obj["metadata"].get("namespace"):
                obj["metadata"]["namespace"] = ns
            flux_objects.append(obj)
        built[k] = flux_objects
    return built


def _kustomization_statuses(name, ns, k, spec, objects, ready, sources, label, ts):
    kname = "{}-{}".format(name, k)
    failed_deps = [d for d in spec.get("dependsOn") or [] if not ready.get(d)]
    if failed_deps:
        ready[k] = False
        return [_status(kname, ns, "Kustomization", "Non-Compliant", [_condition(
            "False", "DependencyNotReady", "dependency '{}/{}-{}' is not ready".format(ns, name, failed_deps[0]), ts)])]
    if isinstance(objects, kustomize.BuildError):
        ready[k] = False
        return [_status(kname, ns, "Kustomization", "Non-Compliant",
                        [_condition("False", "BuildFailed", str(objects), ts)])]
    applied_by = {"name": kname, "namespace": ns}
    children = []
    for obj in objects:
        children += _object_statuses(obj, applied_by, sources, ts)
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


def _object_statuses(obj, applied_by, sources, ts):
    kind, meta = obj["kind"], obj["metadata"]
    name, ns = meta["name"], meta["namespace"]
    spec = obj.get("spec") or {}
    if kind == "HelmRelease":
        return _helm_release(obj, applied_by, sources, ts)
    if (spec.get("suspend") is True):
        return [_status(name, ns, kind, "Suspended", [_condition("False", "Suspended", "reconciliation is suspended",
                                                                 ts)], applied_by)]
    if kind == "HelmRepository":
        digest = hashlib.sha256(str(spec.get("url")).encode()).hexdigest()
        message = "stored artifact: revision 'sha256:{}'".format(digest)
    elif kind == "Kustomization":
        message = "Applied revision (simulated by the fluxlite emulator)"
    elif kind in SOURCE_KINDS:
        message = "stored artifact for {} (simulated by the fluxlite emulator)".format(spec.get("url") or name)
    else:
        message = "Resource is ready (simulated by the fluxlite emulator)"
    return [_status(name, ns, kind, "Compliant", [_condition("True", "Succeeded", message, ts)], applied_by)]


def _helm_release(obj, applied_by, sources, ts):
    meta, spec = obj["metadata"], obj.get("spec") or {}
    name, ns = meta["name"], meta["namespace"]
    target_ns = spec.get("targetNamespace") or ns
    release = spec.get("releaseName") or ("{}-{}".format(spec["targetNamespace"], name)
                                          if spec.get("targetNamespace") else name)
    chart_spec = ((spec.get("chart") or {}).get("spec")) or {}
    chart_ref = spec.get("chartRef") or {}
    statuses = []
    problem = None
    if chart_spec:
        chart, version = chart_spec.get("chart"), chart_spec.get("version") or "*"
        source = chart_spec.get("sourceRef") or {}
        chart_ns = source.get("namespace") or ns
        chart_name = "{}-{}".format(ns, name)
        if not chart or not source.get("name"):
            problem = "spec.chart.spec needs 'chart' and 'sourceRef'"
            chart_state = _condition("False", "InvalidChartReference", problem, ts)
        elif (source.get("kind") or "HelmRepository", chart_ns, source["name"]) not in sources:
            problem = "failed to get source: {}.source.toolkit.fluxcd.io \"{}\" not found in namespace '{}'".format(
                source.get("kind") or "HelmRepository", source["name"], chart_ns)
            chart_state = _condition("False", "SourceUnavailable", problem, ts)
        else:
            chart_state = _condition("True", "ChartPullSucceeded",
                                     "pulled '{}' chart with version '{}'".format(chart, version), ts)
        statuses.append(_status(chart_name, chart_ns, "HelmChart", "Non-Compliant" if problem else "Compliant",
                                [chart_state]))
        chart_ref_out = {"name": chart_name, "namespace": chart_ns}
        chart_label = "{}@{}".format(chart, version)
        if problem:
            problem = "HelmChart '{}/{}' is not ready: {}".format(chart_ns, chart_name, problem)
    elif chart_ref:
        ref_ns = chart_ref.get("namespace") or ns
        chart_ref_out = {"name": chart_ref.get("name"), "namespace": ref_ns}
        chart_label = "{}/{}".format(chart_ref.get("kind"), chart_ref.get("name"))
        if (chart_ref.get("kind"), ref_ns, chart_ref.get("name")) not in sources:
            problem = "could not get Source object: {} '{}/{}' not found".format(
                chart_ref.get("kind"), ref_ns, chart_ref.get("name"))
    else:
        chart_ref_out, chart_label = None, None
        problem = "HelmRelease needs spec.chart or spec.chartRef"
    if problem:
        conditions = [_condition("False", "ArtifactFailed", problem, ts)]
        helm = {"lastRevisionApplied": None, "helmChartRef": chart_ref_out, "failureCount": 1,
                "installFailureCount": 1, "upgradeFailureCount": 0}
        state = "Non-Compliant"
    elif spec.get("suspend") is True:
        conditions = [_condition("False", "Suspended", "reconciliation is suspended", ts)]
        helm = {"lastRevisionApplied": None, "helmChartRef": chart_ref_out, "failureCount": 0,
                "installFailureCount": 0, "upgradeFailureCount": 0}
        state = "Suspended"
    else:
        conditions = [_condition("True", "ReconciliationSucceeded", "Release reconciliation succeeded", ts),
                      _condition("True", "InstallSucceeded", "Helm install succeeded for release {}/{}.v1 with chart "
                                 "{}".format(target_ns, release, chart_label), ts, type_="Released")]
        helm = {"lastRevisionApplied": 1, "helmChartRef": chart_ref_out, "failureCount": 0,
                "installFailureCount": 0, "upgradeFailureCount": 0}
        state = "Compliant"
    return [_status(name, ns, "HelmRelease", state, conditions, applied_by, helm)] + statuses
