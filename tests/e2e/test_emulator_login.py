"""The real az logs in to the emulator the documented way, and the emulator refuses anyone else."""
import json
import os
import subprocess
import sys

import requests

from .conftest import REPO_ROOT, AzRunner, _base_env


def test_cloud_register_login_identity_and_account_show(az, emulator):
    account = json.loads(az.run("account", "show", "-o", "json").stdout)
    assert account["id"] == emulator.subscription_id
    assert account["environmentName"] == "FluxliteEmulator"
    assert account["user"] == {"assignedIdentityInfo": "MSI", "name": "systemAssignedIdentity",
                               "type": "servicePrincipal"}
    cloud = json.loads(az.run("cloud", "show", "-o", "json").stdout)
    assert cloud["endpoints"]["resourceManager"] == emulator.base_url
    assert cloud["isActive"] is True


def test_az_calls_arm_with_a_token_the_emulator_accepts(az, emulator):
    emulator.clear_requests()
    provider = az.run("provider", "show", "-n", "Microsoft.KubernetesConfiguration", "--query",
                      "registrationState", "-o", "tsv")
    assert provider.stdout.strip() == "Registered"
    calls = [(e["method"], e["status"]) for e in emulator.requests()]
    assert ("GET", 200) in calls


def test_requests_without_a_valid_token_get_401(emulator):
    path = "subscriptions/{}/resourceGroups/flux-demo-rg/providers/Microsoft.Kubernetes/connectedClusters/" \
           "flux-demo-arc/providers/Microsoft.KubernetesConfiguration/fluxConfigurations".format(emulator.subscription_id)
    anonymous = emulator.get(path, "2025-04-01", token=False)
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "AuthenticationFailed"
    assert "Retry-After" not in anonymous.headers
    forged = requests.get(emulator.base_url + path, params={"api-version": "2025-04-01"},
                          headers={"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.eyJ0aWQiOiJ4In0.c2ln"},
                          verify=emulator.bundle, timeout=30)
    assert forged.status_code == 401
    assert emulator.get(path, "2025-04-01").status_code == 200


def test_the_login_helper_logs_in_a_fresh_config_dir(emulator, tmp_path):
    config_dir = str(tmp_path / "azure")
    env = dict(_base_env(config_dir), **emulator.env)
    env["PYTHONPATH"] = REPO_ROOT
    res = subprocess.run([sys.executable, "-m", "azext_fluxlite.emulator", "login", "--data-dir", emulator.data_dir],
                         env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "+ az cloud register -n FluxliteEmulator" in res.stdout and "+ az login --identity" in res.stdout
    runner = AzRunner(env, config_dir)
    assert runner.run("account", "show", "--query", "id", "-o", "tsv").stdout.strip() == emulator.subscription_id
    # Running it again (cloud already registered) is fine.
    again = subprocess.run([sys.executable, "-m", "azext_fluxlite.emulator", "login", "--data-dir",
                            emulator.data_dir], env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert os.path.isdir(config_dir)
