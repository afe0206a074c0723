#!/usr/bin/env python
"""`make bench`: ARM requests, polls and time per tutorial command, real az against the emulator.

    FLUXLITE_WHEEL=<abs path of the wheel> .venv/bin/python scripts/bench.py [--operation-seconds 3 20]

Installs the wheel into a throwaway az configuration and, for each operation length (default 3 s
and 20 s), starts the emulator with long-running operations that take that long and send no
Retry-After (like the live service), logs in as the demo does, runs the tutorial's commands one by
one and prints, per command: the ARM requests it made (from the emulator's request log: login,
token and metadata traffic excluded), how many were operation polls, the wall time until az
returned, and how late the poll that saw each operation's completion came after the operation
ended (for a command with several operations, the latest).  The floor for a write is the
operation's length plus one round trip and az's own start-up.
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
         "--source-map", "{}={}".format(TUTORIAL_URL, os.path.join(os.path.dirname(work), "gitops-repo")),
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


def lateness(calls, operation_seconds):
    """Seconds between each operation's end and the first poll after it, worst of the command (None: no poll)."""
    worst = None
    writes = [c for c in calls if c["method"] in ("PUT", "PATCH", "DELETE")]
    for write in writes:
        due = write["startedAt"] + operation_seconds
        resource = write["path"].lower()
        polls = sorted(c["startedAt"] for c in calls if c["method"] == "GET"
                       and c["path"].lower().startswith(resource + "/operation"))
        seen = [t for t in polls if t >= due]
        if seen:
            late = seen[0] - due
            worst = late if worst is None else max(worst, late)
    return worst


def run_tutorial(run, work, operation_seconds):
    """Start an emulator with `operation_seconds` operations, run the tutorial, return the rows."""
    os.makedirs(work, exist_ok=True)
    proc, exports = start_emulator(work, operation_seconds)
    try:
        # The bench's own az configuration (the wheel installed, logged in below), not the emulator's.
        env_exports = {k: v for k, v in exports.items() if k not in ("AZURE_CONFIG_DIR", "AZURE_EXTENSION_DIR")}
        base, bundle = exports["FLUXLITE_EMULATOR_URL"], exports["REQUESTS_CA_BUNDLE"]
        secret = exports["IDENTITY_HEADER"]

        def control(method, path, **kwargs):
            res = requests.request(method, base + "_emulator/" + path, headers={"X-IDENTITY-HEADER": secret},
                                   verify=bundle, timeout=30, **kwargs)
            res.raise_for_status()
            return res

        cloud = "FluxliteBench{}".format(int(operation_seconds * 10))
        run(["cloud", "register", "-n", cloud, "--endpoint-resource-manager", base], env_exports)
        run(["cloud", "set", "-n", cloud], env_exports)
        run(["login", "--identity", "-o", "none"], env_exports)
        rows = []
        for label, cmd in COMMANDS:
            control("DELETE", "requests")
            started = time.monotonic()
            res = run(cmd + ["-o", "json"], env_exports, check=False)
            elapsed = time.monotonic() - started
            calls = control("GET", "requests", params={"category": "arm"}).json()["value"]
            polls = sum(1 for c in calls if "/operations/" in c["path"].lower()
                        or "/operationresults/" in c["path"].lower())
            rows.append((label, len(calls), polls, elapsed, lateness(calls, operation_seconds), res.returncode))
            if res.returncode != 0:
                sys.stderr.write("bench: az {} failed:\n{}\n".format(" ".join(cmd), res.stderr.strip()))
        return rows
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()


def print_table(rows, operation_seconds):
    print("fluxlite bench: tutorial commands against the emulator ({:g} s operations, no Retry-After)".format(
        operation_seconds))
    print()
    header = ("command", "ARM requests", "polls", "time to result (s)", "completion seen late (s)", "exit")
    table = [[label, str(count), str(polls), "{:.1f}".format(elapsed), "-" if late is None else "{:.2f}".format(late),
              str(code)] for label, count, polls, elapsed, late, code in rows]
    table.append(["total", str(sum(r[1] for r in rows)), str(sum(r[2] for r in rows)),
                  "{:.1f}".format(sum(r[3] for r in rows)), "", ""])
    widths = [max(len(line[i]) for line in table + [list(header)]) for i in range(len(header))]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    print("  ".join("-" * w for w in widths))
    for line in table:
        print("  ".join([line[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(line[1:], widths[1:])]))
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--operation-seconds", type=float, nargs="+", default=[3.0, 20.0],
                        help="operation lengths to measure, one emulator run each (default: 3 20)")
    args = parser.parse_args()
    wheel = os.environ.get("FLUXLITE_WHEEL")
    if not wheel or not os.path.isfile(wheel):
        raise SystemExit("bench: set FLUXLITE_WHEEL to the built wheel (make bench does this)")
    az = os.path.join(os.path.dirname(sys.executable), "az")
    if not os.path.exists(az):
        raise SystemExit("bench: az not found next to {} (run make venv)".format(sys.executable))
    work = tempfile.mkdtemp(prefix="fluxlite-bench.")
    try:
        env = dict(os.environ, AZURE_CONFIG_DIR=os.path.join(work, "azure"), AZURE_CORE_COLLECT_TELEMETRY="no",
                   AZURE_CORE_NO_COLOR="true", AZURE_CORE_SURVEY_MESSAGE="no")
        env.pop("AZURE_EXTENSION_DIR", None)

        def run(cmd, extra_env=None, check=True):
            res = subprocess.run([az] + cmd, env=dict(env, **(extra_env or {})), capture_output=True, text=True,
                                 timeout=600)
            if check and res.returncode != 0:
                raise SystemExit("bench: az {} failed:\n{}{}".format(" ".join(cmd), res.stdout, res.stderr))
            return res

        run(["extension", "add", "--source", wheel, "-y"])
        git_repo(os.path.join(work, "gitops-repo"))
        failures = 0
        for seconds in args.operation_seconds:
            rows = run_tutorial(run, os.path.join(work, "run-{:g}".format(seconds)), seconds)
            print_table(rows, seconds)
            failures += sum(1 for row in rows if row[-1] != 0)
        return 1 if failures else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
