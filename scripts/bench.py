#!/usr/bin/env python
"""`make bench`: ARM requests and wall time per tutorial command, real az against the emulator.

    FLUXLITE_WHEEL=<abs path of the wheel> .venv/bin/python scripts/bench.py [--operation-seconds 3]

Installs the wheel into a throwaway az configuration, starts the emulator with long-running
operations that take --operation-seconds (default 3) and no Retry-After (like the live service),
logs in as the demo does, runs the tutorial's commands one by one and prints, per command, the ARM
requests it made (from the emulator's request log: login, token and metadata traffic excluded),
how many of them were operation polls, and the wall time until az returned.
"""
import argparse
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import requests

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TUTORIAL_URL = "https://github.com/Azure/gitops-flux2-kustomize-helm-mt"
RG, CLUSTER = "flux-demo-rg", "flux-demo-arc"
TARGET = ["-g", RG, "-c", CLUSTER, "-t", "connectedClusters"]
CONFIG = TARGET + ["-n", "cluster-config"]

COMMANDS = [
    ("k8s-extension create", ["k8s-extension", "create"] + TARGET + [
        "--name", "flux", "--extension-type", "microsoft.flux", "--config", "source-controller.log-level=info",
        "helm-controller.enabled=true"]),
    ("k8s-configuration flux create", ["k8s-configuration", "flux", "create"] + CONFIG + [
        "--namespace", "cluster-config", "--scope", "cluster", "-u", TUTORIAL_URL, "--branch", "main",
        "--kustomization", "name=infra", "path=./infrastructure", "prune=true",
        "--kustomization", "name=apps", "path=./apps/staging", "prune=true", 'dependsOn=["infra"]']),
    ("k8s-configuration flux show", ["k8s-configuration", "flux", "show"] + CONFIG + ["--query", "complianceState"]),
    ("flux kustomization list", ["k8s-configuration", "flux", "kustomization", "list"] + CONFIG),
    ("flux deployed-object list", ["k8s-configuration", "flux", "deployed-object", "list"] + CONFIG),
    ("flux kustomization update", ["k8s-configuration", "flux", "kustomization", "update"] + CONFIG + [
        "-k", "apps", "--path", "./apps/production", "--prune", "true"]),
    ("k8s-extension update", ["k8s-extension", "update"] + TARGET + [
        "--name", "flux", "--config", "helm-controller.detectDrift=true", "--yes"]),
    ("k8s-configuration flux delete", ["k8s-configuration", "flux", "delete"] + CONFIG + ["--yes"]),
    ("k8s-extension delete", ["k8s-extension", "delete"] + TARGET + ["--name", "flux", "--yes"]),
]


def git_repo(dest):
    shutil.copytree(os.path.join(REPO_ROOT, "examples", "gitops-repo"), dest)
    env = dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="bench",
               GIT_AUTHOR_EMAIL="bench@fluxlite.invalid", GIT_COMMITTER_NAME="bench",
               GIT_COMMITTER_EMAIL="bench@fluxlite.invalid")
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "GitOps example"]):
        subprocess.run(["git"] + args, cwd=dest, env=env, check=True, capture_output=True)


