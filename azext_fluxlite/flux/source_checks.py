"""Checks of the source options of `flux create/update` (pure; used through `flux_source`).

`check_source(kind, values, full=...)` takes the values after `flux_source.resolve_source_inputs`
(files and standard input already read; key material in its base64 value form) keyed by dest name.
A value counts as given when it is not None and not False (unset switches arrive as False).

Decisions (flux-cli.md §4, quirks 10 and 13):

* Options are named by their real spelling (`--sp-cert-password`), lists are sorted.
* URL schemes are checked per kind, case-insensitively, and the message lists the schemes of that
  kind.  A URL must have a host and no password (`https://user:token@...`; use the auth options).
* Git refs: at most one of --branch/--tag/--semver/--commit, except that --commit may be combined
  with --branch (the API documents commit "combined with the branch name"); on create one is
  required.  OCI refs: at most one of --tag/--semver/--digest, except --tag with --digest.
* Bucket auth: access key + secret key, or --local-auth-ref (not both).  Azure Blob: at most one
  auth method; none is accepted as in the original (anonymous access or the cluster's identity).
* With full=False (same-kind update) everything that the given options decide alone is still
  checked (formats, URL scheme, auth/URL pairing when the URL is given or `current_url` is known,
  conflicting auth methods, more than one ref); only "required" and "must come in pairs" rules are
  left to the existing configuration.
"""
import json
import re
from collections import namedtuple
from urllib.parse import urlsplit

from azext_fluxlite.core.errors import (
    InvalidArgumentValueError, MutuallyExclusiveArgumentError, RequiredArgumentMissingError,
    UnrecognizedArgumentError,
)

from azext_fluxlite.core.display import or_list, shown
from azext_fluxlite.core.durations import parse_duration
from azext_fluxlite.core.keys import (
    check_ca_certificate, check_certificate_key_pair, check_known_hosts, check_ssh_private_key,
    decode_base64, load_certificates,
)
from azext_fluxlite.flux.kustomizations import parse_bool
from azext_fluxlite.core.names import check_dns_subdomain

SourceKind = namedtuple("SourceKind", "cli source_kind block_key")
SOURCE_KINDS = {
    "git": SourceKind("git", "GitRepository", "gitRepository"),
    "bucket": SourceKind("bucket", "Bucket", "bucket"),
    "azblob": SourceKind("azblob", "AzureBlob", "azureBlob"),
    "oci": SourceKind("oci", "OCIRepository", "ociRepository"),
}

OPTION_NAMES = {
    "url": "--url", "bucket_name": "--bucket-name", "timeout": "--timeout", "sync_interval": "--interval",
    "branch": "--branch", "tag": "--tag", "semver": "--semver", "commit": "--commit",
    "local_auth_ref": "--local-auth-ref", "ssh_private_key": "--ssh-private-key",
    "ssh_private_key_file": "--ssh-private-key-file", "https_user": "--https-user", "https_key": "--https-key",
    "https_ca_cert": "--https-ca-cert", "https_ca_cert_file": "--https-ca-cert-file",
    "known_hosts": "--known-hosts", "known_hosts_file": "--known-hosts-file", "provider": "--provider",
    "bucket_access_key": "--bucket-access-key", "bucket_secret_key": "--bucket-secret-key",
    "bucket_insecure": "--bucket-insecure", "container_name": "--container-name",
    "account_key": "--account-key", "sas_token": "--sas-token", "sp_tenant_id": "--sp-tenant-id",
    "sp_client_id": "--sp-client-id", "sp_client_cert": "--sp-client-cert",
    "sp_client_cert_password": "--sp-cert-password", "sp_client_secret": "--sp-client-secret",
    "sp_client_cert_send_chain": "--sp-cert-send-chain", "mi_client_id": "--mi-client-id",
    "digest": "--digest", "oci_media_type": "--oci-media-type", "oci_operation": "--oci-operation",
    "tls_ca_certificate": "--tls-ca-certificate", "tls_client_certificate": "--tls-client-certificate",
    "tls_private_key": "--tls-private-key", "service_account_name": "--service-account-name",
    "use_workload_identity": "--use-workload-identity", "oci_insecure": "--oci-insecure",
    "verification_provider": "--verification-provider", "match_oidc_identity": "--match-oidc-identity",
    "verification_config": "--verification-config",
}
SECRET_DESTS = {"ssh_private_key", "https_key", "bucket_secret_key", "account_key", "sas_token",
                "sp_client_secret", "sp_client_cert", "sp_client_cert_password", "tls_private_key"}
