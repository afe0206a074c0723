"""The emulator's own az profile is logged in; `az fluxlite emulator login` logs in another config dir (never
~/.azure); the emulator refuses anyone else's token."""
import json

import requests

from .conftest import AzRunner


def test_the_emulators_own_profile_is_logged_in(az, emulator):
    assert az.config_dir == emulator.data_dir + "/azure"
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


def test_login_writes_another_config_dir_and_never_the_users_own(az, emulator, tmp_path):
    ci_dir = tmp_path / "ci-azure"
    res = az.run("fluxlite", "emulator", "login", "--data-dir", emulator.data_dir, "--config-dir", str(ci_dir))
    assert "is logged in to the fluxlite emulator at {}".format(emulator.base_url) in res.stdout
    ci = AzRunner(dict(az.env, AZURE_CONFIG_DIR=str(ci_dir)), str(ci_dir))
    assert ci.run("account", "show", "--query", "id", "-o", "tsv").stdout.strip() == emulator.subscription_id
    assert ci.run("provider", "show", "-n", "Microsoft.KubernetesConfiguration", "--query", "registrationState",
                  "-o", "tsv").stdout.strip() == "Registered"
    # ~/.azure (here a fresh HOME's) is refused, and stays untouched.
    home = tmp_path / "home"
    (home / ".azure").mkdir(parents=True)
    refused = az.run("fluxlite", "emulator", "login", "--data-dir", emulator.data_dir, "--config-dir",
                     str(home / ".azure"), env={"HOME": str(home)}, check=False)
    assert refused.returncode != 0 and "your own az profile" in refused.stderr and "Traceback" not in refused.stderr
    assert list((home / ".azure").iterdir()) == []
    # After `az logout` in the emulator's profile, login puts it back.
    scratch = tmp_path / "scratch"
    az.run("fluxlite", "emulator", "login", "--data-dir", emulator.data_dir, "--config-dir", str(scratch))
    runner = AzRunner(dict(az.env, AZURE_CONFIG_DIR=str(scratch)), str(scratch))
    runner.run("logout")
    assert runner.run("account", "show", check=False).returncode != 0
    az.run("fluxlite", "emulator", "login", "--data-dir", emulator.data_dir, "--config-dir", str(scratch))
    assert runner.run("account", "show", "--query", "id", "-o", "tsv").stdout.strip() == emulator.subscription_id
