"""What-if on --dry-run (stderr) next to the exact request (stdout), and the warning of a re-PUT by flux create."""
import json

import responses

from .conftest import ARM, lro
from .fakes import (EXT_API, add_json, async_headers, extension_resource, flux_resource, op_url, url)

CLUSTER = "-g rg1 -c c1 -t connectedClusters"
TWO = {"infra": {"name": "infra", "path": "./infrastructure", "prune": True, "dependsOn": None,
                 "timeoutInSeconds": 600, "syncIntervalInSeconds": 600, "force": False, "wait": True},
       "apps": {"name": "apps", "path": "./apps", "prune": True, "dependsOn": ["infra"],
                "timeoutInSeconds": 600, "syncIntervalInSeconds": 600, "force": False, "wait": True}}


def _config(arm, kustomizations=None):
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), flux_resource(kustomizations=kustomizations or TWO))


def _request(res):
    return json.loads(res.stdout)


def test_update_dry_run_shows_the_change_on_stderr_and_the_request_on_stdout(run_az, arm):
    _config(arm)
    res = run_az("k8s-configuration flux update " + CLUSTER + " -n cfg --branch dev --https-user git "
                 "--https-key s3cr3t-token --dry-run")
    assert res.exit_code == 0, res.stderr
    assert res.writes == []
    request = _request(res)
    assert request[0]["method"] == "PATCH"
    assert request[0]["body"]["properties"]["gitRepository"]["repositoryRef"] == {"branch": "dev"}
    assert "What-if for flux configuration 'cfg' (PATCH):" in res.stderr
    assert '~ gitRepository.repositoryRef.branch: "main" => "dev"' in res.stderr
    assert '+ gitRepository.httpsUser: "git"' in res.stderr
    assert "+ configurationProtectedSettings.httpsKey: (secret)" in res.stderr
    assert "s3cr3t" not in res.output and "czNjcjN0" not in res.output     # neither plain nor base64


def test_kustomization_create_update_delete_dry_run_show_what_changes(run_az, arm):
    _config(arm)
    base = "k8s-configuration flux kustomization {} " + CLUSTER + " -n cfg -k {} --dry-run"
    res = run_az(base.format("create", "web") + " --path ./web --depends-on apps")
    assert res.exit_code == 0, res.stderr
    added = [line for line in res.stderr.splitlines() if line.startswith("  + kustomizations.web: ")]
    assert len(added) == 1 and '"path": "./web"' in added[0] and '"dependsOn": ["apps"]' in added[0]
    assert '"wait": true' in added[0]           # with the defaults the service fills in
    assert "1 to add, 0 to change, 0 to remove" in res.stderr
    res = run_az(base.format("update", "apps") + " --path ./apps/prod --prune false")
    assert res.exit_code == 0, res.stderr
    assert '~ kustomizations.apps.path: "./apps" => "./apps/prod"' in res.stderr
    assert "~ kustomizations.apps.prune: true => false" in res.stderr
    res = run_az(base.format("delete", "apps"))
    assert res.exit_code == 0, res.stderr
    assert '- kustomizations.apps: {"path": "./apps"' in res.stderr
    assert _request(res)[0]["body"] == {"properties": {"kustomizations": {"apps": None}}}
    assert res.writes == []


def test_extension_update_dry_run_shows_the_settings_it_changes(run_az, arm):
    ext = extension_resource()
    ext["properties"].update({"autoUpgradeMinorVersion": True, "releaseTrain": "Stable",
                              "configurationSettings": {"multiTenancy.enforce": "false"}})
    add_json(arm, responses.GET, url("extensions", "flux", query=EXT_API), ext)
    res = run_az("k8s-extension update " + CLUSTER + " -n flux --auto-upgrade-minor-version false --version 1.8.2 "
                 "--configuration-settings multiTenancy.enforce=true --dry-run")
    assert res.exit_code == 0, res.stderr
    assert res.writes == []
    assert _request(res)[-1]["method"] == "PATCH"
    assert "What-if for extension 'flux' (PATCH):" in res.stderr
    assert "~ autoUpgradeMinorVersion: true => false" in res.stderr
    assert '+ version: "1.8.2"' in res.stderr
    assert '~ configurationSettings.multiTenancy.enforce: "false" => "true"' in res.stderr


def _create_answers(arm, existing):
    add_json(arm, responses.GET, url("extensions", query=EXT_API), {"value": [extension_resource()]})
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), existing)
    op = op_url("fluxConfigurations", "cfg")
    add_json(arm, responses.PUT, url("fluxConfigurations", "cfg"), flux_resource(provisioning="Updating"),
             status=201, headers=async_headers(op))
    lro(arm, op, ["Succeeded"])


def test_create_on_an_existing_name_keeps_the_put_and_warns_what_it_removes(run_az, arm):
    _create_answers(arm, flux_resource(kustomizations=TWO))
    res = run_az("k8s-configuration flux create " + CLUSTER + " -n cfg -u https://github.com/x/y --branch main "
                 "-k name=infra path=./infrastructure prune=false")
    assert res.exit_code == 0, res.stderr
    assert [w.method for w in res.writes] == ["PUT"]
    assert "Flux configuration 'cfg' already exists: this create replaces it whole." in res.stderr
    assert '- kustomizations.apps: {"path": "./apps"' in res.stderr
    assert "~ kustomizations.infra.prune: true => false" in res.stderr
    methods = [(c.request.method, c.request.url.split("?")[0].replace(ARM, "").rsplit("/", 2)[-2:])
               for c in arm.calls]
    # one GET for the warning, no more: list extensions, GET the configuration, PUT, one poll, final GET
    assert [m for m, _ in methods] == ["GET", "GET", "PUT", "GET", "GET"]
    assert methods[1][1] == ["fluxConfigurations", "cfg"]


def test_create_of_the_same_configuration_again_warns_no_change(run_az, arm):
    _create_answers(arm, flux_resource(kustomizations={"infra": TWO["infra"]}))
    res = run_az("k8s-configuration flux create " + CLUSTER + " -n cfg -u https://github.com/x/y --branch main "
                 "-k name=infra path=./infrastructure prune=true")
    assert res.exit_code == 0, res.stderr
    assert "already exists" in res.stderr and "no change" in res.stderr


def test_create_dry_run_on_an_existing_name_warns_too(run_az, arm):
    _create_answers(arm, flux_resource(kustomizations=TWO))
    res = run_az("k8s-configuration flux create " + CLUSTER + " -n cfg -u https://github.com/x/y --branch main "
                 "-k name=infra path=./infrastructure prune=true --dry-run")
    assert res.exit_code == 0, res.stderr
    assert res.writes == []
    assert '- kustomizations.apps: {"path": "./apps"' in res.stderr
    assert _request(res)[0]["method"] == "PUT"


def test_the_replacement_warning_never_shows_a_secret(run_az, arm):
    _create_answers(arm, flux_resource(kustomizations=TWO))
    res = run_az("k8s-configuration flux create " + CLUSTER + " -n cfg -u https://github.com/x/y --branch main "
                 "--https-user git --https-key s3cr3t-token -k name=infra path=./infrastructure prune=true")
    assert res.exit_code == 0, res.stderr
    assert "+ configurationProtectedSettings.httpsKey: (secret)" in res.stderr
    assert "s3cr3t" not in res.output and "czNjcjN0" not in res.output
