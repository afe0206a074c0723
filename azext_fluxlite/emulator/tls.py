"""The emulator's own CA and loopback server certificate, and the CA bundle az is pointed at.

azure-core refuses bearer tokens over plain http, so the emulator speaks TLS.  On first start it
creates a private CA and a server certificate for 127.0.0.1 / localhost / ::1 signed by it, and
keeps both in the data directory so a restart (and every client that trusts the bundle) keeps
working.  The bundle is certifi's bundle (plus any CA file the environment already trusts) plus
the emulator CA: pointing REQUESTS_CA_BUNDLE at it keeps the real Azure (and PyPI, for
`az extension add`) reachable from the same shell.
"""
import datetime
import ipaddress
import os
import ssl

from .config import CA_BUNDLE_FILE, CA_CERT_FILE, CA_KEY_FILE, SERVER_CERT_FILE, SERVER_KEY_FILE

_SERVER_NAMES = ("localhost",)
_SERVER_IPS = ("127.0.0.1", "::1")
# The CA can only vouch for the loopback names (X.509 name constraints) and lives a month: a stolen
# ca-key.pem cannot sign for a real host, and an old bundle soon stops being trusted.
CA_LIFETIME = datetime.timedelta(days=30)
RENEW_BEFORE = datetime.timedelta(days=7)
_PERMITTED_NETWORKS = ("127.0.0.0/8", "::1/128")


def _write_private(path, data):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def _key_pem(key):
    from cryptography.hazmat.primitives import serialization
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _new_key():
    from cryptography.hazmat.primitives.asymmetric import ec
    return ec.generate_private_key(ec.SECP256R1())


def _create_ca(data_dir):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509.oid import NameOID

    key = _new_key()
    now = datetime.datetime.now(datetime.timezone.utc)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fluxlite emulator CA"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "fluxlite")])
    cert = (x509.CertificateBuilder()
            .subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + CA_LIFETIME)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.NameConstraints(
                permitted_subtrees=[x509.DNSName(n) for n in _SERVER_NAMES] +
                [x509.IPAddress(ipaddress.ip_network(n)) for n in _PERMITTED_NETWORKS],
                excluded_subtrees=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    _write_private(os.path.join(data_dir, CA_KEY_FILE), _key_pem(key))
    with open(os.path.join(data_dir, CA_CERT_FILE), "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    return key, cert


def _load_ca(data_dir):
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    with open(os.path.join(data_dir, CA_KEY_FILE), "rb") as f:
        key = serialization.load_pem_private_key(f.read(), password=None)
    with open(os.path.join(data_dir, CA_CERT_FILE), "rb") as f:
        cert = x509.load_pem_x509_certificate(f.read())
    return key, cert


def _create_server_cert(data_dir, ca_key, ca_cert):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = _new_key()
    now = datetime.datetime.now(datetime.timezone.utc)
    san = [x509.DNSName(n) for n in _SERVER_NAMES] + [x509.IPAddress(ipaddress.ip_address(i)) for i in _SERVER_IPS]
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(_expires(ca_cert))
            .add_extension(x509.SubjectAlternativeName(san), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    _write_private(os.path.join(data_dir, SERVER_KEY_FILE), _key_pem(key))
    with open(os.path.join(data_dir, SERVER_CERT_FILE), "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))


def _expires(cert):
    return cert.not_valid_after_utc if hasattr(cert, "not_valid_after_utc") else \
        cert.not_valid_after.replace(tzinfo=datetime.timezone.utc)


def _fresh(cert):
    return _expires(cert) - datetime.datetime.now(datetime.timezone.utc) > RENEW_BEFORE


def _ca_usable(ca_cert):
    """Constrained to the loopback names, short-lived and not about to expire (older data dirs had neither)."""
    from cryptography import x509
    try:
        ca_cert.extensions.get_extension_for_class(x509.NameConstraints)
    except x509.ExtensionNotFound:
        return False
    starts = ca_cert.not_valid_before_utc if hasattr(ca_cert, "not_valid_before_utc") else \
        ca_cert.not_valid_before.replace(tzinfo=datetime.timezone.utc)
    return _fresh(ca_cert) and _expires(ca_cert) - starts <= CA_LIFETIME + datetime.timedelta(minutes=10)


def _server_cert_usable(data_dir, ca_cert):
    from cryptography import x509
    try:
        with open(os.path.join(data_dir, SERVER_CERT_FILE), "rb") as f:
            cert = x509.load_pem_x509_certificate(f.read())
    except (OSError, ValueError):
        return False
    if not os.path.exists(os.path.join(data_dir, SERVER_KEY_FILE)) or cert.issuer != ca_cert.subject:
        return False
    try:
        cert.verify_directly_issued_by(ca_cert)
    except (ValueError, TypeError, AttributeError, Exception):      # noqa: BLE001 - any failure: make a new one
        return False
    return _fresh(cert)


def ensure_certificates(data_dir):
    """Create the CA (again when it is old or unconstrained), the server certificate and the CA bundle;
    return the bundle path."""
    os.makedirs(data_dir, mode=0o700, exist_ok=True)
    ca = None
    if os.path.exists(os.path.join(data_dir, CA_KEY_FILE)) and os.path.exists(os.path.join(data_dir, CA_CERT_FILE)):
        ca = _load_ca(data_dir)
    if ca is None or not _ca_usable(ca[1]):
        ca = _create_ca(data_dir)
    ca_key, ca_cert = ca
    if not _server_cert_usable(data_dir, ca_cert):
        _create_server_cert(data_dir, ca_key, ca_cert)
    return write_ca_bundle(data_dir)


def write_ca_bundle(data_dir):
    """certifi's bundle, any CA file this environment already trusts, then the emulator CA.

    Rewritten on every start (certifi may have moved).  Including REQUESTS_CA_BUNDLE /
    SSL_CERT_FILE / CURL_CA_BUNDLE keeps a corporate proxy's CA trusted once the exports replace
    REQUESTS_CA_BUNDLE with this bundle.
    """
    path = os.path.join(data_dir, CA_BUNDLE_FILE)
    sources = []
    try:
        import certifi
        sources.append(certifi.where())
    except ImportError:
        pass
    for var in ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "CURL_CA_BUNDLE"):
        value = os.environ.get(var)
        if value and os.path.isfile(value) and os.path.realpath(value) != os.path.realpath(path):
            sources.append(value)
    parts, seen = [], set()
    for source in sources:
        real = os.path.realpath(source)
        if real in seen:
            continue
        seen.add(real)
        try:
            with open(source, "rb") as f:
                parts.append(f.read().rstrip(b"\n") + b"\n")
        except OSError:
            continue
    with open(os.path.join(data_dir, CA_CERT_FILE), "rb") as f:
        parts.append(b"# fluxlite emulator CA\n" + f.read())
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(b"\n".join(parts))
    os.replace(tmp, path)
    return path


def server_context(data_dir):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(os.path.join(data_dir, SERVER_CERT_FILE), os.path.join(data_dir, SERVER_KEY_FILE))
    return context
