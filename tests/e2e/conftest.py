"""End-to-end harness: the real az, the built wheel, and the embedded ARM emulator.

Fixtures (session scoped):

- `installed_az`: runs the real az (the `az` next to sys.executable) with a private
  AZURE_CONFIG_DIR in which the wheel at $FLUXLITE_WHEEL (built here when unset) was added with
  `az extension add --source <wheel> -y`.  `.run(*args, check=True, env=None, input=None)` returns
  a text-mode CompletedProcess; a failing command with check=True fails the test with its stdout
  and stderr.  Also `.env` (dict), `.config_dir`.
- `emulator`: `python -m azext_fluxlite.emulator start` on a free port with a temporary data dir,
  the example GitOps repo (a git repo: branch main, tag v1.0.0) mapped to the tutorial URL, the
  clusters flux-demo-rg/connectedClusters/flux-demo-arc and flux-demo-rg/managedClusters/flux-demo-aks,
  and 1-second operations.  `.base_url`, `.env` (the exports), `.data_dir`, `.repo`,
  `.subscription_id`, `.restart()`, `.requests(category="arm")`, `.clear_requests()`,
  `.inject_fault(match, method="PUT", code=None, message=None, status=None, count=1)`, `.get(path)`
  (raw HTTPS GET with a valid token), `.new_cluster(kind)` (a cluster of its own for one test: az
  arguments `-g RG -c NAME -t KIND`).
- `az`: `installed_az` pointed at `emulator` the documented way: the lines of
  `az fluxlite emulator env` (the emulator's own az profile, already logged in; the wheel's extension
  dir); same `.run` interface, `.env` holds those exports.
"""
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
import uuid

import pytest
import requests

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE_REPO = os.path.join(REPO_ROOT, "examples", "gitops-repo")
TUTORIAL_URL = "https://github.com/Azure/gitops-flux2-kustomize-helm-mt"
CLUSTERS = ["flux-demo-rg/connectedClusters/flux-demo-arc", "flux-demo-rg/managedClusters/flux-demo-aks"]
COMMAND_TIMEOUT = 300


def az_executable():
    path = os.path.join(os.path.dirname(sys.executable), "az")
    if not os.path.exists(path):
        pytest.fail("the real az is not installed next to {} (run `make venv`)".format(sys.executable))
    return path


def make_example_repo(dest):
    """Copy examples/gitops-repo to `dest` and make it a git repository (main, tag v1.0.0)."""
    shutil.copytree(EXAMPLE_REPO, dest)
    env = dict(os.environ, GIT_AUTHOR_NAME="fluxlite e2e", GIT_AUTHOR_EMAIL="e2e@fluxlite.invalid",
               GIT_COMMITTER_NAME="fluxlite e2e", GIT_COMMITTER_EMAIL="e2e@fluxlite.invalid",
               GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "example gitops repository"],
                 ["tag", "v1.0.0"]):
        subprocess.run(["git"] + args, cwd=str(dest), env=env, check=True, capture_output=True)
    return str(dest)


def parse_exports(text):
    """{NAME: value} of the `export NAME=value` lines the emulator prints."""
    env = {}
    for line in text.splitlines():
        if line.startswith("export "):
            name, _, value = line[len("export "):].partition("=")
            env[name] = shlex.split(value)[0] if value else ""
    return env


class AzRunner:
    def __init__(self, env, config_dir):
        self.env = env
        self.config_dir = config_dir
        self.az = az_executable()

    def run(self, *args, check=True, env=None, input=None):
        full_env = dict(self.env, **(env or {}))
        proc = subprocess.run([self.az] + [str(a) for a in args], env=full_env, input=input, capture_output=True,
                              text=True, timeout=COMMAND_TIMEOUT)
        if check and proc.returncode != 0:
            pytest.fail("az {} exited {}\n--- stdout ---\n{}\n--- stderr ---\n{}".format(
                " ".join(str(a) for a in args), proc.returncode, proc.stdout, proc.stderr), pytrace=False)
        return proc


def _wheel(tmp_path_factory):
    wheel = os.environ.get("FLUXLITE_WHEEL")
    if wheel:
        if not os.path.isfile(wheel):
            pytest.fail("FLUXLITE_WHEEL={} does not exist (run `make wheel`)".format(wheel))
        return wheel
    out = str(tmp_path_factory.mktemp("wheel"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", out,
                    REPO_ROOT], check=True, capture_output=True, cwd=out)
    wheels = [f for f in os.listdir(out) if f.endswith(".whl")]
    assert len(wheels) == 1, wheels
    return os.path.join(out, wheels[0])


def _base_env(config_dir):
    env = dict(os.environ)
    env.pop("AZURE_EXTENSION_DIR", None)
    env.update(AZURE_CONFIG_DIR=config_dir, AZURE_CORE_COLLECT_TELEMETRY="no", AZURE_CORE_NO_COLOR="true",
               AZURE_CORE_SURVEY_MESSAGE="no")
    return env


@pytest.fixture(scope="session")
def installed_az(tmp_path_factory):
    wheel = _wheel(tmp_path_factory)
    config_dir = str(tmp_path_factory.mktemp("azure-config"))
    runner = AzRunner(_base_env(config_dir), config_dir)
    runner.run("extension", "add", "--source", wheel, "-y")
    return runner