_COMMON = {"url", "timeout", "sync_interval", "local_auth_ref"}
ALLOWED = {
    "git": _COMMON | {"branch", "tag", "semver", "commit", "ssh_private_key", "ssh_private_key_file",
                      "https_user", "https_key", "https_ca_cert", "https_ca_cert_file", "known_hosts",
                      "known_hosts_file", "provider"},
    "bucket": _COMMON | {"bucket_name", "bucket_access_key", "bucket_secret_key", "bucket_insecure"},
    "azblob": _COMMON | {"container_name", "account_key", "sp_tenant_id", "sp_client_id", "sp_client_cert",
                         "sp_client_cert_password", "sp_client_secret", "sp_client_cert_send_chain",
                         "sas_token", "mi_client_id"},
    "oci": _COMMON | {"tag", "semver", "digest", "oci_media_type", "oci_operation", "tls_ca_certificate",
                      "tls_client_certificate", "tls_private_key", "service_account_name",
                      "use_workload_identity", "oci_insecure", "verification_provider",
                      "match_oidc_identity", "verification_config"},
}
REQUIRED = {"git": ["url"], "bucket": ["url", "bucket_name"], "azblob": ["url", "container_name"], "oci": ["url"]}
URL_SCHEMES = {"git": ("http://", "https://", "ssh://", "git@"), "bucket": ("http://", "https://"),
               "azblob": ("http://", "https://"), "oci": ("oci://",)}
VERIFICATION_PROVIDERS = ("cosign", "notation")
_BOOL_DESTS = {"bucket_insecure", "sp_client_cert_send_chain", "use_workload_identity", "oci_insecure"}
_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_DIGEST = re.compile(r"[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+")
_MEDIA_TYPE = re.compile(r"[A-Za-z0-9][\w.+-]*/[A-Za-z0-9][\w.+-]*")
_CONTAINER = re.compile(r"[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]|\$root|\$web")


# Key of the resolved values that records which option supplied a value read from a file
# (`--ssh-private-key-file` for ssh_private_key ...), so that messages name the flag the user typed.
TYPED_AS = "_typed_as"


def opt(dest, values=None):
    """The option of `dest`; with `values`, the one the user typed (the file option when a file gave it)."""
    typed = ((values or {}).get(TYPED_AS) or {}).get(dest)
    return typed or OPTION_NAMES.get(dest, "--" + dest.replace("_", "-"))


def given(value):
    return value is not None and value is not False


def _opts(dests, values=None):
    return ", ".join(sorted(opt(d, values) for d in dests))


def _is_http(url):
    return url.lower().startswith(("http://", "https://"))


def redact_url(url):
    """The URL with any user information removed, for messages."""
    return re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", r"\1***@", url)


def check_url(kind, url, option="--url"):
    """Scheme per kind, a host, no whitespace, no password inside the URL."""
    url = str(url)
    schemes = URL_SCHEMES[kind]
    if url.lower().startswith(schemes) and not url.startswith(schemes):
        # Flux's CRDs take only lower-case schemes (GitRepository ^(http|https|ssh)://, OCIRepository
        # ^oci://) and the original rejects the rest: the cluster would refuse the object.
        scheme = next(s for s in schemes if url.lower().startswith(s))
        raise InvalidArgumentValueError("{} {} starts with {}: Flux accepts only a lower-case scheme; use {}.".format(
            option, shown(redact_url(url)), shown(url[:len(scheme)]), shown(scheme + redact_url(url)[len(scheme):])))
    if not url.lower().startswith(schemes):
        raise InvalidArgumentValueError("{} {} does not fit --kind {}: it must start with {}.".format(
            option, shown(redact_url(url)), kind, or_list(schemes)))
    if any(c.isspace() for c in url):
        raise InvalidArgumentValueError("{} {} contains white space: give the URL without spaces.".format(
            option, shown(redact_url(url))))
    if url.lower().startswith("git@"):
        if not re.fullmatch(r"git@[^:/]+:.+", url, re.IGNORECASE):
            raise InvalidArgumentValueError("{} {} must look like git@HOST:PATH, e.g. git@github.com:org/repo.git, "
                                            "or use ssh://git@HOST/PATH.".format(option, shown(url)))
        return
    try:
        parts = urlsplit(url)
        host, password = parts.hostname, parts.password
        parts.port  # pylint: disable=pointless-statement  # raises ValueError on a bad port
    except ValueError:
        raise InvalidArgumentValueError("{} {} is not a valid URL (check the host and port).".format(
            option, shown(redact_url(url)))) from None
    if not host:
        raise InvalidArgumentValueError("{} {} has no host: give e.g. {}HOST/PATH.".format(
            option, shown(redact_url(url)), schemes[-1] if kind == "git" else schemes[0]))
    if password is not None:
        hint = "--https-user and --https-key" if kind == "git" else "the auth options or --local-auth-ref"
        raise InvalidArgumentValueError("{} must not contain a password (user:password@): remove it and use {}.".format(
            option, hint))


