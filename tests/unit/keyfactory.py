"""Real keys and certificates for the tests (generated once per session, never written to disk)."""
import base64
import datetime
import functools

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519, rsa
from cryptography.x509.oid import NameOID

ENC = serialization.Encoding
FMT = serialization.PrivateFormat
NOENC = serialization.NoEncryption()


@functools.lru_cache(maxsize=None)
def private_key(kind):
    if kind == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if kind == "ecdsa":
        return ec.generate_private_key(ec.SECP256R1())
    if kind == "ecdsa384":
        return ec.generate_private_key(ec.SECP384R1())
    if kind == "ecdsa521":
        return ec.generate_private_key(ec.SECP521R1())
    if kind == "ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    if kind == "dsa":
        return dsa.generate_private_key(key_size=1024)
    if kind == "secp256k1":
        return ec.generate_private_key(ec.SECP256K1())
    raise ValueError(kind)


def pem(kind, fmt="pkcs8", password=None):
    """Private key bytes: fmt 'pkcs8', 'traditional' (PKCS#1 / SEC1) or 'openssh'."""
    encryption = serialization.BestAvailableEncryption(password) if password else NOENC
    fmt = {"pkcs8": FMT.PKCS8, "traditional": FMT.TraditionalOpenSSL, "openssh": FMT.OpenSSH}[fmt]
    return private_key(kind).private_bytes(ENC.PEM, fmt, encryption)


def openssh_public(kind):
    """'ssh-ed25519 AAAA...' for the key."""
    return private_key(kind).public_key().public_bytes(ENC.OpenSSH, serialization.PublicFormat.OpenSSH).decode()


def known_hosts_line(host, kind):
    key_type, blob = openssh_public(kind).split()[:2]
    return "{} {} {}".format(host, key_type, blob)


@functools.lru_cache(maxsize=None)
def certificate(common_name="fluxlite test CA", kind="ecdsa"):
    key = private_key(kind)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    algorithm = None if kind == "ed25519" else hashes.SHA256()
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, algorithm))


def cert_pem(common_name="fluxlite test CA", kind="ecdsa"):
    return certificate(common_name, kind).public_bytes(ENC.PEM)


def cert_der(common_name="fluxlite test CA", kind="ecdsa"):
    return certificate(common_name, kind).public_bytes(ENC.DER)


def b64(data):
    if isinstance(data, str):
        data = data.encode()
    return base64.b64encode(data).decode()
