"""SSH private keys, known_hosts and certificates, checked with cryptography."""
import pytest
from azext_fluxlite.core.errors import InvalidArgumentValueError

from azext_fluxlite.core.keys import (
    check_ca_certificate, check_certificate_key_pair, check_known_hosts, check_ssh_private_key,
    check_tls_private_key, decode_base64,
)

try:
    from . import keyfactory as kf
except ImportError:          # tests/unit is not a package: pytest put it on sys.path
    import keyfactory as kf


# -- SSH private keys ------------------------------------------------------------------------
@pytest.mark.parametrize("kind, name", [
    ("rsa", "RSA 2048"), ("ecdsa", "ECDSA P-256"), ("ecdsa384", "ECDSA P-384"), ("ecdsa521", "ECDSA P-521"),
    ("ed25519", "Ed25519"),
])
@pytest.mark.parametrize("fmt", ["pkcs8", "traditional", "openssh"])
def test_supported_keys_in_every_format(kind, name, fmt):
    if kind == "ed25519" and fmt == "traditional":
        pytest.skip("Ed25519 has no traditional PEM form")
    assert check_ssh_private_key(kf.pem(kind, fmt), "--ssh-private-key") == name


def test_key_as_str_and_without_trailing_newline():
    assert check_ssh_private_key(kf.pem("ed25519", "openssh").decode().rstrip("\n")) == "Ed25519"


@pytest.mark.parametrize("kind, fmt", [("rsa", "traditional"), ("rsa", "pkcs8"), ("ecdsa", "openssh"),
                                       ("ed25519", "openssh"), ("ed25519", "pkcs8")])
def test_encrypted_keys_say_flux_needs_an_unencrypted_key(kind, fmt):
    with pytest.raises(InvalidArgumentValueError) as err:
        check_ssh_private_key(kf.pem(kind, fmt, password=b"pass phrase"), "--ssh-private-key-file")
    message = str(err.value)
    assert message.startswith("--ssh-private-key-file is protected by a passphrase")
    assert "Flux needs an unencrypted key" in message and "ssh-keygen -p" in message


def test_dsa_and_other_curves_are_rejected():
    with pytest.raises(InvalidArgumentValueError, match="is a DSA key.*ssh-keygen -t ed25519"):
        check_ssh_private_key(kf.pem("dsa", "traditional"))
    with pytest.raises(InvalidArgumentValueError, match="not a supported SSH key type"):
        check_ssh_private_key(kf.pem("secp256k1", "pkcs8"))


@pytest.mark.parametrize("data, expected", [
    (b"", "is empty"),
    (b"   \n", "is empty"),
    (b"garbage", "not a PEM or OpenSSH private key"),
    (b"\x00\xff\x10binary", "not a PEM or OpenSSH private key"),
    (b"-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n", "cannot be parsed"),
    (b"-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n", "cannot be parsed"),
    (b"PuTTY-User-Key-File-3: ssh-ed25519\n", "puttygen"),
])
def test_bad_keys(data, expected):
    with pytest.raises(InvalidArgumentValueError) as err:
        check_ssh_private_key(data, "--ssh-private-key")
    assert str(err.value).startswith("--ssh-private-key ")
    assert expected in str(err.value)


