"""Checks of SSH private keys, known_hosts content, X.509 certificates and TLS keys.

Everything is parsed with `cryptography` (no paramiko, no pycryptodome).  Inputs are the *raw*
bytes (PEM / OpenSSH text, known_hosts text): callers decode the base64 value forms first
(`decode_base64`).  Errors are one-line azure-cli errors naming the option; they never contain key
material.

Decisions: SSH keys must be RSA, ECDSA (NIST P-256/384/521) or Ed25519, in PEM (PKCS#1, SEC1,
PKCS#8) or OpenSSH format, and unencrypted (Flux cannot prompt for a passphrase).  DSA keys, which
the original accepted, are rejected: OpenSSH, GitHub and Azure DevOps no longer accept them.
known_hosts host keys: ssh-rsa, ssh-ed25519 and ecdsa-sha2-nistp256/384/521, plus ssh-dss lines
(accepted as the original did; old `ssh-keyscan` output has them next to the keys Flux will use).
"""
import base64
import binascii
import re
import warnings

from azext_fluxlite.core.errors import InvalidArgumentValueError

from azext_fluxlite.core.display import or_list, shown

KNOWN_HOSTS_KEY_TYPES = ("ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
                         "ssh-rsa")
# Accepted in known_hosts as the original accepted them, though Flux will not use them: old
# `ssh-keyscan` output has ssh-dss lines next to the keys the server really offers.
LEGACY_HOST_KEY_TYPES = ("ssh-dss",)
_SSH_CURVES = {"secp256r1": 256, "secp384r1": 384, "secp521r1": 521}
_HASHED_HOST = re.compile(r"\|1\|[A-Za-z0-9+/=]+\|[A-Za-z0-9+/=]+")
_HOST_PATTERN = re.compile(r"!?(\[[A-Za-z0-9.:%*?_-]+\]:[0-9]+|[A-Za-z0-9.:%*?_-]+)")
_B64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")


def _as_bytes(data):
    if data is None:
        return b""
    if isinstance(data, str):
        try:
            return data.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            return data.encode("utf-8", "surrogatepass")
    return bytes(data)


def decode_base64(value, option, what="the value"):
    """Strictly decode base64 text (line breaks and spaces inside are ignored); returns bytes."""
    text = "".join(_as_bytes(value).decode("latin-1").split())
    if not text:
        raise InvalidArgumentValueError("{} is empty: give {} as base64 text.".format(option, what))
    if not _B64.fullmatch(text) or len(text) % 4:
        raise InvalidArgumentValueError(
            "{} is not valid base64: give {} base64-encoded (e.g. `base64 -w0 FILE`), or use @FILE to "
            "read the raw file.".format(option, what))
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidArgumentValueError("{} is not valid base64: check for a truncated value.".format(option)) \
            from None


def _key_name(key):
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
    if isinstance(key, rsa.RSAPrivateKey):
        return "RSA {}".format(key.key_size)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return "ECDSA P-{}".format(_SSH_CURVES.get(key.curve.name, key.curve.key_size))
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return "Ed25519"
    return None


def _load_private_key(data, option, what):
    """Load an unencrypted PEM/OpenSSH private key, or raise a clear error."""
    data = _as_bytes(data)
    head = data.lstrip()[:80]
    if not head:
        raise InvalidArgumentValueError("{} is empty: give {}.".format(option, what))
    if head.startswith((b"ssh-", b"ecdsa-", b"sk-")) or b"PUBLIC KEY-----" in head:
        raise InvalidArgumentValueError(
            "{} is a public key: give {} (e.g. ~/.ssh/id_ed25519, not the .pub file).".format(option, what))
    if head.startswith(b"PuTTY-User-Key-File"):
        raise InvalidArgumentValueError(
            "{} is a PuTTY key: convert it with `puttygen KEY.ppk -O private-openssh -o KEY` and give "
            "that file.".format(option))
    if b"ENCRYPTED" in data[:200] or b"Proc-Type: 4,ENCRYPTED" in data:
        raise InvalidArgumentValueError(_encrypted(option))
    openssh = b"-----BEGIN OPENSSH PRIVATE KEY-----" in data
    if not openssh and b"-----BEGIN" not in data:
        raise InvalidArgumentValueError(
            "{} is not a PEM or OpenSSH private key: give {} whose text starts with '-----BEGIN'.".format(
                option, what))
    from cryptography.hazmat.primitives import serialization   # imported when a key is read (keep --help light)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if openssh:
                return serialization.load_ssh_private_key(data, password=None)
            return serialization.load_pem_private_key(data, password=None)
    except TypeError:
        raise InvalidArgumentValueError(_encrypted(option)) from None
    except Exception:  # pylint: disable=broad-except  # any parse failure means bad input
        raise InvalidArgumentValueError(
            "{} cannot be parsed as {}: check that the whole key was given, unmodified, including the "
            "-----BEGIN/-----END lines.".format(option, what)) from None