def _check_nonempty(values, dests):
    for dest in sorted(dests):
        value = values.get(dest)
        if dest in _BOOL_DESTS:
            if not isinstance(value, bool):
                parse_bool(value, opt(dest))
        elif isinstance(value, str) and not value.strip():
            raise InvalidArgumentValueError("{} is empty: give a value or leave the option out.".format(
                opt(dest, values)))


def _check_refs(refs, exception, full, what, example):
    if len(refs) > 1 and set(refs) != exception:
        raise MutuallyExclusiveArgumentError("{} cannot be used together: give only one {} reference.".format(
            or_list([opt(r) for r in refs]).replace(" or ", " and "), what))
    if full and not refs and example:
        raise RequiredArgumentMissingError("A {} reference is required: give one of {}, e.g. {}.".format(
            what, ", ".join(opt(r) for r in ("branch", "tag", "semver", "commit")), example))


def _material(values, dest, what):
    return decode_base64(values[dest], opt(dest, values), what)


def _check_git(values, full, url):
    refs = [r for r in ("branch", "tag", "semver", "commit") if given(values.get(r))]
    _check_refs(refs, {"branch", "commit"}, full, "Git", "--branch main")
    if given(values.get("provider")) and str(values["provider"]).lower() not in ("generic", "azure"):
        raise InvalidArgumentValueError("--provider must be generic or azure, not {}.".format(
            shown(values["provider"])))
    ssh = [d for d in ("ssh_private_key", "known_hosts") if given(values.get(d))]
    https = [d for d in ("https_user", "https_key") if given(values.get(d))]
    if url is not None and _is_http(url) and ssh:
        raise MutuallyExclusiveArgumentError(
            "{} cannot be used with an http(s) URL: use an ssh:// or git@ URL for SSH authentication, or "
            "--https-user and --https-key for HTTPS.".format(" and ".join(opt(d, values) for d in ssh)))
    if url is not None and not _is_http(url) and (https or given(values.get("https_ca_cert"))):
        used = https + (["https_ca_cert"] if given(values.get("https_ca_cert")) else [])
        raise MutuallyExclusiveArgumentError(
            "{} need an http(s) URL, but --url is an SSH URL: use an https:// URL, or SSH authentication "
            "with --ssh-private-key.".format(" and ".join(opt(d, values) for d in used)))
    if full and len(https) == 1:
        missing = ({"https_user", "https_key"} - set(https)).pop()
        raise RequiredArgumentMissingError("{} needs {} as well: HTTPS authentication takes both.".format(
            opt(https[0]), opt(missing)))
    if given(values.get("ssh_private_key")):
        check_ssh_private_key(_material(values, "ssh_private_key", "the private key"),
                              opt("ssh_private_key", values))
    if given(values.get("known_hosts")):
        raw = _material(values, "known_hosts", "the known_hosts content")
        check_known_hosts(raw, opt("known_hosts", values))
    if given(values.get("https_ca_cert")):
        check_ca_certificate(_material(values, "https_ca_cert", "the PEM CA certificate"), opt("https_ca_cert", values))


def _check_bucket(values, full):
    keys = [d for d in ("bucket_access_key", "bucket_secret_key") if given(values.get(d))]
    if keys and given(values.get("local_auth_ref")):
        raise MutuallyExclusiveArgumentError(
            "{} and --local-auth-ref cannot be used together: give the access key pair or the name of a "
            "secret on the cluster, not both.".format(" and ".join(opt(d) for d in keys)))
    if full and len(keys) == 1:
        raise RequiredArgumentMissingError("--bucket-access-key and --bucket-secret-key go together: give both.")
    if full and not keys and not given(values.get("local_auth_ref")):
        raise RequiredArgumentMissingError(
            "--kind bucket needs credentials: give --bucket-access-key with --bucket-secret-key, or "
            "--local-auth-ref with the name of a secret on the cluster.")


_SP = ("sp_client_id", "sp_tenant_id", "sp_client_secret", "sp_client_cert", "sp_client_cert_password",
       "sp_client_cert_send_chain")


