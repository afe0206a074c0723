"""A new user next to a real Azure login (issue 9): README's flow in a real bash, with a ~/.azure that holds
an Azure account.  The emulator never changes ~/.azure; a stopped emulator is one line for fluxlite's
commands; `env --unset` puts the shell back; start refuses a taken port or data dir; stop checks the PID."""
import json
import os
import shlex
import signal
import socket
import subprocess
import time

import pytest

from .conftest import AzRunner

AZURE_ACCOUNT = {"installationId": "00000000-0000-0000-0000-000000000001", "subscriptions": [{
    "id": "11111111-2222-3333-4444-555555555555", "name": "Real subscription", "state": "Enabled",
    "user": {"name": "someone@example.com", "type": "user"}, "isDefault": True,
    "tenantId": "66666666-7777-8888-9999-000000000000", "environmentName": "AzureCloud",
    "homeTenantId": "66666666-7777-8888-9999-000000000000", "managedByTenants": []}]}


@pytest.fixture
def user(installed_az, tmp_path):
    """A shell environment like a new user's: HOME with an Azure login, fluxlite installed, no AZURE_CONFIG_DIR."""
    home = tmp_path / "home"
    (home / ".azure").mkdir(parents=True)
    with open(str(home / ".azure" / "azureProfile.json"), "w", encoding="utf-8") as f:
        json.dump(AZURE_ACCOUNT, f)
    with open(str(home / ".azure" / "config"), "w", encoding="utf-8") as f:
        f.write("[cloud]\nname = AzureCloud\n\n[core]\ncollect_telemetry = no\n")
    env = dict(installed_az.env, HOME=str(home),
               AZURE_EXTENSION_DIR=os.path.join(installed_az.config_dir, "cliextensions"))
    for name in ("AZURE_CONFIG_DIR", "REQUESTS_CA_BUNDLE", "IDENTITY_ENDPOINT", "IDENTITY_HEADER",
                 "FLUXLITE_EMULATOR_URL", "FLUXLITE_EMULATOR_DATA_DIR"):
        env.pop(name, None)
    return AzRunner(env, str(home / ".azure"))


def _profile_files(home):
    out = {}
    for name in ("azureProfile.json", "clouds.config", "config"):
        path = os.path.join(home, ".azure", name)
        if os.path.exists(path):
            with open(path, encoding="utf-8-sig") as f:
                out[name] = f.read()
    return out


def _start(user, data_dir, *extra):
    proc = subprocess.Popen([user.az, "fluxlite", "emulator", "start", "--data-dir", str(data_dir),
                             "--operation-seconds", "0", "--cluster", "rg/managedClusters/aks"] + list(extra),
                            env=user.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines, deadline = [], time.time() + 120
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith("# Another shell"):
            return proc, "".join(lines)
    proc.kill()
    raise AssertionError("the emulator did not start: {}{}".format("".join(lines), proc.stderr.read()))


def _bash(user, script):
    return subprocess.run(["bash", "-c", "set -u\n" + script], env=dict(user.env, AZ=user.az), capture_output=True,
                          text=True, timeout=300)


def test_readme_flow_never_touches_the_users_az_profile(user, tmp_path):
    home = user.env["HOME"]
    before = _profile_files(home)
    data = tmp_path / "emu"
    proc, banner = _start(user, data)
    try:
        d = shlex.quote(str(data))
        res = _bash(user, '''
eval "$("$AZ" fluxlite emulator env --data-dir {d})"
"$AZ" k8s-configuration flux list -g rg -c aks -t managedClusters -o json
"$AZ" account show --query environmentName -o tsv
"$AZ" fluxlite emulator stop
echo "--- after stop"
"$AZ" k8s-configuration flux list -g rg -c aks -t managedClusters; echo "flux rc=$?"
"$AZ" account show --query environmentName -o tsv
eval "$("$AZ" fluxlite emulator env --unset)"
echo "--- after unset"
echo "config=${{AZURE_CONFIG_DIR:-unset}} ca=${{REQUESTS_CA_BUNDLE:-unset}} url=${{FLUXLITE_EMULATOR_URL:-unset}}"
"$AZ" account show --query "[name, environmentName]" -o tsv
'''.format(d=d))
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    out, err = res.stdout, res.stderr
    before_stop, after_stop = out.split("--- after stop")
    after_stop, after_unset = after_stop.split("--- after unset")
    assert json.loads(before_stop.split("Stopped")[0].rsplit("FluxliteEmulator", 1)[0] or "[]") == []
    assert "FluxliteEmulator" in before_stop
    assert "Stopped the fluxlite emulator (pid {})".format(proc.pid) in before_stop
    # Stopped, still pointed at: fluxlite says so in one line, exit non-zero, no traceback.
    assert "flux rc=0" not in after_stop
    errors = [line for line in err.splitlines() if line.startswith("ERROR:")]
    assert errors == ["ERROR: The fluxlite emulator at {} is not running, and this shell points at it. Start it "
                      "again: az fluxlite emulator start --data-dir {}; or go back to Azure: eval \"$(az fluxlite "
                      "emulator env --unset)\"".format(banner.split("listening on ")[1].split(" ")[0], data)]
    assert "Traceback" not in err
    # `account show` reads the profile only: it still shows the emulator until the shell leaves it.
    assert "FluxliteEmulator" in after_stop
    assert "config=unset ca=unset url=unset" in after_unset
    assert "Real subscription\nAzureCloud" in after_unset
    assert _profile_files(home) == before


def test_start_refuses_a_taken_port_or_data_dir_and_creates_nothing(user, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        res = user.run("fluxlite", "emulator", "start", "--port", str(port), "--data-dir", str(tmp_path / "new"),
                       check=False)
    assert res.returncode != 0 and "Traceback" not in res.stderr
    errors = [line for line in res.stderr.splitlines() if line.startswith("ERROR:")]
    assert len(errors) == 1 and "port {}".format(port) in errors[0] and "in use" in errors[0], res.stderr
    assert not (tmp_path / "new").exists()
    proc, _ = _start(user, tmp_path / "held")
    try:
        res = user.run("fluxlite", "emulator", "start", "--port", "0", "--data-dir", str(tmp_path / "held"),
                       check=False)
        assert res.returncode != 0 and "Traceback" not in res.stderr
        errors = [line for line in res.stderr.splitlines() if line.startswith("ERROR:")]
        assert len(errors) == 1 and "another fluxlite emulator (pid {}) is running".format(proc.pid) in errors[0]
        assert proc.poll() is None          # the running one is unharmed
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(30)


def test_stop_leaves_a_reused_pid_alone(user, tmp_path):
    proc, _ = _start(user, tmp_path / "emu")
    proc.kill()                                     # kill -9: emulator.json still says running
    proc.wait(10)
    bystander = subprocess.Popen(["sleep", "60"])
    try:
        path = tmp_path / "emu" / "emulator.json"
        state = json.loads(path.read_text())
        assert state["running"] is True
        state["pid"] = bystander.pid                # the PID now belongs to another program
        path.write_text(json.dumps(state))
        res = user.run("fluxlite", "emulator", "stop", "--data-dir", str(tmp_path / "emu"), check=False)
        assert res.returncode != 0 and "Traceback" not in res.stderr
        assert "pid {}".format(bystander.pid) in res.stderr and "nothing was stopped" in res.stderr
        assert bystander.poll() is None
        nothing = user.run("fluxlite", "emulator", "stop", "--data-dir", str(tmp_path / "none"), check=False)
        assert nothing.returncode != 0 and "no fluxlite emulator is running" in nothing.stderr
    finally:
        bystander.kill()
        bystander.wait(10)
