"""Helpers for the emulator tests. Run the emulator in-process on a free loopback port and talk to it as an HTTPS client would:
`requests` with the emulator's CA bundle and a token from its managed-identity endpoint."""
import os
import shutil
import subprocess

import requests

from azext_fluxlite.emulator.cli import build_settings
from azext_fluxlite.emulator.server import Emulator, serve
from azext_fluxlite.emulator import tls

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE_REPO = os.path.join(REPO_ROOT, "examples", "gitops-repo")
TUTORIAL_URL = "https://github.com/Azure/gitops-flux2-kustomize-helm-mt"
SUB = "5b3f1a62-8c7e-4d1b-9a55-2f6c0e7d4a19"
ARC = "/subscriptions/{}/resourceGroups/flux-demo-rg/providers/Microsoft.Kubernetes/connectedClusters/flux-demo-arc".format(SUB)
AKS = "/subscriptions/{}/resourceGroups/flux-demo-rg/providers/Microsoft.ContainerService/managedClusters/flux-demo-aks".format(SUB)
KC = "/providers/Microsoft.KubernetesConfiguration"
FLUX_API = "2025-04-01"
EXT_API = "2025-03-01"
GIT_ENV = {"GIT_AUTHOR_NAME": "fluxlite tests", "GIT_AUTHOR_EMAIL": "tests@fluxlite.invalid",
           "GIT_COMMITTER_NAME": "fluxlite tests", "GIT_COMMITTER_EMAIL": "tests@fluxlite.invalid",
           "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent"}


def git(cwd, *args):
    env = dict(os.environ, **GIT_ENV)
    env["GIT_CONFIG_GLOBAL"] = os.devnull
    proc = subprocess.run(["git"] + list(args), cwd=cwd, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def make_repo(path, source=EXAMPLE_REPO):
    """A git repository (branch main, tag v1.0.0) with a copy of `source`; returns its path."""
    shutil.copytree(source, path)
    git(path, "init", "-q", "-b", "main")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "example gitops repository")
    git(path, "tag", "v1.0.0")
    return str(path)


def commit_file(repo, relpath, text, message="change"):
    full = os.path.join(repo, relpath)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="utf-8") as f:
        f.write(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


class Emu:
    """An in-process emulator with an authenticated requests session.

    Operations last 30 s of the emulator's clock unless a test says otherwise: nothing finishes while a
    test looks at a running operation, and `wait()` / `advance()` move the clock instead of sleeping."""

    def __init__(self, data_dir, **options):
        self.data_dir = str(data_dir)
        options.setdefault("operation_seconds", 30)
        options.setdefault("cluster", ["flux-demo-rg/connectedClusters/flux-demo-arc",
                                       "flux-demo-rg/managedClusters/flux-demo-aks"])
        self.options = options
        self.port = 0
        self.server = None
        self.start()

    def start(self):
        settings = build_settings(port=self.port, data_dir=self.data_dir, **self.options)
        self.bundle = tls.ensure_certificates(settings.data_dir)
        self.app = Emulator(settings)
        self.server, self.thread = serve(self.app, self.port)
        self.port = self.server.server_address[1]
        self.base = self.app.base_url.rstrip("/")
        self.secret = self.app.secret
        self.signing_key = self.app.signing_key
        # verify= on every call: an exported REQUESTS_CA_BUNDLE would override Session.verify.
        self.session = requests.Session()
        token = self.session.get(self.base + "/msi/token", params={"api-version": "2019-08-01",
                                                                   "resource": self.base + "/"},
                                 headers={"X-IDENTITY-HEADER": self.secret}, verify=self.bundle).json()["access_token"]
        self.session.headers["Authorization"] = "Bearer " + token

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(5)
            self.server = None

    def restart(self, **changes):
        self.stop()
        self.options.update(changes)
        self.start()

    def url(self, path):
        return path if path.startswith("https://") else self.base + path

    def call(self, method, path, body=None, api=FLUX_API, params=None, **kwargs):
        query = {} if path.startswith("https://") or api is None else {"api-version": api}
        query.update(params or {})
        return self.session.request(method, self.url(path), json=body, params=query, timeout=30, verify=self.bundle,
                                    **kwargs)

    def get(self, path, **kw):
        return self.call("GET", path, **kw)

    def put(self, path, body, **kw):
        return self.call("PUT", path, body, **kw)

    def patch(self, path, body, **kw):
        return self.call("PATCH", path, body, **kw)

    def delete(self, path, **kw):
        return self.call("DELETE", path, **kw)

    def advance(self, seconds=None):
        """Move the emulator's clock forward (default: one operation's length)."""
        step = self.options["operation_seconds"] if seconds is None else seconds
        res = self.control("POST", "clock", json={"advanceSeconds": step})
        assert res.status_code == 200, res.text
        return res.json()

    def wait(self, response):
        """Poll a 201/202's Azure-AsyncOperation URL, advancing the clock, until terminal; return the status."""
        url = response.headers["Azure-AsyncOperation"]
        body = self.session.get(url, timeout=30, verify=self.bundle).json()
        if body["status"] not in ("Succeeded", "Failed", "Canceled"):
            self.advance()
            body = self.session.get(url, timeout=30, verify=self.bundle).json()
        assert body["status"] in ("Succeeded", "Failed", "Canceled"), body
        return body

    def install_flux(self, cluster=ARC, name="flux"):
        """The microsoft.flux extension, installed (configurations are only reconciled where it is)."""
        res = self.put("{}{}/extensions/{}".format(cluster, KC, name), {"properties": {
            "extensionType": "microsoft.flux"}}, api=EXT_API)
        assert res.status_code in (200, 201), res.text
        assert self.wait(res)["status"] == "Succeeded"

    def control(self, method, path, **kwargs):
        return self.session.request(method, self.base + "/_emulator/" + path,
                                    headers={"X-IDENTITY-HEADER": self.secret}, timeout=30, verify=self.bundle,
                                    **kwargs)


def flux_body(url=TUTORIAL_URL, branch="main", namespace="cluster-config", kustomizations=None, **extra):
    props = {"scope": "cluster", "namespace": namespace, "sourceKind": "GitRepository",
             "gitRepository": {"url": url, "repositoryRef": {"branch": branch}},
             "kustomizations": kustomizations if kustomizations is not None else {
                 "infra": {"path": "./infrastructure", "prune": True},
                 "apps": {"path": "./apps/staging", "prune": True, "dependsOn": ["infra"]}}}
    props.update(extra)
    return {"properties": props}


def flux_path(name="cluster-config", cluster=ARC):
    return "{}{}/fluxConfigurations/{}".format(cluster, KC, name)


def ext_path(name="flux", cluster=ARC):
    return "{}{}/extensions/{}".format(cluster, KC, name)
