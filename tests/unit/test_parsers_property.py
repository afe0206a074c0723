"""Property: whatever a user types, parsers and validators either accept it or raise an azure-cli
error (FluxliteError) with a one-line message - never another exception, never a secret in the text."""
import string

from azext_fluxlite.core.errors import FluxliteError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from azext_fluxlite.core.durations import format_duration, parse_duration
from azext_fluxlite.core.keys import (
    check_ca_certificate, check_known_hosts, check_ssh_private_key, decode_base64,
)
from azext_fluxlite.flux.kustomizations import (
    check_dependency_graph, check_kustomization_set, parse_bool, parse_depends_on, parse_kustomization,
)
from azext_fluxlite.core.names import check_config_name, check_kustomization_name, check_namespace
from azext_fluxlite.flux.source import (
    ALLOWED, OPTION_NAMES, SECRET_DESTS, build_source_block, build_source_patch, check_source,
)

try:
    from . import keyfactory as kf
except ImportError:          # tests/unit is not a package: pytest put it on sys.path
    import keyfactory as kf

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Arbitrary text, including what argv can carry after surrogateescape decoding.
TEXT = st.text(alphabet=st.one_of(st.characters(), st.sampled_from("\udc80\udcff\x00\n\r\t =,[]\"'")),
               max_size=40)
# Text biased towards the grammar of the parsers, to get past the first checks.
NEAR = st.text(alphabet=string.ascii_lowercase[:8] + "hms0123456789-.=,[]\" _AZ", max_size=20)
ANY = st.one_of(TEXT, NEAR)


def az_error_or_ok(call, *args, secrets=(), **kwargs):
    try:
        return call(*args, **kwargs)
    except FluxliteError as err:
        message = str(err)
        assert "\n" not in message and "\r" not in message, message
        assert len(message) < 1200, message
        for secret in secrets:
            assert secret not in message, (secret, message)
        return None


@SETTINGS
@given(value=ANY)
def test_scalar_parsers(value):
    seconds = az_error_or_ok(parse_duration, value, "--timeout")
    if seconds is not None:
        assert seconds > 0
        assert parse_duration(format_duration(seconds), "--timeout") == seconds
    az_error_or_ok(parse_bool, value, "-k prune")
    deps = az_error_or_ok(parse_depends_on, value, "-k dependsOn")
    if deps:
        assert all(d and d == d.strip() for d in deps) and len(set(deps)) == len(deps)
    for check in (check_config_name, check_kustomization_name, check_namespace):
        az_error_or_ok(check, value)
    az_error_or_ok(check_kustomization_name, value, "c" * 20)


@SETTINGS
@given(tokens=st.lists(st.one_of(ANY, st.builds("{}={}".format, st.sampled_from(
    ["name", "path", "dependsOn", "depends-on", "timeout", "interval", "retry_interval", "prune", "force",
     "disable-health-check", "wait", "Prune", "bogus"]), ANY)), max_size=6))
def test_kustomization_tokens(tokens):
    body = az_error_or_ok(parse_kustomization, tokens, "-k")
    if body is not None:
        assert "name" in body
        az_error_or_ok(check_kustomization_set, [body, dict(body, name="other")], "cfg")


@SETTINGS
@given(graph=st.dictionaries(st.sampled_from("abcdef"), st.lists(st.sampled_from("abcdefg"), max_size=4),
                             max_size=6),
       focus=st.one_of(st.none(), st.lists(st.sampled_from("abcdefg"), max_size=3)))
def test_dependency_graphs(graph, focus):
    az_error_or_ok(check_dependency_graph, graph, "--kustomization", focus)


@SETTINGS
@given(data=st.one_of(st.binary(max_size=300), TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")),
                      st.sampled_from([b"-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----",
                                       b"-----BEGIN CERTIFICATE-----\n\n-----END CERTIFICATE-----",
                                       b"-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI\n-----END PRIVATE KEY-----",
                                       b"github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI",
                                       b"@cert-authority * ssh-rsa AAAAB3NzaC1yc2EAAAADAQAB"])))
def test_key_material(data):
    az_error_or_ok(check_ssh_private_key, data, "--ssh-private-key")
    az_error_or_ok(check_ca_certificate, data, "--https-ca-cert")
    az_error_or_ok(check_known_hosts, data, "--known-hosts")
    az_error_or_ok(decode_base64, data, "--x")
    text = data.decode("latin-1")
    az_error_or_ok(check_known_hosts, text, "--known-hosts")
    az_error_or_ok(decode_base64, text, "--x")


