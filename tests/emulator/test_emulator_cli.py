"""`python -m azext_fluxlite.emulator start | env | stop` as processes."""
import json
import os
import shlex
import signal
import subprocess
import sys
import time

import pytest
import requests

from .emulator_harness import REPO_ROOT

ENV = dict(os.environ, PYTHONPATH=REPO_ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))


def _module(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "azext_fluxlite.emulator"] + list(args), env=ENV,
                          capture_output=True, text=True, timeout=60, **kwargs)


def _start(data_dir, *extra):
    proc = subprocess.Popen([sys.executable, "-m", "azext_fluxlite.emulator", "start", "--port", "0",
                             "--data-dir", str(data_dir)] + list(extra),
                            env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    deadline = time.time() + 30
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith("# Another shell"):
            return proc, "".join(lines)
    proc.kill()
    raise AssertionError("emulator did not start: {}{}".format("".join(lines), proc.stderr.read()))


@pytest.fixture
def running(tmp_path):
    proc, banner = _start(tmp_path / "data", "--cluster", "rg/connectedClusters/c1", "rg/managedClusters/c2")
    yield proc, banner, tmp_path / "data"
    if proc.poll() is None:
        proc.kill()
        proc.wait(10)


def test_start_prints_exports_of_its_own_az_profile(running):
    proc, banner, data_dir = running
    exports = dict(line[len("export "):].split("=", 1) for line in banner.splitlines() if line.startswith("export "))
    assert {"AZURE_CONFIG_DIR", "AZURE_EXTENSION_DIR", "REQUESTS_CA_BUNDLE", "IDENTITY_ENDPOINT", "IDENTITY_HEADER",
            "FLUXLITE_EMULATOR_URL", "FLUXLITE_EMULATOR_DATA_DIR"} <= set(exports)
    assert exports["AZURE_CONFIG_DIR"] == str(data_dir / "azure")
    url = exports["FLUXLITE_EMULATOR_URL"]
    assert url.startswith("https://127.0.0.1:") and url.endswith("/")
    assert 'eval "$(az fluxlite emulator env --unset)"' in banner and "python -m" not in banner
    # The emulator's az profile is registered and logged in, and private.
    with open(str(data_dir / "azure" / "clouds.config"), encoding="utf-8") as f:
        assert "endpoint_resource_manager = " + url in f.read()
    with open(str(data_dir / "azure" / "azureProfile.json"), encoding="utf-8-sig") as f:
        account = json.load(f)["subscriptions"][0]
    assert account["environmentName"] == "FluxliteEmulator" and account["user"]["assignedIdentityInfo"] == "MSI"
    assert os.stat(str(data_dir / "azure")).st_mode & 0o777 == 0o700
    health = requests.get(url + "_emulator/health", verify=exports["REQUESTS_CA_BUNDLE"], timeout=10)
    assert health.status_code == 200
    info = requests.get(url + "_emulator/info", verify=exports["REQUESTS_CA_BUNDLE"],
                        headers={"X-IDENTITY-HEADER": exports["IDENTITY_HEADER"]}, timeout=10).json()
    assert len(info["clusters"]) == 2


def test_env_prints_only_export_lines(running):
    proc, banner, data_dir = running
    res = _module("env", "--data-dir", str(data_dir))
    assert res.returncode == 0
    lines = res.stdout.splitlines()
    assert lines and all(line.startswith("export ") for line in lines)
    assert "\n".join(lines) in banner
    # The printed lines are valid shell.
    shell = subprocess.run(["bash", "-c", res.stdout + 'echo "$FLUXLITE_EMULATOR_URL"'], capture_output=True,
                           text=True)
    assert shell.stdout.strip().startswith("https://127.0.0.1:")


def test_sigterm_stops_cleanly_and_a_second_start_is_refused(running):
    proc, banner, data_dir = running
    second = _module("start", "--port", "0", "--data-dir", str(data_dir))
    assert second.returncode != 0 and "another fluxlite emulator (pid {}) is running".format(proc.pid) in second.stderr
    assert len(second.stderr.strip().splitlines()) == 1 and "Traceback" not in second.stderr
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(15) == 0
    with open(os.path.join(str(data_dir), "emulator.json"), encoding="utf-8") as f:
        assert json.load(f)["running"] is False
    res = _module("env", "--data-dir", str(data_dir))
    assert res.returncode != 0 and "no fluxlite emulator is running" in res.stderr


def test_stop_command_and_port_reuse(tmp_path):
    proc, banner = _start(tmp_path / "data")
    port = banner.split("https://127.0.0.1:")[1].split("/")[0]
    stopped = _module("stop", "--data-dir", str(tmp_path / "data"))
    assert stopped.returncode == 0
    assert stopped.stdout == "Stopped the fluxlite emulator (pid {}) listening on https://127.0.0.1:{}/ (data dir {}).\n" \
        .format(proc.pid, port, tmp_path / "data")
    assert proc.wait(15) == 0
    again = subprocess.Popen([sys.executable, "-m", "azext_fluxlite.emulator", "start", "--data-dir",
                              str(tmp_path / "data")], env=ENV, stdout=subprocess.PIPE, text=True)
    try:
        first_line = again.stdout.readline()
        assert "https://127.0.0.1:{}/".format(port) in first_line       # a registered az cloud stays valid
    finally:
        again.send_signal(signal.SIGINT)
        assert again.wait(15) == 0


def test_only_loopback_and_valid_options(tmp_path):
    res = _module("start", "--host", "0.0.0.0", "--data-dir", str(tmp_path / "d"))
    assert res.returncode != 0 and "loopback" in res.stderr
    res = _module("start", "--cluster", "rg/unknownClusters/x", "--data-dir", str(tmp_path / "d"))
    assert res.returncode != 0 and "unknown cluster type" in res.stderr
    res = _module("start", "--retry-after", "0", "--data-dir", str(tmp_path / "d"))
    assert res.returncode != 0 and "at least 1" in res.stderr


def test_env_saves_what_the_shell_had_and_unset_restores_it(tmp_path):
    from azext_fluxlite.emulator.config import env_exports, unset_lines
    state = {"data_dir": str(tmp_path / "emu"), "ca_bundle": str(tmp_path / "emu" / "ca-bundle.pem"),
             "identity_endpoint": "https://127.0.0.1:9/msi/token", "identity_header": "h",
             "base_url": "https://127.0.0.1:9/"}
    before = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "REQUESTS_CA_BUNDLE": "/corp/ca bundle.pem",
              "AZURE_CONFIG_DIR": str(tmp_path / "my az")}
    script = "".join("export {}='{}'\n".format(k, v) for k, v in before.items())
    exports = env_exports(state, before)
    assert exports["AZURE_CONFIG_DIR"] == str(tmp_path / "emu" / "azure")
    assert exports["AZURE_EXTENSION_DIR"] == str(tmp_path / "my az" / "cliextensions")   # the user's extensions
    script += "".join("export {}={}\n".format(k, shlex.quote(v)) for k, v in exports.items())
    during = dict(before, **exports)
    script += unset_lines(during)
    script += 'echo "${REQUESTS_CA_BUNDLE}|${AZURE_CONFIG_DIR}|${AZURE_EXTENSION_DIR-unset}|' \
              '${IDENTITY_HEADER-unset}|${FLUXLITE_EMULATOR_URL-unset}|${FLUXLITE_EMULATOR_SAVED_AZURE_CONFIG_DIR-unset}"'
    out = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env={"PATH": os.environ["PATH"]})
    assert out.stdout.strip() == "/corp/ca bundle.pem|{}|unset|unset|unset|unset".format(tmp_path / "my az")
    # A second `env` while pointed at an emulator keeps the first saved values instead of saving the emulator's.
    assert not [k for k in env_exports(state, during) if k.startswith("FLUXLITE_EMULATOR_SAVED_")]