# Small pages, so that every list with more than two items really follows nextLink.
PAGE_SIZE = 2


class EmulatorProcess:
    """`python -m azext_fluxlite.emulator start` as a child process."""

    def __init__(self, data_dir, repo, operation_seconds=1):
        self.data_dir = data_dir
        self.repo = repo
        self.operation_seconds = operation_seconds
        self.port = 0
        self.proc = None
        self.start()

    def start(self):
        env = dict(os.environ, PYTHONPATH=REPO_ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
        args = [sys.executable, "-m", "azext_fluxlite.emulator", "start", "--port", str(self.port),
                "--data-dir", self.data_dir, "--operation-seconds", str(self.operation_seconds),
                "--page-size", str(PAGE_SIZE),
                "--source-map", "{}={}".format(TUTORIAL_URL, self.repo), "--cluster"] + CLUSTERS
        self.proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            self._await_banner()
        except BaseException:
            self.proc.kill()            # never leave an emulator behind when start-up fails
            self.proc.wait(10)
            raise

    def _await_banner(self):
        banner, deadline = [], time.time() + 60
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            banner.append(line)
            if line.startswith("# Another shell"):
                break
        if not banner or not banner[-1].startswith("# Another shell"):
            pytest.fail("the emulator did not start:\n{}{}".format("".join(banner), self.proc.stderr.read()))
        self.banner = "".join(banner)
        self.env = parse_exports(self.banner)
        self.base_url = self.env["FLUXLITE_EMULATOR_URL"]
        self.port = int(self.base_url.rsplit(":", 1)[1].strip("/"))
        self.bundle = self.env["REQUESTS_CA_BUNDLE"]
        self.secret = self.env["IDENTITY_HEADER"]
        self.subscription_id = self.control("GET", "info").json()["subscriptionId"]

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        if self.proc is not None:
            self.proc.stdout.close()
            self.proc.stderr.close()
        self.proc = None

    def restart(self):
        """Stop and start again on the same port and data dir (state, secret and certificates are kept)."""
        self.stop()
        self.start()

    def control(self, method, path, **kwargs):
        res = requests.request(method, self.base_url + "_emulator/" + path, verify=self.bundle, timeout=30,
                               headers={"X-IDENTITY-HEADER": self.secret}, **kwargs)
        res.raise_for_status()
        return res

    def token(self):
        res = requests.get(self.env["IDENTITY_ENDPOINT"], params={"api-version": "2019-08-01",
                                                                  "resource": self.base_url},
                           headers={"X-IDENTITY-HEADER": self.secret}, verify=self.bundle, timeout=30)
        return res.json()["access_token"]

    def put(self, path, body, api_version):
        return requests.put(self.base_url + path.lstrip("/"), params={"api-version": api_version}, json=body,
                            headers={"Authorization": "Bearer " + self.token()}, verify=self.bundle, timeout=30)

    def new_cluster(self, kind="managedClusters", group="e2e-rg"):
        """A fresh cluster for one test (no extension, no configuration): its az arguments."""
        name = "c-" + uuid.uuid4().hex[:10]
        rp = {"managedClusters": "Microsoft.ContainerService", "connectedClusters": "Microsoft.Kubernetes"}[kind]
        path = "subscriptions/{}/resourceGroups/{}/providers/{}/{}/{}".format(self.subscription_id, group, rp, kind,
                                                                               name)
        res = self.put(path, {"location": "eastus", "properties": {}}, "2024-01-01")
        assert res.status_code in (200, 201), res.text
        return ["-g", group, "-c", name, "-t", kind]

    def get(self, path, api_version, token=True):
        headers = {"Authorization": "Bearer " + self.token()} if token else {}
        return requests.get(self.base_url + path.lstrip("/"), params={"api-version": api_version}, headers=headers,
                            verify=self.bundle, timeout=30)

    def requests(self, category="arm"):
        params = {"category": category} if category else {}
        return self.control("GET", "requests", params=params).json()["value"]

    def clear_requests(self):
        self.control("DELETE", "requests")

    def inject_fault(self, match, method="PUT", code=None, message=None, status=None, count=1):
        body = {"match": match, "method": method, "code": code, "message": message, "status": status,
                "count": count}
        return self.control("POST", "faults", json=body).json()


@pytest.fixture(scope="session")
def emulator(tmp_path_factory):
    root = tmp_path_factory.mktemp("emulator")
    repo = make_example_repo(root / "gitops-repo")
    emu = EmulatorProcess(str(root / "data"), repo)
    yield emu
    emu.stop()


@pytest.fixture(scope="session")
def az(installed_az, emulator):
    """The shell of README: eval "$(az fluxlite emulator env --data-dir D)"; nothing else to log in."""
    exports = parse_exports(installed_az.run("fluxlite", "emulator", "env", "--data-dir", emulator.data_dir).stdout)
    runner = AzRunner(dict(installed_az.env, **exports), exports["AZURE_CONFIG_DIR"])
    runner.emulator = emulator
    return runner
