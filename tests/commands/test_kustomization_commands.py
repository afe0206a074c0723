"""`flux kustomization create|update|delete|list|show`."""
import responses

from .conftest import lro
from .fakes import add_json, async_headers, flux_resource, json_body, op_url, url

BASE = "-g rg1 -c c1 -t connectedClusters -n cfg"
TWO = {"infra": {"name": "infra", "path": "./infrastructure", "prune": True, "dependsOn": None},
       "apps": {"name": "apps", "path": "./apps", "prune": False, "dependsOn": ["infra"],
                "syncIntervalInSeconds": 600, "timeoutInSeconds": 3661}}


def _config(arm, kustomizations=None):
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), flux_resource(kustomizations=kustomizations or TWO))


def _patch(arm):
    op = op_url("fluxConfigurations", "cfg")
    add_json(arm, responses.PATCH, url("fluxConfigurations", "cfg"), flux_resource(provisioning="Updating"),
             status=202, headers=async_headers(op))
    lro(arm, op, ["Succeeded"])


def test_create_sends_the_one_kustomization(run_az, arm):
    _config(arm)
    _patch(arm)
    res = run_az("k8s-configuration flux kustomization create " + BASE + " -k web --path ./web --depends-on "
                 "infra,apps --interval 1m --retry-interval 30s --prune")
    assert res.exit_code == 0, res.stderr
    assert json_body(res.writes[0]) == {"properties": {"kustomizations": {"web": {
        "path": "./web", "dependsOn": ["infra", "apps"], "syncIntervalInSeconds": 60, "retryIntervalInSeconds": 30,
        "prune": True, "wait": True}}}}


def test_create_of_an_existing_name_is_refused(run_az, arm):
    _config(arm)
    res = run_az("k8s-configuration flux kustomization create " + BASE + " -k apps --path ./x")
    assert res.exit_code != 0
    assert "already exists" in res.stderr and "kustomization update" in res.stderr
    assert res.writes == []


def test_update_without_disable_health_check_leaves_wait_alone(run_az, arm):
    _config(arm)
    _patch(arm)
    res = run_az("k8s-configuration flux kustomization update " + BASE + " -k apps --path ./apps/prod")
    assert res.exit_code == 0, res.stderr
    assert json_body(res.writes[0]) == {"properties": {"kustomizations": {"apps": {"path": "./apps/prod"}}}}


def test_update_that_would_make_a_cycle_is_refused(run_az, arm):
    _config(arm)
    res = run_az("k8s-configuration flux kustomization update " + BASE + " -k infra --depends-on apps")
    assert res.exit_code != 0
    assert "infra" in res.stderr and "apps" in res.stderr
    assert res.writes == []


def test_delete_sends_null_after_confirmation(run_az, arm):
    _config(arm, {"solo": {"name": "solo", "path": "./s", "prune": False}})
    _patch(arm)
    res = run_az("k8s-configuration flux kustomization delete " + BASE + " -k solo --yes")
    assert res.exit_code == 0, res.stderr
    assert json_body(res.writes[0]) == {"properties": {"kustomizations": {"solo": None}}}


def test_delete_of_a_kustomization_others_depend_on_is_refused(run_az, arm):
    _config(arm)
    res = run_az("k8s-configuration flux kustomization delete " + BASE + " -k infra --yes")
    assert res.exit_code != 0
    assert "apps" in res.stderr
    assert res.writes == []


def test_show_of_a_missing_name_is_a_clear_error(run_az, arm):
    _config(arm)
    res = run_az("k8s-configuration flux kustomization show " + BASE + " -k nope")
    assert res.exit_code != 0
    assert "nope" in res.stderr and "kustomization list" in res.stderr
    assert "Traceback" not in res.stderr and "IndexError" not in res.stderr


def test_show_returns_a_one_key_map(run_az, arm):
    _config(arm)
    res = run_az("k8s-configuration flux kustomization show " + BASE + " -k apps")
    assert res.exit_code == 0, res.stderr
    assert list(res.result) == ["apps"]
    assert res.result["apps"]["dependsOn"] == ["infra"]


def test_list_table_orders_by_dependency_and_formats_durations(run_az, arm):
    _config(arm, {"apps": TWO["apps"], "infra": TWO["infra"]})
    res = run_az("k8s-configuration flux kustomization list " + BASE + " -o table")
    assert res.exit_code == 0, res.stderr
    lines = [l for l in res.stdout.splitlines() if l.strip()]
    assert lines[0].split()[:4] == ["Name", "Path", "DependsOn", "SyncInterval"]
    assert lines[2].startswith("infra") and lines[3].startswith("apps")
    assert "1h1m1s" in lines[3] and "10m" in lines[3]


def test_create_with_substitution_flags_sends_post_build(run_az, arm):
    _config(arm)
    _patch(arm)
    res = run_az("k8s-configuration flux kustomization create " + BASE + " -k web --path ./web "
                 "--substitute cluster_env=prod replicas=2 --substitute-from ConfigMap/vars Secret/creds:optional")
    assert res.exit_code == 0, res.stderr
    assert json_body(res.writes[0])["properties"]["kustomizations"]["web"]["postBuild"] == {
        "substitute": {"cluster_env": "prod", "replicas": "2"},
        "substituteFrom": [{"kind": "ConfigMap", "name": "vars", "optional": False},
                           {"kind": "Secret", "name": "creds", "optional": True}]}
