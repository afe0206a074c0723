"""The tutorial's commands, a failed operation and a restart, with the real az against the emulator;
and `az fluxlite emulator start` itself."""
import json
import signal
import subprocess
import time

import requests

from .conftest import TUTORIAL_URL, parse_exports

ARC = ["-g", "flux-demo-rg", "-c", "flux-demo-arc", "-t", "connectedClusters"]


def test_tutorial_ends_compliant_with_the_repositorys_objects(az, emulator):
    ext = json.loads(az.run("k8s-extension", "create", *ARC, "--name", "flux", "--extension-type", "microsoft.flux",
                            "--config", "source-controller.log-level=info", "helm-controller.enabled=true",
                            "-o", "json").stdout)
    assert ext["provisioningState"] == "Succeeded" and ext["currentVersion"]
    assert ext["configurationSettings"]["helm-controller.enabled"] == "true"
    created = json.loads(az.run(
        "k8s-configuration", "flux", "create", *ARC, "-n", "cluster-config", "--namespace", "cluster-config",
        "--scope", "cluster", "-u", TUTORIAL_URL, "--branch", "main",
        "--kustomization", "name=infra", "path=./infrastructure", "prune=true",
        "--kustomization", "name=apps", "path=./apps/staging", "prune=true", 'dependsOn=["infra"]',
        "-o", "json").stdout)
    assert created["provisioningState"] == "Succeeded"
    state = az.run("k8s-configuration", "flux", "show", *ARC, "-n", "cluster-config", "--query", "complianceState",
                   "-o", "tsv").stdout.strip()
    assert state == "Compliant"
    objects = json.loads(az.run("k8s-configuration", "flux", "deployed-object", "list", *ARC, "-n",
                                "cluster-config", "-o", "json").stdout)
    kinds = {(o["kind"], o["name"]) for o in objects}
    assert {("GitRepository", "cluster-config"), ("Kustomization", "cluster-config-apps"),
            ("HelmRelease", "podinfo"), ("HelmRelease", "nginx"), ("HelmRelease", "redis")} <= kinds
    kustomizations = json.loads(az.run("k8s-configuration", "flux", "kustomization", "list", *ARC, "-n",
                                       "cluster-config", "-o", "json").stdout)
    assert kustomizations["apps"]["dependsOn"] == ["infra"]


def test_a_failed_operation_fails_the_command_with_the_services_error(az, emulator):
    AKS = emulator.new_cluster()
    emulator.inject_fault("managedClusters/{}/providers/Microsoft.KubernetesConfiguration/extensions/".format(AKS[3]),
                          method="PUT", code="ExtensionOperationFailed",
                          message="The extension operation failed: helm install timed out")
    res = az.run("k8s-extension", "create", *AKS, "--name", "flux", "--extension-type", "microsoft.flux",
                 check=False)
    assert res.returncode != 0
    assert "helm install timed out" in res.stderr
    shown = json.loads(az.run("k8s-extension", "show", *AKS, "--name", "flux", "-o", "json").stdout)
    assert shown["provisioningState"] == "Failed"
    az.run("k8s-extension", "delete", *AKS, "--name", "flux", "--force", "--yes")
    assert az.run("k8s-extension", "list", *AKS, "-o", "json").stdout.strip() in ("[]", "")


def test_an_operation_started_before_a_restart_completes_after_it(az, emulator):
    ARC = emulator.new_cluster("connectedClusters")
    az.run("k8s-extension", "create", *ARC, "--name", "flux", "--extension-type", "microsoft.flux")
    az.run("k8s-configuration", "flux", "create", *ARC, "-n", "restart-config", "--namespace", "restart",
           "-u", TUTORIAL_URL, "--tag", "v1.0.0", "--kustomization", "name=infra", "path=./infrastructure",
           "--no-wait")
    emulator.restart()
    deadline = time.time() + 30
    while True:
        shown = json.loads(az.run("k8s-configuration", "flux", "show", *ARC, "-n", "restart-config",
                                  "-o", "json").stdout)
        if shown["provisioningState"] == "Succeeded" or time.time() > deadline:
            break
        time.sleep(0.5)
    assert shown["provisioningState"] == "Succeeded"
    assert shown["complianceState"] == "Compliant"
    assert shown["sourceSyncedCommitId"].startswith("v1.0.0/")
    az.run("k8s-configuration", "flux", "delete", *ARC, "-n", "restart-config", "--yes")


def test_az_fluxlite_emulator_start(installed_az, tmp_path):
    proc = subprocess.Popen([installed_az.az, "fluxlite", "emulator", "start", "--port", "0", "--data-dir",
                             str(tmp_path / "data"), "--cluster", "rg/connectedClusters/c1",
                             "--operation-seconds", "0.5"],
                            env=installed_az.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines, deadline = [], time.time() + 90
        while time.time() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if line.startswith("# Another shell"):
                break
        banner = "".join(lines)
        assert "# Another shell" in banner, banner + proc.stderr.read()
        exports = parse_exports(banner)
        info = requests.get(exports["FLUXLITE_EMULATOR_URL"] + "_emulator/info", verify=exports["REQUESTS_CA_BUNDLE"],
                            headers={"X-IDENTITY-HEADER": exports["IDENTITY_HEADER"]}, timeout=30).json()
        assert info["operationSeconds"] == 0.5 and len(info["clusters"]) == 1
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            code = proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert code == 0
