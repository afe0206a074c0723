"""fluxlite's additions: --dry-run, wait commands, --wait-for-compliance, reconciliation flags."""
import json

import responses

from .conftest import lro
from .fakes import (EXT_API, add_json, async_headers, extension_resource, flux_resource, json_body, no_flux_v1, op_url,
                    url)

CLUSTER = "-g rg1 -c c1 -t connectedClusters"
CREATE = ("k8s-configuration flux create " + CLUSTER + " -n cfg -u https://github.com/x/y --branch main "
          "--https-user me --https-key s3cr3t-token -k name=apps path=./apps")
FAILING = [
    {"name": "cfg", "namespace": "default", "kind": "GitRepository", "complianceState": "Compliant",
     "statusConditions": [{"type": "Ready", "status": "True", "message": "Fetched revision: main/abc"}]},
    {"name": "podinfo", "namespace": "cluster-config", "kind": "HelmRelease", "complianceState": "Non-Compliant",
     "statusConditions": [{"type": "Ready", "status": "False", "message": "install retries exhausted"}]},
]


def test_create_dry_run_prints_both_requests_redacted_and_writes_nothing(run_az, arm):
    add_json(arm, responses.GET, url("extensions", query=EXT_API), {"value": []})
    no_flux_v1(arm)                     # the extension would be installed: Flux v1 is checked first
    res = run_az(CREATE + " --dry-run")
    assert res.exit_code == 0, res.stderr
    assert res.writes == []
    assert [(r["method"], r["url"].split("?")[0].rsplit("/", 2)[-2:]) for r in res.result] == [
        ("PUT", ["extensions", "flux"]), ("PUT", ["fluxConfigurations", "cfg"])]
    assert res.result[1]["url"].endswith("?api-version=2025-04-01")
    assert res.result[1]["body"]["properties"]["configurationProtectedSettings"] == {"httpsKey": "REDACTED"}
    assert "s3cr3t" not in res.output and "czNjcjN0" not in res.output


def test_update_and_kustomization_dry_runs_write_nothing(run_az, arm):
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), flux_resource())
    res = run_az("k8s-configuration flux update " + CLUSTER + " -n cfg --branch dev --dry-run")
    assert res.exit_code == 0, res.stderr
    assert res.result == [{"method": "PATCH", "url": url("fluxConfigurations", "cfg"),
                           "body": {"properties": {"gitRepository": {"repositoryRef": {"branch": "dev"}}}}}]
    res = run_az("k8s-configuration flux kustomization delete " + CLUSTER + " -n cfg -k infra --dry-run")
    assert res.exit_code == 0, res.stderr
    assert res.result[0]["body"] == {"properties": {"kustomizations": {"infra": None}}}
    assert res.writes == []


def test_extension_create_dry_run_redacts_protected_settings(run_az, arm):
    res = run_az("k8s-extension create " + CLUSTER + " -n flux --extension-type microsoft.flux "
                 "--config-protected token=hunter2 --dry-run")
    assert res.exit_code == 0, res.stderr
    assert res.writes == [] and len(arm.calls) == 0
    assert res.result[0]["body"]["properties"]["configurationProtectedSettings"] == {"token": "REDACTED"}
    assert "hunter2" not in json.dumps(res.result)


def _create_with_final(arm, final):
    add_json(arm, responses.GET, url("extensions", query=EXT_API), {"value": [extension_resource()]})
    op = op_url("fluxConfigurations", "cfg")
    add_json(arm, responses.PUT, url("fluxConfigurations", "cfg"), flux_resource(provisioning="Creating"),
             status=201, headers=async_headers(op))
    lro(arm, op, ["Succeeded"])
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), final)


def test_wait_for_compliance_fails_listing_the_failing_objects(run_az, arm):
    _create_with_final(arm, flux_resource(compliance="Non-Compliant", statuses=FAILING))
    res = run_az(CREATE + " --wait-for-compliance")
    assert res.exit_code != 0
    assert "Non-Compliant" in res.stderr
    assert "HelmRelease cluster-config/podinfo: Non-Compliant install retries exhausted" in res.stderr
    assert "GitRepository default/cfg" not in res.stderr
    assert "Traceback" not in res.stderr


