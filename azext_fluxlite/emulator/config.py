"""Emulator settings, the cluster-type table, and the data directory's files."""
import json
import os
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from . import DEFAULT_CLOUD_NAME, DEFAULT_SUBSCRIPTION_ID, DEFAULT_TENANT_ID

# Cluster resource type (lower case) -> (resource provider, canonical type spelling).
CLUSTER_TYPES = {
    "connectedclusters": ("Microsoft.Kubernetes", "connectedClusters"),
    "managedclusters": ("Microsoft.ContainerService", "managedClusters"),
    "fleets": ("Microsoft.ContainerService", "fleets"),
    "provisionedclusters": ("Microsoft.HybridContainerService", "provisionedClusters"),
    "appliances": ("Microsoft.ResourceConnector", "appliances"),
}

STATE_FILE = "emulator.json"
SECRET_FILE = "secret"              # the IDENTITY_HEADER value (printed by start/env)
SIGNING_KEY_FILE = "signing-key"    # signs tokens; never printed
AZ_CONFIG_DIR = "azure"             # the emulator's own az profile (AZURE_CONFIG_DIR of `env`)
LOCK_FILE = "lock"
DB_FILE = "state.sqlite"
CA_CERT_FILE = "ca.pem"
CA_KEY_FILE = "ca-key.pem"
SERVER_CERT_FILE = "server.pem"
SERVER_KEY_FILE = "server-key.pem"
CA_BUNDLE_FILE = "ca-bundle.pem"


def default_data_dir():
    return os.path.join(os.path.expanduser("~"), ".fluxlite", "emulator")


def parse_cluster(text):
    """'RG/CLUSTER_TYPE/NAME' -> (rg, provider, canonical type, name)."""
    parts = [p for p in (text or "").strip().split("/")]
    if len(parts) != 3 or not all(parts):
        raise ValueError("--cluster must look like RESOURCE_GROUP/CLUSTER_TYPE/NAME, e.g. "
                         "flux-demo-rg/connectedClusters/flux-demo-arc (got '{}')".format(text))
    rg, ctype, name = parts
    known = CLUSTER_TYPES.get(ctype.lower())
    if known is None:
        raise ValueError("--cluster: unknown cluster type '{}'; use one of: {}".format(
            ctype, ", ".join(canonical for _, canonical in CLUSTER_TYPES.values())))
    return rg, known[0], known[1], name


def parse_source_map(text):
    """'URL=PATH' -> (url, absolute path)."""
    if "=" not in (text or ""):
        raise ValueError("--source-map must look like URL=PATH (got '{}')".format(text))
    url, path = text.split("=", 1)
    url, path = url.strip(), path.strip()
    if not url or not path:
        raise ValueError("--source-map must look like URL=PATH (got '{}')".format(text))
    return url, os.path.abspath(os.path.expanduser(path))


@dataclass
class Settings:
    host: str = "127.0.0.1"
    port: Optional[int] = None          # None: the port used last time in this data dir, else free
    data_dir: str = field(default_factory=default_data_dir)
    operation_seconds: float = 2.0
    retry_after: Optional[int] = None   # None: send no Retry-After, like the live service
    source_map: List[Tuple[str, str]] = field(default_factory=list)
    source_auth: List[Tuple[str, str]] = field(default_factory=list)    # (url, method): sources.py
    clusters: List[Tuple[str, str, str, str]] = field(default_factory=list)
    subscription_id: str = DEFAULT_SUBSCRIPTION_ID
    tenant_id: str = DEFAULT_TENANT_ID
    page_size: int = 100
    reconcile_seconds: float = 0.0
    cloud_name: str = DEFAULT_CLOUD_NAME

    def path(self, name):
        return os.path.join(self.data_dir, name)

    def validate(self):
        if self.host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("the emulator only binds to the loopback interface (127.0.0.1)")
        if self.port is not None and not 0 <= self.port <= 65535:
            raise ValueError("--port must be between 0 and 65535")
        if self.operation_seconds < 0:
            raise ValueError("--operation-seconds must not be negative")
        if self.retry_after is not None and self.retry_after < 1:
            raise ValueError("--retry-after must be at least 1 (az ignores 0 and waits 30 s)")
        if self.page_size < 1:
            raise ValueError("--page-size must be at least 1")
        if self.reconcile_seconds < 0:
            raise ValueError("--reconcile-seconds must not be negative")


