"""flux status: the structure built from a configuration's statuses, its text, and --watch's change lines."""
import copy

from azext_fluxlite.flux import status as flux_status
from tests.fakeclock import FakeClock

TS = "2026-11-30T12:00:00Z"


def _cond(status, message, reason="Succeeded", type_="Ready"):
    return [{"lastTransitionTime": TS, "message": message, "reason": reason, "status": status, "type": type_}]


def _st(kind, name, ns, state, conditions, applied_by=None, helm=None):
    return {"kind": kind, "name": name, "namespace": ns, "complianceState": state, "appliedBy": applied_by,
            "statusConditions": conditions, "helmReleaseProperties": helm}


def tutorial_config(apps_ok=False):
    """The GitOps tutorial as the service reports it: apps depends on infra; podinfo's chart source is missing."""
    by_infra = {"name": "cfg-infra", "namespace": "cluster-config"}
    by_apps = {"name": "cfg-apps", "namespace": "cluster-config"}
    podinfo_state = "Compliant" if apps_ok else "Non-Compliant"
    podinfo_msg = "Release reconciliation succeeded" if apps_ok else "HelmChart 'cluster-config/cluster-config-podinfo' is not ready"
    statuses = [
        _st("GitRepository", "cfg", "cluster-config", "Compliant", _cond("True", "Fetched revision: main@sha1:0ba6f0d3")),
        # listed before its kustomization on purpose: the order of the service must not matter
        _st("Kustomization", "cfg-apps", "cluster-config", podinfo_state,
            _cond("True", "Applied revision: main@sha1:0ba6f0d3") if apps_ok else
            _cond("False", "Health check failed after 0s: HelmRelease 'cluster-config/podinfo' is not ready",
                  reason="HealthCheckFailed")),
        _st("Kustomization", "cfg-infra", "cluster-config", "Compliant",
            _cond("True", "Applied revision: main@sha1:0ba6f0d3")),
        _st("HelmRepository", "bitnami", "cluster-config", "Compliant", _cond("True", "stored artifact"), by_infra),
        _st("HelmRelease", "podinfo", "cluster-config", podinfo_state,
            _cond("True" if apps_ok else "False", podinfo_msg), by_apps,
            {"helmChartRef": {"name": "cluster-config-podinfo", "namespace": "cluster-config"}}),
        _st("HelmChart", "cluster-config-podinfo", "cluster-config", podinfo_state,
            _cond("True" if apps_ok else "False", "pulled" if apps_ok else "failed to get source: podinfo not found")),
    ]
    return {"name": "cfg", "properties": {
        "namespace": "cluster-config", "sourceKind": "GitRepository", "suspend": False,
        "gitRepository": {"url": "https://github.com/Azure/gitops-flux2-kustomize-helm-mt"},
        "kustomizations": {"apps": {"path": "./apps/staging", "dependsOn": ["infra"]},
                           "infra": {"path": "./infrastructure", "dependsOn": []}},
        "statuses": statuses, "sourceSyncedCommitId": "main@sha1:0ba6f0d3",
        "complianceState": "Compliant" if apps_ok else "Non-Compliant", "provisioningState": "Succeeded"}}


def test_kustomizations_come_in_dependency_order_with_their_state_and_revision():
    status = flux_status.build_status(tutorial_config())
    assert [k["name"] for k in status["kustomizations"]] == ["infra", "apps"]
    infra, apps = status["kustomizations"]
    assert (infra["ready"], infra["complianceState"], infra["revision"]) == (True, "Compliant", "main@sha1:0ba6f0d3")
    assert (apps["ready"], apps["complianceState"], apps["revision"]) == (False, "Non-Compliant", None)
    assert apps["message"].startswith("Health check failed")
    assert status["source"] == {
        "kind": "GitRepository", "name": "cfg", "namespace": "cluster-config",
        "url": "https://github.com/Azure/gitops-flux2-kustomize-helm-mt", "revision": "main@sha1:0ba6f0d3",
        "ready": True, "complianceState": "Compliant", "message": "Fetched revision: main@sha1:0ba6f0d3",
        "updatedAt": None}


def test_only_failing_objects_are_listed_under_the_kustomization_that_applied_them():
    status = flux_status.build_status(tutorial_config())
    infra, apps = status["kustomizations"]
    assert infra["objects"] == []
    # The HelmChart has no appliedBy: it goes with the HelmRelease that refers to it.
    assert [(o["kind"], o["namespace"], o["name"]) for o in apps["objects"]] == [
        ("HelmRelease", "cluster-config", "podinfo"), ("HelmChart", "cluster-config", "cluster-config-podinfo")]
    assert apps["objects"][1]["message"] == "failed to get source: podinfo not found"
    assert status["otherObjects"] == []


def test_all_lists_every_object():
    status = flux_status.build_status(tutorial_config(), show_all=True)
    infra = status["kustomizations"][0]
    assert [(o["kind"], o["name"], o["complianceState"]) for o in infra["objects"]] == [
        ("HelmRepository", "bitnami", "Compliant")]


def test_a_kustomization_without_a_status_yet_is_unknown():
    config = tutorial_config()
    config["properties"]["statuses"] = []
    config["properties"]["sourceSyncedCommitId"] = None
    status = flux_status.build_status(config)
    assert status["source"]["ready"] is None and status["source"]["revision"] is None
    assert [(k["complianceState"], k["ready"], k["message"]) for k in status["kustomizations"]] == [
        ("Unknown", None, "no status reported yet")] * 2