_BOOLS = {"bucket_insecure", "sp_client_cert_send_chain", "use_workload_identity", "oci_insecure"}
_DESTS = sorted(d for d in OPTION_NAMES if not d.endswith("_file"))
_URLS = st.sampled_from(["https://h/r", "http://h", "ssh://git@h/r", "git@h:r", "oci://r/x", "s3://b", "",
                         "https://u:p@h", "HTTPS://H"])


_PLAUSIBLE = st.from_regex(r"[a-z0-9][a-z0-9.-]{0,10}[a-z0-9]", fullmatch=True)
_MATERIAL = {
    "ssh_private_key": [kf.pem("ed25519", "openssh"), kf.pem("ecdsa", "openssh", password=b"x")],
    "known_hosts": [kf.known_hosts_line("github.com", "ed25519").encode(), b"github.com ssh-rsa AAAA"],
    "https_ca_cert": [kf.cert_pem()], "tls_ca_certificate": [kf.cert_pem()],
    "tls_client_certificate": [kf.cert_pem("client", "ecdsa")], "tls_private_key": [kf.pem("ecdsa")],
    "sp_client_cert": [kf.cert_pem()], "account_key": [b"account-key"],
}
_SPECIAL = {
    "sp_client_id": st.sampled_from(["11111111-2222-3333-4444-555555555555", "cid"]),
    "mi_client_id": st.sampled_from(["11111111-2222-3333-4444-555555555555", "mid"]),
    "digest": st.sampled_from(["sha256:" + "a" * 64, "sha256:x", "md5"]),
    "provider": st.sampled_from(["generic", "Azure", "github"]),
    "oci_operation": st.sampled_from(["extract", "COPY", "move"]),
    "oci_media_type": st.sampled_from(["application/vnd.cncf.flux.content.v1.tar+gzip", "x"]),
    "verification_provider": st.sampled_from(["cosign", "notation", "gpg"]),
    "match_oidc_identity": st.sampled_from([['{"issuer":"i","subject":"s"}'], [{"issuer": "i", "subject": "s"}],
                                            ["{}"], '{"issuer":"i","subject":"s"}']),
    "verification_config": st.sampled_from([["k=v"], {"k": "v"}, ["k"], "a=b"]),
    "timeout": st.sampled_from(["1m", "90", "5ms", 30]), "sync_interval": st.sampled_from(["1h2m", "0s"]),
}


_SOME = ANY.filter(lambda t: t.strip())


def _value(dest):
    if dest in _BOOLS:
        return st.one_of(st.booleans(), st.none(), st.sampled_from(["true", "No", "maybe"]), ANY)
    if dest == "url":
        return st.one_of(_URLS, _URLS, _URLS, ANY)
    options = [st.none(), st.none(), _SOME]
    if dest in _MATERIAL:
        options.append(st.sampled_from([kf.b64(m) for m in _MATERIAL[dest]]))
    if dest in _SPECIAL:
        options.append(_SPECIAL[dest])
    if dest in SECRET_DESTS:
        options.append(ANY.map(lambda t: "Zq9~secret~" + t))
        options.append(st.just(""))
    if dest in ("match_oidc_identity", "verification_config"):
        options.append(st.lists(ANY, max_size=2))
    else:
        options.append(_PLAUSIBLE)
    return st.one_of(*options)


@SETTINGS
@given(data=st.data(), kind=st.sampled_from(["git", "bucket", "azblob", "oci", "helm"]), full=st.booleans(),
       current_url=st.one_of(st.none(), _URLS), foreign=st.booleans())
def test_check_source_with_random_values(data, kind, full, current_url, foreign):
    # Mostly options of the kind itself, so the checks get past the allowed-options rule.
    dests = _DESTS if foreign or kind not in ALLOWED else sorted(d for d in ALLOWED[kind] if d in _DESTS)
    values = data.draw(st.fixed_dictionaries({}, optional={d: _value(d) for d in dests}))
    secrets = [v for d, v in values.items() if d in SECRET_DESTS and isinstance(v, str) and "Zq9~secret~" in v]
    try:
        check_source(kind, values, full=full, current_url=current_url)
    except FluxliteError as err:
        az_error_or_ok(lambda: (_ for _ in ()).throw(err), secrets=secrets)
        return
    # Whatever passes the checks must build without error.
    build_source_block(kind, values, creating=full)
    build_source_patch(kind, values, kind_changed=full)
