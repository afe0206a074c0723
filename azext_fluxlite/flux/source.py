"""The source part of `flux create` (PUT) and `flux update` (PATCH) requests.

Pipeline, each step usable on its own:

1. `resolve_source_inputs(values, stdin=None)` (I/O): reads `--*-file` options, `@FILE` and `-`
   (standard input) through `_secret_input`, and returns the values with the `*_file` keys removed
   and key material in its *value form*: base64 text for --ssh-private-key, --known-hosts,
   --https-ca-cert, --sp-client-cert and --tls-*; plain text for the other secrets.  Raw PEM or
   known_hosts text given as a value (e.g. expanded from `@FILE` by az core) is base64-encoded.
2. `check_source(kind, values, full=..., current_url=None)` (pure): every rule; see `_source_checks`.
3. `build_source_block(kind, values, creating)` / `build_source_patch(kind, values, kind_changed)`
   (pure): the wire JSON.

`source_for_create` and `source_for_update` run the three steps for create and update.
`values` is keyed by the dest names of flux-cli.md §4.2 plus `kind`, `timeout`, `sync_interval`.
"""
import base64
import re

from azext_fluxlite.core.errors import InvalidArgumentValueError

from azext_fluxlite.core.display import shown
from azext_fluxlite.core.durations import parse_duration
from azext_fluxlite.flux.kustomizations import parse_bool
from azext_fluxlite.core.secrets import as_text, check_single_stdin, read_value_or_file
from azext_fluxlite.flux.source_checks import (  # noqa: F401  # re-exported for callers
    ALLOWED, OPTION_NAMES, REQUIRED, SECRET_DESTS, SOURCE_KINDS, TYPED_AS, URL_SCHEMES, check_source, check_url,
    given,
    parse_match_oidc_identity, parse_verification_config, redact_url,
)

# dest -> (file dest or None, how the value form looks: "base64" (strip file text?) or "text")
SECRET_INPUTS = {
    "ssh_private_key": ("ssh_private_key_file", "base64", False),
    "known_hosts": ("known_hosts_file", "base64", True),
    "https_ca_cert": ("https_ca_cert_file", "base64", True),
    "sp_client_cert": (None, "base64", False),
    "tls_ca_certificate": (None, "base64", False),
    "tls_client_certificate": (None, "base64", False),
    "tls_private_key": (None, "base64", False),
    "https_key": (None, "text", False),
    "bucket_access_key": (None, "text", False),
    "bucket_secret_key": (None, "text", False),
    "sp_client_secret": (None, "text", False),
    "sp_client_cert_password": (None, "text", False),
    "account_key": (None, "text", False),
    "sas_token": (None, "text", False),
}
_KNOWN_HOSTS_LINE = re.compile(rb"^\s*(@\S+\s+)?\S+\s+(ssh-|ecdsa-|sk-)\S*\s+\S", re.MULTILINE)
_BASE64_TEXT = re.compile(rb"[A-Za-z0-9+/=\s]+")


def _b64(data):
    return base64.b64encode(data).decode("ascii")


def _looks_raw(data):
    return b"-----BEGIN" in data or data.lstrip().startswith(b"PuTTY") or bool(_KNOWN_HOSTS_LINE.search(data))


def _value_form(secret, strip):
    """Base64 value form of key material from a SecretInput (see the module docstring)."""
    data = secret.data
    if _looks_raw(data) or (secret.source != "value" and not _BASE64_TEXT.fullmatch(data)):
        return _b64(data.strip() if strip else data)
    return as_text(secret)


def kind_of(value):
    """CLI kind ('git', ...) for a CLI kind or a wire sourceKind ('GitRepository', ...); None if unknown."""
    text = str(value or "")
    for kind in SOURCE_KINDS.values():
        if text.lower() in (kind.cli, kind.source_kind.lower()):
            return kind.cli
    return None