def tighten_data_dir(data_dir):
    """Create the data dir, or make an existing one private (0700): it holds keys and state."""
    os.makedirs(data_dir, mode=0o700, exist_ok=True)
    os.chmod(data_dir, 0o700)


def read_state(data_dir):
    """The running (or last) instance's emulator.json, or None."""
    try:
        with open(os.path.join(data_dir, STATE_FILE), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def write_state(data_dir, state):
    path = os.path.join(data_dir, STATE_FILE)
    tmp = path + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)      # it holds the IDENTITY_HEADER secret
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(state, f, indent=2, sort_keys=True)
    os.replace(tmp, path)


def pid_alive(pid):
    try:
        os.kill(int(pid), 0)
    except (OSError, ValueError, TypeError):
        return False
    return True


def user_extension_dir(environ=None):
    """Where the az of this shell finds its extensions (fluxlite itself among them)."""
    environ = os.environ if environ is None else environ
    if environ.get("AZURE_EXTENSION_DIR"):
        return os.path.abspath(os.path.expanduser(environ["AZURE_EXTENSION_DIR"]))
    config = environ.get("AZURE_CONFIG_DIR") or os.path.join(os.path.expanduser("~"), ".azure")
    return os.path.join(os.path.abspath(os.path.expanduser(config)), "cliextensions")


# Variables `env` sets that a shell may already have: their old values are kept to be restored by `env --unset`.
RESTORABLE = ("AZURE_CONFIG_DIR", "AZURE_EXTENSION_DIR", "REQUESTS_CA_BUNDLE", "IDENTITY_ENDPOINT", "IDENTITY_HEADER")
SAVED_PREFIX = "FLUXLITE_EMULATOR_SAVED_"


def env_exports(state, environ=None) -> Dict[str, str]:
    """The environment variables that point this shell's az (and other ARM clients) at an instance: the
    emulator's own az config dir (logged in), the extensions of the user's az, the CA bundle, the managed
    identity endpoint.  Values the shell had before are saved (when not pointing at an emulator already)."""
    environ = os.environ if environ is None else environ
    exports = {}
    if not environ.get("FLUXLITE_EMULATOR_URL"):
        for name in RESTORABLE:
            if environ.get(name) is not None:
                exports[SAVED_PREFIX + name] = environ[name]
    exports.update({
        "AZURE_CONFIG_DIR": os.path.join(state["data_dir"], AZ_CONFIG_DIR),
        "AZURE_EXTENSION_DIR": user_extension_dir(environ),
        "REQUESTS_CA_BUNDLE": state["ca_bundle"],
        "IDENTITY_ENDPOINT": state["identity_endpoint"],
        "IDENTITY_HEADER": state["identity_header"],
        "FLUXLITE_EMULATOR_URL": state["base_url"],
        "FLUXLITE_EMULATOR_DATA_DIR": state["data_dir"],
    })
    return exports


def unset_lines(environ=None):
    """Shell lines that undo `env`: the saved values come back, everything else is unset."""
    environ = os.environ if environ is None else environ
    import shlex
    lines = []
    for name in RESTORABLE:
        saved = environ.get(SAVED_PREFIX + name)
        if saved is not None:
            lines.append("export {}={}".format(name, shlex.quote(saved)))
            lines.append("unset {}".format(SAVED_PREFIX + name))
        else:
            lines.append("unset {}".format(name))
    lines.append("unset FLUXLITE_EMULATOR_URL FLUXLITE_EMULATOR_DATA_DIR")
    return "".join(line + "\n" for line in lines)
