"""Every source kind the emulator reconciles: which local directory serves it, its credentials, its revision.

`--source-map URL=PATH` maps a source to a local directory:

* GitRepository: the git URL (https, ssh and scp-like spellings, user names, letter case, a
  trailing `.git` or `/` are ignored); PATH is a git repository, read with the real git (gitsource.py);
* Bucket: the endpoint URL and the bucket name, e.g. `https://s3.amazonaws.com/my-bucket=PATH`;
* AzureBlob: the container URL, e.g. `https://acct.blob.core.windows.net/my-container=PATH`;
* OCIRepository: the repository URL, e.g. `oci://ghcr.io/org/manifests=PATH`.

For bucket, blob and OCI sources PATH is a plain directory (its files are the artifact; `.git` is
ignored) and the revision is the sha256 of its content, as Flux reports it.  Local paths and
file:// URLs work for git without a map.

`--source-auth URL=METHOD` says that a mapped source needs credentials, as the real one would:
`ssh`, `https` or `https:USER` (git), `bucket` (access key and secret key), `blob` (account key,
SAS token, service principal or managed identity), `oci` (a secret, service account, workload
identity or client certificate) or `secret:NAME` (the configuration's --local-auth-ref NAME).
A configuration without those credentials, or with other ones, gets the error Flux reports.
"""
import hashlib
import os

from . import gitsource
from .gitsource import SourceError, url_key

AUTH_METHODS = ("ssh", "https", "bucket", "blob", "oci", "secret")
# sourceKind -> (properties block, Flux kind reported in statuses)
KINDS = {"GitRepository": ("gitRepository", "GitRepository"), "Bucket": ("bucket", "Bucket"),
         "AzureBlob": ("azureBlob", "Bucket"), "OCIRepository": ("ociRepository", "OCIRepository")}


def parse_source_auth(text):
    """'URL=METHOD' -> (url, method); ValueError naming --source-auth when malformed."""
    url, sep, method = (text or "").rpartition("=")
    method = method.strip()
    base, _, arg = method.partition(":")
    if not sep or not url.strip() or base not in AUTH_METHODS or (base == "secret" and not arg) or \
            (arg and base not in ("https", "secret")):
        raise ValueError("--source-auth must look like URL=METHOD with METHOD one of ssh, https, https:USER, bucket, "
                         "blob, oci or secret:NAME (got '{}')".format(text))
    return url.strip(), method


def source_url(kind, block):
    """The URL a source is mapped by: git/OCI url, bucket endpoint + bucket name, blob URL + container."""
    url = (block.get("url") or "").rstrip("/")
    if kind == "Bucket":
        return "{}/{}".format(url, block.get("bucketName") or "")
    if kind == "AzureBlob":
        return "{}/{}".format(url, block.get("containerName") or "")
    return url


def _mapped(url, entries):
    key = url_key(url)
    for mapped_url, value in entries:
        if url_key(mapped_url) == key:
            return value
    return None


def fetch(settings, kind, props, protected_keys, cache_dir):
    """(checkout directory, revision label) of a configuration's source; SourceError when unavailable."""
    block = props.get(KINDS[kind][0]) or {}
    url = source_url(kind, block)
    required = _mapped(url, settings.source_auth)
    if required:
        check_credentials(kind, block, url, protected_keys or [], required)
    if kind == "GitRepository":
        path = gitsource.locate(block.get("url"), settings.source_map)
        label, sha = gitsource.resolve(path, block.get("url"), block.get("repositoryRef"))
        return gitsource.checkout(path, sha, cache_dir), label
    path = _mapped(url, settings.source_map)
    if path is None:
        raise SourceError(_unreachable(kind, block, url), reason="EmulatorSourceNotMapped")
    if not os.path.isdir(path):
        raise SourceError("{}: the mapped directory {} does not exist".format(_fetch_failed(kind, block), path))
    digest = directory_digest(path)
    if kind == "OCIRepository":
        ref = block.get("repositoryRef") or {}
        wanted = ref.get("digest")
        if wanted and wanted != "sha256:" + digest:
            raise SourceError("failed to pull artifact from '{}': manifest unknown: digest {} not found (the mapped "
                              "directory's content is sha256:{})".format(block.get("url"), wanted, digest),
                              reason="OCIArtifactPullFailed")
        return path, "{}@sha256:{}".format(ref.get("tag") or "latest", digest)
    return path, "sha256:" + digest