def start_emulator(work, operation_seconds):
    env = dict(os.environ, PYTHONPATH=REPO_ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen(
        [sys.executable, "-m", "azext_fluxlite.emulator", "start", "--port", "0", "--data-dir",
         os.path.join(work, "emulator"), "--operation-seconds", str(operation_seconds),
         "--source-map", "{}={}".format(TUTORIAL_URL, os.path.join(work, "gitops-repo")),
         "--cluster", "{}/connectedClusters/{}".format(RG, CLUSTER)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    exports, deadline = {}, time.time() + 60
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        if line.startswith("export "):
            name, _, value = line[len("export "):].strip().partition("=")
            exports[name] = shlex.split(value)[0]
        if line.startswith("# Another shell"):
            return proc, exports
    proc.kill()
    raise SystemExit("bench: the emulator did not start: " + proc.stderr.read())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--operation-seconds", type=float, default=3.0)
    args = parser.parse_args()
    wheel = os.environ.get("FLUXLITE_WHEEL")
    if not wheel or not os.path.isfile(wheel):
        raise SystemExit("bench: set FLUXLITE_WHEEL to the built wheel (make bench does this)")
    az = os.path.join(os.path.dirname(sys.executable), "az")
    if not os.path.exists(az):
        raise SystemExit("bench: az not found next to {} (run make venv)".format(sys.executable))
    work = tempfile.mkdtemp(prefix="fluxlite-bench.")
    proc = None
    try:
        env = dict(os.environ, AZURE_CONFIG_DIR=os.path.join(work, "azure"), AZURE_CORE_COLLECT_TELEMETRY="no",
                   AZURE_CORE_NO_COLOR="true", AZURE_CORE_SURVEY_MESSAGE="no")
        env.pop("AZURE_EXTENSION_DIR", None)

        def run(cmd, check=True):
            res = subprocess.run([az] + cmd, env=env, capture_output=True, text=True, timeout=600)
            if check and res.returncode != 0:
                raise SystemExit("bench: az {} failed:\n{}{}".format(" ".join(cmd), res.stdout, res.stderr))
            return res

        run(["extension", "add", "--source", wheel, "-y"])
        git_repo(os.path.join(work, "gitops-repo"))
        proc, exports = start_emulator(work, args.operation_seconds)
        env.update(exports)
        base, bundle, secret = exports["FLUXLITE_EMULATOR_URL"], exports["REQUESTS_CA_BUNDLE"], exports["IDENTITY_HEADER"]

        def control(method, path, **kwargs):
            res = requests.request(method, base + "_emulator/" + path, headers={"X-IDENTITY-HEADER": secret},
                                   verify=bundle, timeout=30, **kwargs)
            res.raise_for_status()
            return res

        run(["cloud", "register", "-n", "FluxliteEmulator", "--endpoint-resource-manager", base])
        run(["cloud", "set", "-n", "FluxliteEmulator"])
        run(["login", "--identity", "-o", "none"])

        rows, failures, compliance = [], 0, "unknown"
        for label, cmd in COMMANDS:
            control("DELETE", "requests")
            started = time.monotonic()
            res = run(cmd + ["-o", "json"], check=False)
            elapsed = time.monotonic() - started
            calls = control("GET", "requests", params={"category": "arm"}).json()["value"]
            polls = sum(1 for c in calls if "/operations/" in c["path"].lower()
                        or "/operationresults/" in c["path"].lower())
            rows.append((label, len(calls), polls, elapsed, res.returncode))
            failures += res.returncode != 0
            if res.returncode != 0:
                sys.stderr.write("bench: az {} failed:\n{}\n".format(" ".join(cmd), res.stderr.strip()))
            if label == "k8s-configuration flux show" and res.returncode == 0:
                compliance = json.loads(res.stdout)

        print("fluxlite bench: tutorial commands against the emulator ({} s operations, no Retry-After)".format(
            args.operation_seconds))
        print()
        header = ("command", "ARM requests", "of which polls", "wall time (s)", "exit")
        table = [[label, str(count), str(polls), "{:.1f}".format(elapsed), str(code)]
                 for label, count, polls, elapsed, code in rows]
        table.append(["total", str(sum(r[1] for r in rows)), str(sum(r[2] for r in rows)),
                      "{:.1f}".format(sum(r[3] for r in rows)), ""])
        widths = [max(len(line[i]) for line in table + [list(header)]) for i in range(len(header))]
        print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
        print("  ".join("-" * w for w in widths))
        for line in table:
            print("  ".join([line[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(line[1:], widths[1:])]))
        print()
        print("complianceState after create: {}".format(compliance))
        return 1 if failures else 0
    finally:
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