def _encrypted(option):
    return ("{} is protected by a passphrase, but Flux needs an unencrypted key: remove the passphrase "
            "from a copy, e.g. `ssh-keygen -p -N \"\" -f KEY_COPY`, and give that.".format(option))


def check_ssh_private_key(pem_bytes, option="--ssh-private-key"):
    """Check an SSH private key (raw PEM or OpenSSH bytes); returns a description like 'Ed25519'."""
    from cryptography.hazmat.primitives.asymmetric import dsa, ec
    key = _load_private_key(pem_bytes, option, "an SSH private key")
    if isinstance(key, dsa.DSAPrivateKey):
        raise InvalidArgumentValueError(
            "{} is a DSA key, which Git servers no longer accept: use an Ed25519, ECDSA or RSA key "
            "(e.g. `ssh-keygen -t ed25519`).".format(option))
    name = _key_name(key)
    if name is None or (isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name not in _SSH_CURVES):
        raise InvalidArgumentValueError(
            "{} is not a supported SSH key type: use an Ed25519, ECDSA (P-256/384/521) or RSA key.".format(option))
    return name


def check_tls_private_key(pem_bytes, option="--tls-private-key"):
    """Check a TLS client private key (unencrypted PEM); returns the key object."""
    key = _load_private_key(pem_bytes, option, "a PEM private key")
    if _key_name(key) is None:
        raise InvalidArgumentValueError("{} is not an RSA, ECDSA or Ed25519 private key.".format(option))
    return key


def _host_error(option, number, host):
    return InvalidArgumentValueError(
        "{} line {}: the host list {} is not valid: give comma-separated host names or addresses "
        "(e.g. github.com,140.82.121.4 or [host]:2222), as `ssh-keyscan HOST` prints them.".format(
            option, number, shown(host, 40)))


def _scan_host(hosts):
    first = hosts.split(",")[0].lstrip("!")
    if first.startswith("|") or "*" in first or "?" in first or len(first) > 60:
        return "HOST"
    return first