def _fetch_failed(kind, block):
    if kind == "Bucket":
        return "failed to confirm existence of '{}' bucket".format(block.get("bucketName"))
    if kind == "AzureBlob":
        return "failed to confirm existence of '{}' container".format(block.get("containerName"))
    return "failed to determine artifact digest for '{}'".format(block.get("url"))


def _unreachable(kind, block, url):
    return ("{}: the fluxlite emulator has no network access to {} sources; map it to a local directory with "
            "--source-map {}=PATH (az fluxlite emulator add-source-map on a running emulator)".format(
                _fetch_failed(kind, block), kind, url))


def directory_digest(path):
    """sha256 over the relative paths and contents of the files below `path` (.git ignored)."""
    digest = hashlib.sha256()
    for current, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if d != ".git")
        for name in sorted(files):
            full = os.path.join(current, name)
            digest.update(os.path.relpath(full, path).replace(os.sep, "/").encode() + b"\0")
            if os.path.islink(full):
                digest.update(b"link:" + os.readlink(full).encode())
            else:
                with open(full, "rb") as f:
                    digest.update(hashlib.sha256(f.read()).digest())
    return digest.hexdigest()


def _given(kind, block, keys):
    """The credential methods a configuration sets for its source."""
    keys = {k.lower() for k in keys}
    given = set()
    if block.get("localAuthRef"):
        given.add("secret:" + block["localAuthRef"])
    if kind == "GitRepository":
        if "sshprivatekey" in keys:
            given.add("ssh")
        if block.get("httpsUser") and "httpskey" in keys:
            given.add("https:" + block["httpsUser"])
        if block.get("provider") == "Azure":
            given.add("https:azure-workload-identity")
    elif kind == "Bucket":
        if block.get("accessKey") and "bucketsecretkey" in keys:
            given.add("bucket")
    elif kind == "AzureBlob":
        if keys & {"accountkey", "sastoken"} or block.get("servicePrincipal") or block.get("managedIdentity"):
            given.add("blob")
    elif kind == "OCIRepository":
        tls = block.get("tlsConfig") or {}
        if block.get("serviceAccountName") or block.get("useWorkloadIdentity") or tls.get("clientCertificate") \
                or keys & {"tlsclientcertificate", "clientcertificate"}:
            given.add("oci")
    return given


def _satisfies(required, given):
    if required in given:
        return True
    if required == "https":
        return any(g.startswith("https:") for g in given)
    if required.startswith("secret:"):
        return False
    return any(g.startswith("secret:") for g in given)    # a secret may hold any kind of credentials


def check_credentials(kind, block, url, protected_keys, required):
    """SourceError (as Flux reports it) unless the configuration sets the credentials `required`."""
    given = _given(kind, block, protected_keys)
    if _satisfies(required, given):
        return
    have = ", ".join(sorted(given)) or "none"
    why = "(the emulator's --source-auth says {} needs {}; this configuration sets {})".format(url, required, have)
    if kind == "GitRepository":
        if required == "ssh" or str(block.get("url") or "").startswith(("ssh://", "git@")):
            detail = ("ssh: handshake failed: ssh: unable to authenticate, attempted methods [none], no supported "
                      "methods remain")
        else:
            detail = "authentication required"
        message = "failed to checkout and determine revision: unable to list remote for '{}': {} {}".format(
            block.get("url"), detail, why)
    elif kind == "OCIRepository":
        message = "failed to determine artifact digest: GET {}: UNAUTHORIZED: authentication required {}".format(
            block.get("url"), why)
    else:
        message = "{}: Access Denied. {}".format(_fetch_failed(kind, block), why)
    raise SourceError(message, reason="AuthenticationFailed")
