"""`flux update`, `flux delete`, `flux show/list` and `deployed-object`: requests and output."""
import responses

from .conftest import ARM, lro
from .fakes import add_json, async_headers, flux_resource, json_body, op_url, url

CLUSTER = "-g rg1 -c c1 -t connectedClusters"


def _patch_lro(arm, final=None):
    op = op_url("fluxConfigurations", "cfg")
    add_json(arm, responses.PATCH, url("fluxConfigurations", "cfg"), flux_resource(provisioning="Updating"),
             status=202, headers=async_headers(op))
    lro(arm, op, ["Updating", "Succeeded"])


def _get(arm, resource=None):
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), resource or flux_resource())


def test_update_same_kind_sends_only_what_changed(run_az, arm):
    _get(arm)
    _patch_lro(arm)
    res = run_az("k8s-configuration flux update " + CLUSTER + " -n cfg --branch dev --suspend --timeout 1m")
    assert res.exit_code == 0, res.stderr
    assert [w.method for w in res.writes] == ["PATCH"]
    assert json_body(res.writes[0]) == {"properties": {
        "suspend": True, "gitRepository": {"timeoutInSeconds": 60, "repositoryRef": {"branch": "dev"}}}}


def test_update_adds_a_kustomization_by_name_only(run_az, arm):
    _get(arm)
    _patch_lro(arm)
    res = run_az("k8s-configuration flux update " + CLUSTER + " -n cfg -k name=new path=./n prune=true dependsOn=infra")
    assert res.exit_code == 0, res.stderr
    body = json_body(res.writes[0])["properties"]
    assert body["kustomizations"] == {"new": {"path": "./n", "prune": True, "dependsOn": ["infra"]}}


def test_update_rejects_a_dependency_on_an_unknown_kustomization_without_writing(run_az, arm):
    _get(arm)
    res = run_az("k8s-configuration flux update " + CLUSTER + " -n cfg -k name=new path=./n dependsOn=nope")
    assert res.exit_code != 0
    assert "nope" in res.stderr
    assert res.writes == []


def test_kind_change_without_yes_and_without_a_terminal_asks_for_yes(run_az, arm):
    _get(arm)
    res = run_az("k8s-configuration flux update " + CLUSTER + " -n cfg --kind bucket -u https://s3.example.com "
                 "--bucket-name b --local-auth-ref r")
    assert res.exit_code != 0
    assert "--yes" in res.stderr
    assert res.writes == []


def test_kind_change_with_yes_sends_the_new_kind(run_az, arm):
    _get(arm)
    _patch_lro(arm)
    res = run_az("k8s-configuration flux update " + CLUSTER + " -n cfg --kind bucket -u https://s3.example.com "
                 "--bucket-name b --local-auth-ref r --yes")
    assert res.exit_code == 0, res.stderr
    body = json_body(res.writes[0])["properties"]
    assert body["sourceKind"] == "Bucket"
    # Unlike the original, insecure=false is sent: the API's own default for a bucket is insecure.
    assert body["bucket"] == {"url": "https://s3.example.com", "bucketName": "b", "localAuthRef": "r",
                              "insecure": False}
    assert body["gitRepository"] is None


def test_update_of_a_missing_configuration_is_a_not_found_error(run_az, arm):
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"),
             {"error": {"code": "ResourceNotFound", "message": "Flux configuration with name 'cfg' not found."}},
             status=404)
    res = run_az("k8s-configuration flux update " + CLUSTER + " -n cfg --branch dev")
    assert res.exit_code != 0
    assert "cfg" in res.stderr and "not found" in res.stderr.lower()
    assert res.writes == []


def test_delete_sends_force_delete_false_and_prints_nothing(run_az, arm):
    _get(arm, flux_resource(kustomizations={"a": {"prune": False}}))
    op = op_url("fluxConfigurations", "cfg")
    arm.add(responses.DELETE, url("fluxConfigurations", "cfg", query="api-version=2025-04-01&forceDelete=false"),
            status=202, headers=async_headers(op))
    lro(arm, op, ["Deleting", "Succeeded"])
    res = run_az("k8s-configuration flux delete " + CLUSTER + " -n cfg --yes")
    assert res.exit_code == 0, res.stderr
    assert [w.method for w in res.writes] == ["DELETE"]
    assert "forceDelete=false" in res.writes[0].url
    assert res.stdout.strip() == ""


def test_delete_force_sends_force_delete_true(run_az, arm):
    _get(arm, flux_resource(kustomizations={}))
    arm.add(responses.DELETE, url("fluxConfigurations", "cfg", query="api-version=2025-04-01&forceDelete=true"),
            status=200)
    res = run_az("k8s-configuration flux delete " + CLUSTER + " -n cfg --force --yes")
    assert res.exit_code == 0, res.stderr
    assert "forceDelete=true" in res.writes[0].url