def _check_azblob(values, full):
    name = values.get("container_name")
    if given(name) and not _CONTAINER.fullmatch(str(name)):
        raise InvalidArgumentValueError(
            "--container-name {} is not a valid container name: 3-63 lower-case letters, digits and single "
            "hyphens, starting and ending with a letter or digit.".format(shown(name)))
    sp = [d for d in _SP if given(values.get(d))]
    methods = [m for m, dests in (("service principal (--sp-*)", sp), ("--account-key", ["account_key"]),
                                  ("--sas-token", ["sas_token"]), ("--mi-client-id", ["mi_client_id"]),
                                  ("--local-auth-ref", ["local_auth_ref"]))
               if any(given(values.get(d)) for d in dests)]
    if len(methods) > 1:
        raise MutuallyExclusiveArgumentError(
            "Give only one Azure Blob authentication method, not {}: a service principal, --account-key, "
            "--sas-token, --mi-client-id or --local-auth-ref.".format(or_list(methods).replace(" or ", " and ")))
    for dest in ("sp_client_id", "mi_client_id"):
        if given(values.get(dest)) and not _GUID.fullmatch(str(values[dest]).strip()):
            raise InvalidArgumentValueError(
                "{} {} is not a client ID: give a GUID such as 00000000-0000-0000-0000-000000000000.".format(
                    opt(dest), shown(values[dest])))
    has = {d: given(values.get(d)) for d in _SP}
    if has["sp_client_secret"] and has["sp_client_cert"]:
        raise MutuallyExclusiveArgumentError(
            "--sp-client-secret and --sp-client-cert cannot be used together: the service principal "
            "authenticates with one of them.")
    for extra in ("sp_client_cert_password", "sp_client_cert_send_chain"):
        if has[extra] and (has["sp_client_secret"] or (full and not has["sp_client_cert"])):
            raise RequiredArgumentMissingError("{} only applies to a certificate: give it with --sp-client-cert "
                                               "(not --sp-client-secret).".format(opt(extra)))
    if full and sp and not (has["sp_client_id"] and has["sp_tenant_id"] and
                            (has["sp_client_secret"] or has["sp_client_cert"])):
        missing = [opt(d) for d in ("sp_client_id", "sp_tenant_id") if not has[d]]
        if not (has["sp_client_secret"] or has["sp_client_cert"]):
            missing.append("--sp-client-secret or --sp-client-cert")
        raise RequiredArgumentMissingError("The service principal is incomplete: also give {}.".format(
            " and ".join(missing)))
    if given(values.get("account_key")):
        decode_base64(values["account_key"], "--account-key", "the storage account key")
    if has["sp_client_cert"]:
        cert = decode_base64(values["sp_client_cert"], "--sp-client-cert", "the certificate (PEM or PFX)")
        if b"-----BEGIN" in cert:
            load_certificates(cert, "--sp-client-cert")


def parse_match_oidc_identity(entries, option="--match-oidc-identity"):
    """JSON objects (strings or dicts) with non-empty 'issuer' and 'subject' -> list of dicts."""
    result = []
    for entry in [entries] if isinstance(entries, (str, dict)) else list(entries or []):
        item = entry
        if isinstance(entry, str):
            try:
                item = json.loads(entry)
            except ValueError:
                item = None
        if not isinstance(item, dict) or set(item) - {"issuer", "subject"} or not all(
                isinstance(item.get(k), str) and item[k].strip() for k in ("issuer", "subject")):
            raise InvalidArgumentValueError(
                "Each {} must be a JSON object with exactly the string fields issuer and subject, e.g. "
                "'{{\"issuer\":\"https://token.actions.githubusercontent.com\",\"subject\":\"repo:org/app:.*\"}}' "
                "(quote it for the shell).".format(option))
        result.append({"issuer": item["issuer"], "subject": item["subject"]})
    return result


def parse_verification_config(entries, option="--verification-config"):
    """key=value strings (or a dict) -> dict; keys non-empty and unique."""
    if isinstance(entries, dict):
        entries = ["{}={}".format(k, v) for k, v in entries.items()]
    result = {}
    for entry in [entries] if isinstance(entries, str) else list(entries or []):
        key, sep, value = str(entry).partition("=")
        if not sep or not key.strip():
            raise InvalidArgumentValueError("Each {} must be KEY=VALUE, e.g. cosign.pub=BASE64KEY.".format(option))
        if key.strip() in result:
            raise InvalidArgumentValueError("{} gives the key {} twice: give each key once.".format(
                option, shown(key.strip())))
        result[key.strip()] = value
    return result