def test_truncated_key():
    data = kf.pem("rsa", "traditional")
    with pytest.raises(InvalidArgumentValueError, match="cannot be parsed"):
        check_ssh_private_key(data[: len(data) // 2] + data[-30:])


def test_public_key_given_instead_of_private():
    with pytest.raises(InvalidArgumentValueError, match="is a public key.*not the .pub file"):
        check_ssh_private_key(kf.openssh_public("ed25519").encode())


def test_messages_never_contain_key_material():
    data = kf.pem("rsa", "traditional")
    with pytest.raises(InvalidArgumentValueError, match="cannot be parsed") as err:
        check_ssh_private_key(data[:200])       # a truncated key is rejected ...
    body = b"".join(data.splitlines()[1:-1]).decode()
    for start in range(0, 160, 20):             # ... and no part of it is quoted back
        assert body[start:start + 20] not in str(err.value)


# -- known_hosts -----------------------------------------------------------------------------
def test_known_hosts_like_ssh_keyscan_output():
    text = "\n".join([
        "# github.com:22 SSH-2.0-babeld",
        kf.known_hosts_line("github.com", "ed25519"),
        kf.known_hosts_line("github.com,140.82.121.4", "rsa"),
        kf.known_hosts_line("[ssh.example.com]:2222", "ecdsa"),
        kf.known_hosts_line("|1|F1E1KeoE/eEWhi10WpGv4OdiO6Y=|3988QV0VE8wmZL7suNrYQLITLCg=", "ecdsa384"),
        "@cert-authority *.example.com " + kf.openssh_public("ecdsa521"),
        kf.known_hosts_line("*.dev.azure.com,!evil.dev.azure.com", "ed25519") + " comment here",
        "",
    ])
    entries = check_known_hosts(text, "--known-hosts")
    assert [e[1] for e in entries] == ["ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
                                       "ecdsa-sha2-nistp521", "ssh-ed25519"]
    assert check_known_hosts(text.encode()) == entries


@pytest.mark.parametrize("line, expected", [
    ("github.com ssh-ed25519", "line 2 has 2 field(s)"),
    ("github.com", "line 2 has 1 field(s)"),
    ("github.com ssh-foo AAAA", "key type 'ssh-foo' is not supported"),
    ("github.com ssh-dss AAAA", "not a valid base64 ssh-dss public key"),
    ("github.com ssh-ed25519 not_base64!", "not a valid base64 ssh-ed25519 public key"),
    ("github.com ssh-ed25519 AAAA", "not a valid base64 ssh-ed25519 public key"),
    ("git hub ssh-ed25519 AAAA", "key type 'hub' is not supported"),
    ("gith\u00fcb.com ssh-ed25519 AAAA", "the host list"),
    ("a,,b ssh-ed25519 AAAA", "the host list"),
    ("@marker github.com ssh-ed25519 AAAA", "unknown marker '@marker'"),
])
def test_bad_known_hosts_lines(line, expected):
    text = kf.known_hosts_line("ok.example.com", "ed25519") + "\n" + line
    with pytest.raises(InvalidArgumentValueError) as err:
        check_known_hosts(text, "--known-hosts")
    assert str(err.value).startswith("--known-hosts ")
    assert expected in str(err.value)


def test_key_type_must_match_the_blob():
    blob = kf.openssh_public("ed25519").split()[1]
    with pytest.raises(InvalidArgumentValueError, match="not a valid base64 ssh-rsa public key"):
        check_known_hosts("github.com ssh-rsa " + blob)


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", None])
def test_no_host_keys(text):
    with pytest.raises(InvalidArgumentValueError, match="contains no host keys"):
        check_known_hosts(text, "--known-hosts-file")


def test_known_hosts_not_utf8():
    with pytest.raises(InvalidArgumentValueError, match="is not UTF-8 text"):
        check_known_hosts(b"\xff\xfe\x00", "--known-hosts-file")


# -- certificates ----------------------------------------------------------------------------
def test_ca_certificate_and_bundle():
    assert check_ca_certificate(kf.cert_pem()) == 1
    assert check_ca_certificate(kf.cert_pem() + kf.cert_pem("second", "rsa")) == 2
    assert check_ca_certificate(kf.cert_pem().decode()) == 1


@pytest.mark.parametrize("data, expected", [
    (b"", "is empty"),
    (b"not a cert", "is not a PEM CA certificate"),
    (b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "cannot be parsed"),
])
def test_bad_ca_certificates(data, expected):
    with pytest.raises(InvalidArgumentValueError) as err:
        check_ca_certificate(data, "--https-ca-cert")
    assert str(err.value).startswith("--https-ca-cert ")
    assert expected in str(err.value)


def test_der_certificate_gets_a_conversion_hint():
    with pytest.raises(InvalidArgumentValueError, match="DER .*openssl x509 -inform der"):
        check_ca_certificate(kf.cert_der(), "--https-ca-cert-file")


def test_private_key_instead_of_certificate():
    with pytest.raises(InvalidArgumentValueError, match="is a private key, not"):
        check_ca_certificate(kf.pem("rsa"), "--tls-ca-certificate")


def test_tls_client_pair():
    check_certificate_key_pair(kf.cert_pem("client", "rsa"), kf.pem("rsa"), "--tls-client-certificate",
                               "--tls-private-key")
    with pytest.raises(InvalidArgumentValueError, match="do not belong together"):
        check_certificate_key_pair(kf.cert_pem("client", "rsa"), kf.pem("ecdsa"), "--tls-client-certificate",
                                   "--tls-private-key")
    with pytest.raises(InvalidArgumentValueError, match="protected by a passphrase"):
        check_tls_private_key(kf.pem("ecdsa", password=b"x"))


# -- base64 ----------------------------------------------------------------------------------
def test_decode_base64():
    assert decode_base64(kf.b64(b"hello"), "--x") == b"hello"
    wrapped = kf.b64(b"x" * 100)
    wrapped = wrapped[:76] + "\n" + wrapped[76:]
    assert decode_base64(wrapped, "--x") == b"x" * 100
    for bad in ["abc", "a b c !", "====", "QUJD\u00e9"]:
        with pytest.raises(InvalidArgumentValueError, match=r"^--x is not valid base64"):
            decode_base64(bad, "--x")
    with pytest.raises(InvalidArgumentValueError, match=r"^--x is empty"):
        decode_base64("  ", "--x")


@pytest.mark.filterwarnings("ignore:SSH DSA")     # the test's own DSA key generation
def test_known_hosts_keeps_accepting_ssh_dss_lines_as_the_original_did():
    """Old `ssh-keyscan` output lists ssh-dss next to the keys a server really offers; the other lines work."""
    text = "\n".join([kf.known_hosts_line("git.example.com", "dsa"), kf.known_hosts_line("git.example.com", "ed25519")])
    assert [e[1] for e in check_known_hosts(text)] == ["ssh-dss", "ssh-ed25519"]
    dss_type, dss_blob = kf.openssh_public("dsa").split()[:2]
    rsa_blob = kf.openssh_public("rsa").split()[1]
    with pytest.raises(InvalidArgumentValueError, match="line 1: the key data is not a valid base64 ssh-dss"):
        check_known_hosts("git.example.com ssh-dss " + rsa_blob)     # an RSA key under the DSA type
    with pytest.raises(InvalidArgumentValueError, match="line 1: key type 'ssh-foo' is not supported"):
        check_known_hosts("git.example.com ssh-foo " + dss_blob)
    assert dss_type == "ssh-dss"