def check_known_hosts(text, option="--known-hosts"):
    """Check known_hosts content (sshd(8) format); returns [(hosts, key_type), ...] per entry.

    Blank lines and '#' comments are skipped; `@cert-authority` / `@revoked` markers are allowed.
    Each entry needs a host list, a supported key type and a key blob that parses as that type.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidArgumentValueError("{} is not UTF-8 text: give known_hosts lines such as "
                                            "`ssh-keyscan github.com` prints.".format(option)) from None
    text = "" if text is None else str(text)
    entries = []
    for number, line in enumerate(text.splitlines(), 1):
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        if fields[0].startswith("@"):
            if fields[0] not in ("@cert-authority", "@revoked"):
                raise InvalidArgumentValueError(
                    "{} line {}: unknown marker {}: only @cert-authority and @revoked are allowed.".format(
                        option, number, shown(fields[0], 30)))
            fields = fields[1:]
        if len(fields) < 3:
            raise InvalidArgumentValueError(
                "{} line {} has {} field(s): each line needs HOSTS KEY-TYPE BASE64-KEY, e.g. "
                "`github.com ssh-ed25519 AAAA...` (run `ssh-keyscan HOST`).".format(option, number, len(fields)))
        hosts, key_type, blob = fields[0], fields[1], fields[2]
        for host in hosts.split(","):
            if not (_HASHED_HOST.fullmatch(host) or _HOST_PATTERN.fullmatch(host)):
                raise _host_error(option, number, hosts)
        if key_type not in KNOWN_HOSTS_KEY_TYPES + LEGACY_HOST_KEY_TYPES:
            raise InvalidArgumentValueError("{} line {}: key type {} is not supported: use {}.".format(
                option, number, shown(key_type, 40), or_list(KNOWN_HOSTS_KEY_TYPES)))
        try:
            raw = base64.b64decode(blob, validate=True)
            if len(blob) % 4:
                raise ValueError(blob)
            if key_type in LEGACY_HOST_KEY_TYPES:
                # The SSH wire form starts with its own length-prefixed type name.
                prefix = len(key_type).to_bytes(4, "big") + key_type.encode("ascii")
                if not raw.startswith(prefix) or len(raw) <= len(prefix):
                    raise ValueError(blob)
            else:
                from cryptography.hazmat.primitives import serialization
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    serialization.load_ssh_public_key("{} {}".format(key_type, blob).encode("ascii"))
        except Exception:  # pylint: disable=broad-except  # any parse failure means bad input
            raise InvalidArgumentValueError(
                "{} line {}: the key data is not a valid base64 {} public key: copy the line again from "
                "`ssh-keyscan {}`.".format(option, number, key_type, _scan_host(hosts))) from None
        if not raw:
            raise InvalidArgumentValueError("{} line {}: the key data is empty.".format(option, number))
        entries.append((hosts, key_type))
    if not entries:
        raise InvalidArgumentValueError(
            "{} contains no host keys: give known_hosts lines, e.g. the output of `ssh-keyscan github.com`.".format(
                option))
    return entries


def load_certificates(pem_bytes, option, what="a PEM certificate"):
    """Parse one or more PEM X.509 certificates; returns the list."""
    from cryptography import x509
    data = _as_bytes(pem_bytes)
    if not data.strip():
        raise InvalidArgumentValueError("{} is empty: give {}.".format(option, what))
    if b"-----BEGIN CERTIFICATE-----" not in data:
        if b"PRIVATE KEY-----" in data:
            raise InvalidArgumentValueError("{} is a private key, not {}.".format(option, what))
        try:
            x509.load_der_x509_certificate(data)
        except Exception:  # pylint: disable=broad-except
            raise InvalidArgumentValueError(
                "{} is not {}: the text must contain '-----BEGIN CERTIFICATE-----'.".format(option, what)) from None
        raise InvalidArgumentValueError(
            "{} is a DER (binary) certificate: convert it to PEM with `openssl x509 -inform der -in CERT "
            "-out cert.pem` and give that.".format(option))
    try:
        return x509.load_pem_x509_certificates(data)
    except Exception:  # pylint: disable=broad-except
        raise InvalidArgumentValueError(
            "{} contains a certificate that cannot be parsed: check that it was copied completely, "
            "including the -----BEGIN/-----END lines.".format(option)) from None


def check_ca_certificate(pem_bytes, option="--https-ca-cert"):
    """Check CA certificate(s) in PEM; returns the number of certificates."""
    return len(load_certificates(pem_bytes, option, "a PEM CA certificate"))


def check_certificate_key_pair(cert_pem, key_pem, cert_option, key_option):
    """Check that a client certificate and its private key parse and belong together."""
    cert = load_certificates(cert_pem, cert_option)[0]
    key = check_tls_private_key(key_pem, key_option)
    from cryptography.hazmat.primitives import serialization
    fmt = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    try:
        same = cert.public_key().public_bytes(*fmt) == key.public_key().public_bytes(*fmt)
    except Exception:  # pylint: disable=broad-except
        same = False
    if not same:
        raise InvalidArgumentValueError(
            "{} and {} do not belong together: the certificate's public key is not the key's. Give the "
            "private key of that certificate.".format(key_option, cert_option))