def resolve_source_inputs(values, stdin=None):
    """Read files and standard input; return a new dict in value form without `*_file` keys."""
    check_single_stdin({OPTION_NAMES[d]: values.get(d) for d in SECRET_INPUTS})
    resolved = {k: v for k, v in values.items()
                if k not in {f for f, _, _ in SECRET_INPUTS.values() if f}}
    for dest, (file_dest, form, strip) in SECRET_INPUTS.items():
        value, path = values.get(dest), values.get(file_dest) if file_dest else None
        if value is None and path is None:
            continue
        secret = read_value_or_file(value, path, OPTION_NAMES[dest], OPTION_NAMES.get(file_dest), stdin=stdin)
        if path is not None:
            resolved.setdefault(TYPED_AS, {})[dest] = OPTION_NAMES[file_dest]
        if form == "base64":
            resolved[dest] = _value_form(secret, strip)
        elif secret.source == "value":
            resolved[dest] = secret.data.decode("utf-8")
        else:
            resolved[dest] = as_text(secret, strip=False).rstrip("\r\n")
    return resolved


def _put(block, key, value):
    if value is not None:
        block[key] = value
    return block


def _sub(pairs):
    """A nested object from (key, value) pairs, or None when every value is None."""
    obj = {k: v for k, v in pairs if v is not None}
    return obj or None


def _flag(values, dest):
    value = values.get(dest)
    return None if value is None else parse_bool(value, OPTION_NAMES[dest])


def _text_b64(value):
    return None if value is None else _b64(str(value).encode("utf-8"))


def build_source_block(kind, values, creating):
    """Wire source block and configurationProtectedSettings for resolved, checked `values`.

    Returns (block, protected); both dicts hold only the fields given.  `creating` sends
    `bucket.insecure` always (false unless --bucket-insecure), as the original's create does.
    """
    v = {k: val for k, val in values.items() if given(val) or (val is False and k in (
        "bucket_insecure", "use_workload_identity", "oci_insecure"))}
    get = v.get
    block = {}
    _put(block, "url", get("url"))
    if kind == "bucket":
        _put(block, "bucketName", get("bucket_name"))
        insecure = _flag(v, "bucket_insecure")
        _put(block, "insecure", bool(insecure) if creating else insecure)
    if kind == "azblob":
        _put(block, "containerName", get("container_name"))
    for dest, key in (("timeout", "timeoutInSeconds"), ("sync_interval", "syncIntervalInSeconds")):
        if get(dest) is not None:
            block[key] = parse_duration(get(dest), OPTION_NAMES[dest])
    protected = {}
    if kind == "git":
        _put(block, "repositoryRef", _sub((r, get(r)) for r in ("branch", "tag", "semver", "commit")))
        _put(block, "sshKnownHosts", get("known_hosts"))
        _put(block, "httpsUser", get("https_user"))
        _put(block, "httpsCACert", get("https_ca_cert"))
        _put(block, "localAuthRef", get("local_auth_ref"))
        _put(block, "provider", None if get("provider") is None else str(get("provider")).lower())
        _put(protected, "sshPrivateKey", get("ssh_private_key"))
        _put(protected, "httpsKey", _text_b64(get("https_key")))
    elif kind == "bucket":
        _put(block, "accessKey", get("bucket_access_key"))
        _put(block, "localAuthRef", get("local_auth_ref"))
        _put(protected, "bucketSecretKey", _text_b64(get("bucket_secret_key")))
    elif kind == "azblob":
        _put(block, "accountKey", get("account_key"))
        _put(block, "sasToken", get("sas_token"))
        sp = _sub([("clientId", get("sp_client_id")), ("tenantId", get("sp_tenant_id")),
                   ("clientSecret", get("sp_client_secret")), ("clientCertificate", get("sp_client_cert")),
                   ("clientCertificatePassword", get("sp_client_cert_password"))])
        send_chain = bool(_flag(v, "sp_client_cert_send_chain"))
        if sp is not None or send_chain:
            sp = sp or {}
            sp["clientCertificateSendChain"] = send_chain
        _put(block, "servicePrincipal", sp)
        _put(block, "managedIdentity", _sub([("clientId", get("mi_client_id"))]))
        _put(block, "localAuthRef", get("local_auth_ref"))
    elif kind == "oci":
        _put(block, "repositoryRef", _sub((r, get(r)) for r in ("tag", "semver", "digest")))
        _put(block, "layerSelector", _sub([("mediaType", get("oci_media_type")), (
            "operation", None if get("oci_operation") is None else str(get("oci_operation")).lower())]))
        _put(block, "verify", _sub([
            ("provider", get("verification_provider")),
            ("verificationConfig", None if get("verification_config") is None
             else parse_verification_config(get("verification_config"))),
            ("matchOidcIdentity", None if get("match_oidc_identity") is None
             else parse_match_oidc_identity(get("match_oidc_identity")))]))
        _put(block, "insecure", _flag(v, "oci_insecure"))
        _put(block, "useWorkloadIdentity", _flag(v, "use_workload_identity"))
        _put(block, "serviceAccountName", get("service_account_name"))
        _put(block, "tlsConfig", _sub([("clientCertificate", get("tls_client_certificate")),
                                       ("privateKey", get("tls_private_key")),
                                       ("caCertificate", get("tls_ca_certificate"))]))
        _put(block, "localAuthRef", get("local_auth_ref"))
    return block, protected


