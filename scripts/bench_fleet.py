#!/usr/bin/env python
"""`make bench` (fleets): `az k8s-configuration fleet` against the emulator with slow operations.

    FLUXLITE_WHEEL=<abs path of the wheel> .venv/bin/python scripts/bench_fleet.py [--operation-seconds 3]

Creates 200 clusters (4 resource groups of 50, Arc and AKS, tagged), then measures with the real az
and the wheel: `fleet apply` of the tutorial configuration to the 50 clusters of one group with
--max-parallel 50 (microsoft.flux is installed on each first: two operations per cluster), the same
apply again (nothing changed: no writes), and `fleet status` of all 200 clusters.  Requests are
counted from the emulator's request log (ARM traffic only; the token endpoint is not ARM).
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import TUTORIAL_URL, git_repo, start_emulator  # noqa: E402  pylint: disable=wrong-import-position

GROUPS, PER_GROUP = 4, 50
APPLY = ["-n", "cluster-config", "--namespace", "cluster-config", "--scope", "cluster", "-u", TUTORIAL_URL,
         "--branch", "main", "-k", "name=infra", "path=./infrastructure", "prune=true",
         "-k", "name=apps", "path=./apps/staging", "prune=true", "dependsOn=infra"]
ORIGINAL_POLL_SECONDS = 30      # the SDK's fixed poll interval without Retry-After: the originals' loop


class Emulator:
    def __init__(self, exports):
        self.base, self.bundle = exports["FLUXLITE_EMULATOR_URL"], exports["REQUESTS_CA_BUNDLE"]
        self.secret = exports["IDENTITY_HEADER"]
        token = requests.get(exports["IDENTITY_ENDPOINT"], params={"api-version": "2019-08-01", "resource": self.base},
                             headers={"X-IDENTITY-HEADER": self.secret}, verify=self.bundle, timeout=30)
        self.token = token.json()["access_token"]
        self.subscription = self.control("GET", "info").json()["subscriptionId"]

    def control(self, method, path, **kwargs):
        res = requests.request(method, self.base + "_emulator/" + path, headers={"X-IDENTITY-HEADER": self.secret},
                               verify=self.bundle, timeout=60, **kwargs)
        res.raise_for_status()
        return res

    def create_clusters(self):
        session = requests.Session()
        session.headers["Authorization"] = "Bearer " + self.token
        for g in range(GROUPS):
            for i in range(PER_GROUP):
                rp, ctype = (("Microsoft.Kubernetes", "connectedClusters") if i % 2 == 0 else
                             ("Microsoft.ContainerService", "managedClusters"))
                path = "subscriptions/{}/resourceGroups/bench-rg-{}/providers/{}/{}/c{:03d}".format(
                    self.subscription, g, rp, ctype, i)
                res = session.put(self.base + path, params={"api-version": "2024-01-01"}, verify=self.bundle,
                                  json={"location": "eastus", "tags": {"bench": "yes", "ring": str(i % 3)}}, timeout=30)
                res.raise_for_status()

    def requests(self):
        return self.control("GET", "requests", params={"category": "arm"}).json()["value"]


def _count(calls):
    writes = sum(1 for c in calls if c["method"] in ("PUT", "PATCH", "DELETE"))
    polls = sum(1 for c in calls if "/operations/" in c["path"].lower())
    lists = sum(1 for c in calls if c["path"].lower().endswith(("/connectedclusters", "/managedclusters")))
    graph = sum(1 for c in calls if "resourcegraph" in c["path"].lower())
    return {"requests": len(calls), "writes": writes, "polls": polls, "selection": lists, "graph": graph,
            "429": sum(1 for c in calls if c["status"] == 429)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--operation-seconds", type=float, default=3.0)
    args = parser.parse_args()
    wheel = os.environ.get("FLUXLITE_WHEEL")
    if not wheel or not os.path.isfile(wheel):
        raise SystemExit("bench_fleet: set FLUXLITE_WHEEL to the built wheel (make bench does this)")
    az = os.path.join(os.path.dirname(sys.executable), "az")
    work = tempfile.mkdtemp(prefix="fluxlite-bench-fleet.")
    proc = None
    try:
        env = dict(os.environ, AZURE_CONFIG_DIR=os.path.join(work, "azure"), AZURE_CORE_COLLECT_TELEMETRY="no",
                   AZURE_CORE_NO_COLOR="true", AZURE_CORE_SURVEY_MESSAGE="no")
        env.pop("AZURE_EXTENSION_DIR", None)

        def run(cmd, check=True):
            res = subprocess.run([az] + cmd, env=env, capture_output=True, text=True, timeout=900)
            if check and res.returncode != 0:
                raise SystemExit("bench_fleet: az {} failed:\n{}{}".format(" ".join(cmd), res.stdout, res.stderr))
            return res

        run(["extension", "add", "--source", wheel, "-y"])
        git_repo(os.path.join(work, "gitops-repo"))
        # bench.start_emulator(run) maps the tutorial URL to run/../gitops-repo (older: run/gitops-repo).
        run_dir = os.path.join(work, "run")
        os.makedirs(run_dir)
        os.symlink(os.path.join(work, "gitops-repo"), os.path.join(run_dir, "gitops-repo"))
        proc, exports = start_emulator(run_dir, args.operation_seconds)
        # Only what points a client at the emulator: this run keeps its own az profile, with the wheel in it.
        env.update({k: exports[k] for k in ("REQUESTS_CA_BUNDLE", "IDENTITY_ENDPOINT", "IDENTITY_HEADER")})
        emu = Emulator(exports)
        emu.create_clusters()
        if run(["cloud", "show", "-n", "FluxliteEmulator"], check=False).returncode != 0:
            run(["cloud", "register", "-n", "FluxliteEmulator", "--endpoint-resource-manager", emu.base])
        run(["cloud", "set", "-n", "FluxliteEmulator"])
        run(["login", "--identity", "-o", "none"])

        rows = []

        def measure(label, cmd, clusters):
            emu.control("DELETE", "requests")
            started = time.monotonic()
            res = run(cmd + ["-o", "json"])
            elapsed = time.monotonic() - started
            counts = _count(emu.requests())
            actions = {}
            for item in json.loads(res.stdout):
                key = item["action"] if "action" in item else item["complianceState"] if "complianceState" in item \
                    else item.get("clusterType")
                actions[key] = actions.get(key, 0) + 1
            rows.append((label, clusters, elapsed, counts, actions))

        fleet = ["k8s-configuration", "fleet"]
        measure("fleet list-clusters (az start-up, selection)", fleet + ["list-clusters", "-g", "bench-rg-0"],
                PER_GROUP)
        measure("fleet apply, 50 clusters, --max-parallel 50", fleet + ["apply", "-g", "bench-rg-0", "--max-parallel",
                                                                         "50"] + APPLY, PER_GROUP)
        measure("fleet apply again (nothing changed)", fleet + ["apply", "-g", "bench-rg-0", "--max-parallel", "50"]
                + APPLY, PER_GROUP)
        measure("fleet status, 200 clusters", fleet + ["status", "--tags", "bench=yes", "-n", "cluster-config"],
                GROUPS * PER_GROUP)

        print("fluxlite bench: fleets against the emulator ({:g} s operations, no Retry-After)".format(
            args.operation_seconds))
        print()
        header = ["command", "clusters", "wall (s)", "operations", "ARM requests", "selection", "per cluster",
                  "writes", "polls", "graph", "results"]
        table = []
        for label, clusters, elapsed, c, actions in rows:
            per = (c["requests"] - c["selection"] - c["graph"]) / float(clusters)
            table.append([label, str(clusters), "{:.1f}".format(elapsed),
                          "{:.1f}".format(elapsed / args.operation_seconds) if args.operation_seconds else "-",
                          str(c["requests"]), str(c["selection"]), "{:.2f}".format(per), str(c["writes"]),
                          str(c["polls"]), str(c["graph"]), " ".join("{}={}".format(k, v) for k, v in
                                                                     sorted(actions.items(), key=str))])
        widths = [max(len(line[i]) for line in table + [header]) for i in range(len(header))]
        print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
        print("  ".join("-" * w for w in widths))
        for line in table:
            print("  ".join([line[0].ljust(widths[0])] + [v.rjust(w) for v, w in zip(line[1:], widths[1:])]))
        print()
        print("load average while measuring: {}".format(" ".join("{:.1f}".format(x) for x in os.getloadavg())))
        print("operations = wall time / operation time (az's own start-up included).  The originals in a shell loop:")
        print("one `flux create` at a time, each waiting at least one {} s poll per operation (two with the".format(
            ORIGINAL_POLL_SECONDS))
        print("extension install): about {} x {} s = {:.0f} min for the 50 clusters (estimated, not run).".format(
            PER_GROUP, ORIGINAL_POLL_SECONDS + 1, PER_GROUP * (ORIGINAL_POLL_SECONDS + 1) / 60.0))
        return 0
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