def test_delete_without_yes_and_without_a_terminal_says_to_pass_yes(run_az, arm):
    _get(arm)
    res = run_az("k8s-configuration flux delete " + CLUSTER + " -n cfg")
    assert res.exit_code != 0
    assert "--yes" in res.stderr and "Traceback" not in res.stderr
    assert res.writes == []


def test_delete_of_a_missing_configuration_warns_and_succeeds(run_az, arm):
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"),
             {"error": {"code": "ResourceNotFound", "message": "not found"}}, status=404)
    res = run_az("k8s-configuration flux delete " + CLUSTER + " -n cfg --yes")
    assert res.exit_code == 0
    assert "nothing to delete" in res.stderr
    assert res.writes == []


def test_show_prints_the_flattened_configuration(run_az, arm):
    _get(arm)
    res = run_az("k8s-configuration flux show " + CLUSTER + " -n cfg")
    assert res.exit_code == 0, res.stderr
    assert res.result["complianceState"] == "Compliant"
    assert res.result["sourceKind"] == "GitRepository"
    assert res.result["gitRepository"]["repositoryRef"] == {"branch": "main", "tag": None, "semver": None,
                                                            "commit": None}


def test_show_query_compliance_state_prints_just_the_value(run_az, arm):
    _get(arm)
    res = run_az("k8s-configuration flux show " + CLUSTER + " -n cfg --query complianceState -o tsv")
    assert res.exit_code == 0, res.stderr
    assert res.stdout.strip() == "Compliant"


def test_list_follows_next_link(run_az, arm):
    second = ARM + "/page2?api-version=2025-04-01"
    add_json(arm, responses.GET, url("fluxConfigurations"), {"value": [flux_resource("a")], "nextLink": second})
    add_json(arm, responses.GET, second, {"value": [flux_resource("b")], "nextLink": None})
    res = run_az("k8s-configuration flux list " + CLUSTER)
    assert res.exit_code == 0, res.stderr
    assert [c["name"] for c in res.result] == ["a", "b"]


def test_list_table_has_the_originals_columns(run_az, arm):
    add_json(arm, responses.GET, url("fluxConfigurations"), {"value": [flux_resource("a")]})
    res = run_az("k8s-configuration flux list " + CLUSTER + " -o table")
    assert res.exit_code == 0, res.stderr
    header = res.stdout.splitlines()[0].split()
    # The originals' columns in their order, then fluxlite's source revision (issue 12).
    assert header == ["Namespace", "Name", "Scope", "ProvisioningState", "ComplianceState", "SourceRevision"]


STATUSES = [
    {"name": "cfg", "namespace": "default", "kind": "GitRepository", "complianceState": "Compliant",
     "statusConditions": [{"type": "Ready", "status": "True", "message": "Fetched revision: main/abc"}]},
    {"name": "podinfo", "namespace": "default", "kind": "HelmRelease", "complianceState": "Non-Compliant",
     "statusConditions": [{"type": "Ready", "status": "False", "message": None}]},
]


def test_deployed_object_list_table_survives_a_null_message(run_az, arm):
    _get(arm, flux_resource(statuses=STATUSES))
    res = run_az("k8s-configuration flux deployed-object list " + CLUSTER + " -n cfg -o table")
    assert res.exit_code == 0, res.stderr
    assert "Fetched revision: main/abc" in res.stdout
    assert "podinfo" in res.stdout and "Non-Compliant" in res.stdout


def test_deployed_object_show_finds_the_object_and_misses_clearly(run_az, arm):
    _get(arm, flux_resource(statuses=STATUSES))
    res = run_az("k8s-configuration flux deployed-object show " + CLUSTER + " -n cfg --object-name podinfo "
                 "--object-namespace default --object-kind HelmRelease")
    assert res.exit_code == 0, res.stderr
    assert res.result["complianceState"] == "Non-Compliant"
    _get(arm, flux_resource(statuses=STATUSES))
    res = run_az("k8s-configuration flux deployed-object show " + CLUSTER + " -n cfg --object-name nope "
                 "--object-namespace default --object-kind OCIRepository")
    assert res.exit_code != 0
    assert "deployed-object list" in res.stderr


def test_throttling_and_server_errors_are_retried_not_surfaced(run_az, arm):
    arm.add(responses.GET, url("fluxConfigurations", "cfg"), status=429,
            json={"error": {"code": "TooManyRequests", "message": "slow down"}})
    arm.add(responses.GET, url("fluxConfigurations", "cfg"), status=503,
            json={"error": {"code": "ServiceUnavailable", "message": "busy"}})
    _get(arm)
    res = run_az("k8s-configuration flux show " + CLUSTER + " -n cfg")
    assert res.exit_code == 0, res.stderr
    assert res.result["complianceState"] == "Compliant"
    assert "slow down" not in res.stderr and "busy" not in res.stderr
    assert len([c for c in arm.calls if c.request.method == "GET"]) == 3