def test_text_is_plain_without_colour_and_coloured_with_it():
    status = flux_status.build_status(tutorial_config())
    plain = flux_status.render_text(status)
    assert "\033[" not in plain
    lines = plain.splitlines()
    assert lines[0] == "Flux configuration cfg: Non-Compliant"
    infra_line = next(i for i, line in enumerate(lines) if line.strip().startswith("infra"))
    apps_line = next(i for i, line in enumerate(lines) if line.strip().startswith("apps "))
    assert infra_line < apps_line
    assert "Ready" in lines[infra_line] and "Compliant" in lines[infra_line] and "main@sha1:0ba6f0d3" in lines[infra_line]
    assert "Not ready" in lines[apps_line] and "Non-Compliant" in lines[apps_line]
    assert any("HelmRelease cluster-config/podinfo" in line for line in lines[apps_line:])
    coloured = flux_status.render_text(status, colour=True)
    assert "\033[31mNon-Compliant" in coloured and "\033[32mReady" in coloured


def test_changes_name_what_changed_and_nothing_else():
    before = flux_status.build_status(tutorial_config(), show_all=True)
    assert flux_status.changes(before, copy.deepcopy(before)) == []
    after = flux_status.build_status(tutorial_config(apps_ok=True), show_all=True)
    lines = flux_status.changes(before, after)
    assert "configuration cfg: Non-Compliant -> Compliant" in lines
    assert "kustomization apps: Ready, Compliant, main@sha1:0ba6f0d3: Applied revision: main@sha1:0ba6f0d3" in lines
    assert not any(line.startswith("kustomization infra") for line in lines)
    # The HelmRelease recovered: said once; the HelmRepository never failed: not mentioned.
    assert any(line.startswith("HelmRelease cluster-config/podinfo: Ready, Compliant") for line in lines)
    assert not any("bitnami" in line for line in lines)


def test_watch_prints_the_first_view_then_only_changes_until_the_timeout():
    answers = [tutorial_config(), tutorial_config(), tutorial_config(apps_ok=True)]
    clock, out = FakeClock(), []
    last = flux_status.watch(lambda: answers.pop(0) if len(answers) > 1 else answers[0], out.append, timeout=10,
                             clock=clock, sleep=clock.sleep, stamp=lambda: "T{:g}".format(clock.now),
                             delays=lambda: iter([1.0, 1.0, 4.0, 4.0, 4.0, 4.0]))
    assert out[0].startswith("T0 Flux configuration cfg: Non-Compliant")
    assert out[1:] and all(line.startswith("T2 ") for line in out[1:])      # the third poll saw the change
    assert "T2 configuration cfg: Non-Compliant -> Compliant" in out
    assert last["complianceState"] == "Compliant"
    assert sum(clock.sleeps) == 10                                            # stopped at the timeout
    assert clock.sleeps[:3] == [1.0, 1.0, 1.0]                                # the schedule restarted after a change


def test_watch_ends_on_ctrl_c_with_the_last_state():
    calls = []

    def fetch():
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return tutorial_config()

    clock = FakeClock()
    last = flux_status.watch(fetch, lambda text: None, clock=clock, sleep=clock.sleep, stamp=lambda: "T")
    assert last["complianceState"] == "Non-Compliant"


def test_an_azure_blob_source_is_found_whether_reported_as_azure_blob_or_bucket():
    for reported in ("AzureBlob", "Bucket"):
        config = {"name": "cfg", "properties": {
            "namespace": "ns", "sourceKind": "AzureBlob", "azureBlob": {"url": "https://s.blob.core.windows.net"},
            "statuses": [_st(reported, "cfg", "ns", "Compliant", _cond("True", "stored artifact for revision 'sha256:ab'"))],
            "kustomizations": {}}}
        source = flux_status.build_status(config)["source"]
        assert (source["ready"], source["revision"], source["url"]) == (True, "sha256:ab", "https://s.blob.core.windows.net")


def test_a_source_error_that_mentions_revision_shows_no_revision():
    config = tutorial_config()
    message = ("failed to checkout and determine revision: unable to clone 'https://github.com/Azure/"
               "gitops-flux2-kustomize-helm-mt': authentication required")
    config["properties"]["statuses"][0] = _st("GitRepository", "cfg", "cluster-config", "Non-Compliant",
                                              _cond("False", message, reason="GitOperationFailed"))
    config["properties"]["sourceSyncedCommitId"] = None
    source = flux_status.build_status(config)["source"]
    assert (source["ready"], source["revision"], source["message"]) == (False, None, message)
    assert "Not ready Non-Compliant -" in flux_status.render_text(flux_status.build_status(config), colour=False)


def test_why_a_configuration_is_not_reconciled_is_shown_once():
    config = tutorial_config(apps_ok=True)
    before = flux_status.build_status(config, show_all=True)
    why = ("The microsoft.flux extension is not installed on the cluster, so no Flux controller reconciles this "
           "configuration.")
    config["properties"].update(complianceState="Unknown", errorMessage=why)
    status = flux_status.build_status(config)
    assert status["errorMessage"] == why
    assert flux_status.render_text(status).splitlines()[:2] == ["Flux configuration cfg: Unknown", "  " + why]
    assert flux_status.changes(before, flux_status.build_status(config, show_all=True)) == [
        "configuration cfg: Compliant -> Unknown", "configuration cfg: " + why]
    # A kustomization's failure repeated in errorMessage is not printed twice.
    failing = tutorial_config()
    failing["properties"]["errorMessage"] = "Kustomization cluster-config/cfg-apps: " + \
        failing["properties"]["statuses"][1]["statusConditions"][0]["message"]
    assert flux_status.render_text(flux_status.build_status(failing)).count("Health check failed") == 1
