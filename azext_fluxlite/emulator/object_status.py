"""What Flux reports for each object a kustomization applies: sources, Kustomizations, HelmReleases, HelmCharts.

Objects the emulator cannot check (Helm charts themselves, other sources) are reported ready; a
HelmRelease whose chart source nothing defines fails with its HelmChart, as on a cluster.
"""
import hashlib

SOURCE_KINDS = ("GitRepository", "HelmRepository", "OCIRepository", "Bucket", "HelmChart")


def condition(status, reason, message, ts, type_="Ready"):
    return {"lastTransitionTime": ts, "message": message, "reason": reason, "status": status, "type": type_}


def status(name, namespace, kind, state, conditions, applied_by=None, helm=None):
    return {"name": name, "namespace": namespace, "kind": kind, "complianceState": state, "appliedBy": applied_by,
            "statusConditions": conditions, "helmReleaseProperties": helm}


def object_statuses(obj, applied_by, sources, ts):
    kind, meta = obj["kind"], obj["metadata"]
    name, ns = meta["name"], meta["namespace"]
    spec = obj.get("spec") or {}
    if kind == "HelmRelease":
        return _helm_release(obj, applied_by, sources, ts)
    if (spec.get("suspend") is True):
        return [status(name, ns, kind, "Suspended", [condition("False", "Suspended", "reconciliation is suspended",
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
    return [status(name, ns, kind, "Compliant", [condition("True", "Succeeded", message, ts)], applied_by)]


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
            chart_state = condition("False", "InvalidChartReference", problem, ts)
        elif (source.get("kind") or "HelmRepository", chart_ns, source["name"]) not in sources:
            problem = "failed to get source: {}.source.toolkit.fluxcd.io \"{}\" not found in namespace '{}'".format(
                source.get("kind") or "HelmRepository", source["name"], chart_ns)
            chart_state = condition("False", "SourceUnavailable", problem, ts)
        else:
            chart_state = condition("True", "ChartPullSucceeded",
                                     "pulled '{}' chart with version '{}'".format(chart, version), ts)
        statuses.append(status(chart_name, chart_ns, "HelmChart", "Non-Compliant" if problem else "Compliant",
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
        conditions = [condition("False", "ArtifactFailed", problem, ts)]
        helm = {"lastRevisionApplied": None, "helmChartRef": chart_ref_out, "failureCount": 1,
                "installFailureCount": 1, "upgradeFailureCount": 0}
        state = "Non-Compliant"
    elif spec.get("suspend") is True:
        conditions = [condition("False", "Suspended", "reconciliation is suspended", ts)]
        helm = {"lastRevisionApplied": None, "helmChartRef": chart_ref_out, "failureCount": 0,
                "installFailureCount": 0, "upgradeFailureCount": 0}
        state = "Suspended"
    else:
        conditions = [condition("True", "ReconciliationSucceeded", "Release reconciliation succeeded", ts),
                      condition("True", "InstallSucceeded", "Helm install succeeded for release {}/{}.v1 with chart "
                                 "{}".format(target_ns, release, chart_label), ts, type_="Released")]
        helm = {"lastRevisionApplied": 1, "helmChartRef": chart_ref_out, "failureCount": 0,
                "installFailureCount": 0, "upgradeFailureCount": 0}
        state = "Compliant"
    return [status(name, ns, "HelmRelease", state, conditions, applied_by, helm)] + statuses