def build_source_patch(kind, values, kind_changed):
    """The source part of a PATCH body's `properties`, and configurationProtectedSettings.

    The current kind's block is always present (`{}` when no source option was given), as in the
    original.  On a kind change the fragment also has `sourceKind`, and every other kind's block is
    sent as null (JSON merge-patch removal) - including `ociRepository`.  This fixes quirk 13.9:
    the original sent `{}` (which removes nothing) and left `ociRepository` out.  Also on a kind
    change to bucket, `insecure: false` is sent unless --bucket-insecure is given, as on create:
    the API default for a new bucket block is insecure=true.  On a same-kind update
    `bucket.insecure` is sent only when given.
    """
    block, protected = build_source_block(kind, values, creating=kind_changed)
    if not kind_changed:
        return {SOURCE_KINDS[kind].block_key: block}, protected
    fragment = {"sourceKind": SOURCE_KINDS[kind].source_kind}
    for other in SOURCE_KINDS.values():
        fragment[other.block_key] = block if other.cli == kind else None
    return fragment, protected


def check_source_kind(kind):
    """Normalize --kind (None stays None); raise a clear error for an unknown kind."""
    if kind is None:
        return None
    found = kind_of(kind)
    if found is None:
        raise InvalidArgumentValueError("--kind must be git, bucket, azblob or oci, not {}.".format(shown(kind)))
    return found


def cli_kind_of(source_kind):
    """CLI kind of an existing configuration's wire `sourceKind` (missing -> git, the API default)."""
    if not source_kind:
        return "git"
    found = kind_of(source_kind)
    if found is None:
        raise InvalidArgumentValueError(
            "The configuration's source kind {} is not one fluxlite knows (GitRepository, Bucket, AzureBlob, "
            "OCIRepository); update it with a newer fluxlite or recreate it.".format(shown(source_kind)))
    return found


def source_for_create(kind, values, stdin=None):
    """`flux create`: read files/stdin, check everything (full) and build.  Returns (block, protected).

    `kind` is the CLI kind (None -> values["kind"] -> git); `values` the raw CLI values by dest name.
    """
    kind = check_source_kind(kind or values.get("kind") or "git")
    resolved = resolve_source_inputs(values, stdin=stdin)
    check_source(kind, resolved, full=True)
    return build_source_block(kind, resolved, creating=True)


def source_for_update(kind, values, kind_changed, current_block=None, stdin=None):
    """`flux update`: read, check and build the PATCH source part.  Returns (fragment, protected).

    Checks are full on a kind change; otherwise every rule the given options decide alone, plus the
    auth/URL pairing against `current_block["url"]` (the existing source block) when --url is not
    given.  `fragment` goes into the PATCH `properties` as it is (see `build_source_patch`).
    """
    kind = check_source_kind(kind or "git")
    resolved = resolve_source_inputs(values, stdin=stdin)
    current_url = None if kind_changed else (current_block or {}).get("url")
    check_source(kind, resolved, full=bool(kind_changed), current_url=current_url)
    return build_source_patch(kind, resolved, bool(kind_changed))