def test_wait_for_compliance_returns_the_compliant_configuration(run_az, arm):
    _create_with_final(arm, flux_resource(compliance="Compliant", statuses=FAILING[:1]))
    res = run_az(CREATE + " --wait-for-compliance")
    assert res.exit_code == 0, res.stderr
    assert res.result["complianceState"] == "Compliant"
    assert "compliant" in res.stderr.lower()


def test_wait_for_compliance_with_no_wait_is_refused_before_any_call(run_az, arm):
    res = run_az(CREATE + " --wait-for-compliance --no-wait")
    assert res.exit_code != 0
    assert "--no-wait" in res.stderr
    assert len(arm.calls) == 0


def test_export_format_without_dry_run_points_to_flux_export(run_az, arm):
    res = run_az(CREATE + " --export-format flux")
    assert res.exit_code != 0
    assert "--dry-run" in res.stderr and "flux export" in res.stderr
    assert len(arm.calls) == 0


def test_reconciliation_wait_duration_is_sent_as_iso8601_and_implies_waiting(run_az, arm):
    add_json(arm, responses.GET, url("extensions", query=EXT_API), {"value": [extension_resource()]})
    res = run_az(CREATE + " --reconciliation-wait-duration 1h30m --dry-run")
    assert res.exit_code == 0, res.stderr
    props = res.result[0]["body"]["properties"]
    assert props["waitForReconciliation"] is True
    assert props["reconciliationWaitDuration"] == "PT1H30M"
    res = run_az(CREATE + " --reconciliation-wait-duration soon --dry-run")
    assert res.exit_code != 0 and "--reconciliation-wait-duration" in res.stderr


def test_flux_wait_compliant_polls_until_compliant(run_az, arm):
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), flux_resource(compliance="Pending"))
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), flux_resource(compliance="Compliant"))
    res = run_az("k8s-configuration flux wait " + CLUSTER + " -n cfg --compliant --interval 1 --timeout 30")
    assert res.exit_code == 0, res.stderr
    assert "Pending" in res.stderr and "Compliant" in res.stderr
    assert res.stdout.strip() == ""


def test_flux_wait_deleted_and_needs_exactly_one_condition(run_az, arm):
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"),
             {"error": {"code": "ResourceNotFound", "message": "not found"}}, status=404)
    assert run_az("k8s-configuration flux wait " + CLUSTER + " -n cfg --deleted").exit_code == 0
    res = run_az("k8s-configuration flux wait " + CLUSTER + " -n cfg")
    assert res.exit_code != 0 and "--compliant" in res.stderr
    res = run_az("k8s-configuration flux wait " + CLUSTER + " -n cfg --created --deleted")
    assert res.exit_code != 0 and "only one" in res.stderr


def test_extension_wait_times_out_clearly(run_az, arm):
    add_json(arm, responses.GET, url("extensions", "flux", query=EXT_API), extension_resource(provisioning="Creating"))
    res = run_az("k8s-extension wait " + CLUSTER + " -n flux --created --interval 1 --timeout 1")
    assert res.exit_code != 0
    assert "Timed out" in res.stderr and "Creating" in res.stderr


def test_create_dry_run_export_prints_flux_yaml_without_secrets_or_calls(run_az, arm):
    import yaml
    res = run_az(CREATE + " --dry-run --export-format flux")
    assert res.exit_code == 0, res.stderr
    docs = [d for d in yaml.safe_load_all(res.stdout) if d]
    assert [(d["kind"], d["metadata"]["name"]) for d in docs] == [("GitRepository", "cfg"), ("Kustomization", "cfg-apps")]
    assert docs[1]["spec"]["path"] == "./apps"
    assert "s3cr3t" not in res.output
    assert len(arm.calls) == 0