def _check_oci(values, full):
    refs = [r for r in ("tag", "semver", "digest") if given(values.get(r))]
    _check_refs(refs, {"tag", "digest"}, False, "OCI", None)
    if given(values.get("digest")) and not _DIGEST.fullmatch(str(values["digest"])):
        raise InvalidArgumentValueError("--digest {} is not a digest: give ALGORITHM:HEX, e.g. sha256:<64 hex "
                                        "digits>.".format(shown(values["digest"])))
    if given(values.get("oci_operation")) and str(values["oci_operation"]).lower() not in ("extract", "copy"):
        raise InvalidArgumentValueError("--oci-operation must be extract or copy, not {}.".format(
            shown(values["oci_operation"])))
    if given(values.get("oci_media_type")) and not _MEDIA_TYPE.fullmatch(str(values["oci_media_type"])):
        raise InvalidArgumentValueError("--oci-media-type {} is not a media type such as "
                                        "application/vnd.cncf.flux.content.v1.tar+gzip.".format(
                                            shown(values["oci_media_type"])))
    if given(values.get("service_account_name")):
        check_dns_subdomain(values["service_account_name"], "--service-account-name", "a service account name")
    provider = values.get("verification_provider")
    if given(provider) and str(provider) not in VERIFICATION_PROVIDERS:
        raise InvalidArgumentValueError("--verification-provider must be {}, not {}.".format(
            or_list(VERIFICATION_PROVIDERS), shown(provider)))
    if given(values.get("match_oidc_identity")):
        parse_match_oidc_identity(values["match_oidc_identity"])
    if given(values.get("verification_config")):
        parse_verification_config(values["verification_config"])
    if full and not given(provider) and (given(values.get("match_oidc_identity")) or
                                         given(values.get("verification_config"))):
        raise RequiredArgumentMissingError("--match-oidc-identity and --verification-config need "
                                           "--verification-provider (cosign or notation).")
    tls = {d: given(values.get(d)) for d in ("tls_client_certificate", "tls_private_key", "tls_ca_certificate")}
    if tls["tls_client_certificate"] and tls["tls_private_key"]:
        check_certificate_key_pair(_material(values, "tls_client_certificate", "the PEM certificate"),
                                   _material(values, "tls_private_key", "the PEM private key"),
                                   "--tls-client-certificate", "--tls-private-key")
    elif full and (tls["tls_client_certificate"] or tls["tls_private_key"]):
        raise RequiredArgumentMissingError("--tls-client-certificate and --tls-private-key go together: give both.")
    elif tls["tls_client_certificate"]:
        load_certificates(_material(values, "tls_client_certificate", "the PEM certificate"),
                          "--tls-client-certificate")
    if tls["tls_ca_certificate"]:
        check_ca_certificate(_material(values, "tls_ca_certificate", "the PEM CA certificate"), "--tls-ca-certificate")


def check_source(kind, values, *, full, current_url=None):
    """Check the source options for `kind` (git, bucket, azblob or oci); raise the first problem.

    full=True on create and on a kind change; full=False on a same-kind update, where
    `current_url` (the configuration's URL) helps to check auth/URL pairing when --url is not given.
    """
    if kind not in SOURCE_KINDS:
        raise InvalidArgumentValueError("--kind must be {}, not {}.".format(or_list(list(SOURCE_KINDS)), shown(kind)))
    present = {d for d in OPTION_NAMES if given(values.get(d))}
    extra = present - ALLOWED[kind]
    if extra:
        raise UnrecognizedArgumentError("{} cannot be used with --kind {}. Options for --kind {}: {}.".format(
            _opts(extra, values).replace(", ", " and ") if len(extra) == 2 else _opts(extra, values), kind, kind,
            _opts(ALLOWED[kind])))
    _check_nonempty(values, present)
    if full:
        missing = [d for d in REQUIRED[kind] if d not in present]
        if missing:
            raise RequiredArgumentMissingError("--kind {} needs {}.".format(
                kind, " and ".join(opt(d) for d in missing)))
    for dest in ("timeout", "sync_interval"):
        if dest in present:
            parse_duration(values[dest], opt(dest))
    if "local_auth_ref" in present:
        check_dns_subdomain(values["local_auth_ref"], "--local-auth-ref", "a secret name")
    url = values.get("url") if "url" in present else current_url
    if "url" in present:
        check_url(kind, values["url"])
    url = str(url) if url else None
    if kind == "git":
        _check_git(values, full, url)
    elif kind == "bucket":
        _check_bucket(values, full)
    elif kind == "azblob":
        _check_azblob(values, full)
    else:
        _check_oci(values, full)
