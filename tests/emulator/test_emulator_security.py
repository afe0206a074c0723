"""The emulator's security review (issue 9): token audience and tenant, a signing key that is never printed,
authentication before the body is read, body and nesting limits, resource names, absolute URLs from the
listening address, a constrained short-lived CA, private files, and GETs whose cost does not depend on
the siblings stored."""
import json
import os
import socket
import ssl
import stat
import time

import requests

from azext_fluxlite.emulator import store as store_module
from azext_fluxlite.emulator.auth import issue_token
from .emulator_harness import ARC, EXT_API, KC, TUTORIAL_URL, ext_path, flux_body, flux_path


def _token(emu, **claims):
    now = int(time.time())
    base = {"aud": emu.base + "/", "tid": emu.app.settings.tenant_id, "oid": "o", "idtyp": "app",
            "iat": now, "nbf": now, "exp": now + 3600}
    base.update(claims)
    return issue_token(emu.signing_key, base)


def _get(emu, token, path=None):
    return requests.get(emu.base + (path or flux_path()), params={"api-version": "2025-04-01"},
                        headers={"Authorization": "Bearer " + token}, verify=emu.bundle, timeout=30)


def test_tokens_for_another_audience_or_tenant_are_refused(emulator):
    vault = requests.get(emulator.base + "/msi/token", params={"api-version": "2019-08-01",
                                                               "resource": "https://vault.azure.net"},
                         headers={"X-IDENTITY-HEADER": emulator.secret}, verify=emulator.bundle).json()
    res = _get(emulator, vault["access_token"])
    assert res.status_code == 401 and res.json()["error"]["code"] == "InvalidAuthenticationTokenAudience"
    assert "https://vault.azure.net" in res.json()["error"]["message"]
    res = _get(emulator, _token(emulator, tid="00000000-0000-0000-0000-000000000bad"))
    assert res.status_code == 401 and res.json()["error"]["code"] == "InvalidAuthenticationTokenTenant"
    # ARM's own audiences and the emulator's endpoint (with or without the slash) are accepted.
    for aud in ("https://management.azure.com/", "https://management.core.windows.net/", emulator.base):
        assert _get(emulator, _token(emulator, aud=aud)).status_code == 404      # authenticated; no such config


def test_the_identity_header_is_not_the_signing_key(emulator):
    assert emulator.secret != emulator.signing_key
    forged = issue_token(emulator.secret, {"aud": emulator.base + "/", "tid": emulator.app.settings.tenant_id,
                                           "exp": int(time.time()) + 3600})
    res = _get(emulator, forged)
    assert res.status_code == 401 and res.json()["error"]["code"] == "InvalidAuthenticationToken"
    assert _get(emulator, _token(emulator)).status_code == 404
    # Nothing the emulator prints or records for clients holds the key.
    info = emulator.control("GET", "info").text
    assert emulator.signing_key not in info and emulator.secret not in info


def _raw(emu, head):
    """Send a raw HTTP head over TLS and return the status line and headers (no body is ever sent)."""
    context = ssl.create_default_context(cafile=emu.bundle)
    with socket.create_connection(("127.0.0.1", emu.port), timeout=20) as plain:
        with context.wrap_socket(plain, server_hostname="127.0.0.1") as conn:
            conn.sendall(head.encode("ascii"))
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                data += chunk
    return data.decode("latin-1")


def test_unauthenticated_requests_are_refused_before_the_body_is_read(emulator):
    # 50 MB announced and never sent: the 401 comes at once (reading the body first would wait forever).
    answer = _raw(emulator, "PUT {}?api-version=2025-04-01 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            "Content-Type: application/json\r\nContent-Length: 50000000\r\n\r\n".format(flux_path()))
    assert answer.startswith("HTTP/1.1 401"), answer
    assert "connection: close" in answer.lower()


def test_bodies_over_the_limit_get_413(emulator):
    token = emulator.session.headers["Authorization"]
    answer = _raw(emulator, "PUT {}?api-version=2025-04-01 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {}\r\n"
                            "Content-Length: 50000000\r\n\r\n".format(flux_path(), token))
    assert answer.startswith("HTTP/1.1 413"), answer
    assert "requestentitytoolarge" in answer.lower() or "connection: close" in answer.lower()
    assert emulator.get(flux_path()).status_code == 404


def test_malformed_and_deeply_nested_json_get_400(emulator):
    for payload in (b"{not json", b"\xff\xfe", b"[" * 100000 + b"]" * 100000,
                    json.dumps({"properties": {"a": json.loads("[" * 70 + "]" * 70)}}).encode()):
        res = emulator.session.put(emulator.base + flux_path(), params={"api-version": "2025-04-01"}, data=payload,
                                   headers={"Content-Type": "application/json"}, verify=emulator.bundle)
        assert res.status_code == 400, (payload[:20], res.text[:200])
        assert res.json()["error"]["code"] == "InvalidRequestContent"
    assert emulator.get(flux_path()).status_code == 404


def test_extension_names_are_validated(emulator):
    for name in ("a%2F..%2F..%2Fb", "-lead", "trail-", "sp%20ace", "x" * 254):
        res = emulator.put("{}{}/extensions/{}".format(ARC, KC, name), {"properties": {
            "extensionType": "microsoft.flux"}}, api=EXT_API)
        assert res.status_code == 400, (name, res.text)
        assert res.json()["error"]["code"] == "ValidationFailed"
    assert emulator.get(ARC + KC + "/extensions", api=EXT_API).json() == {"value": []}
    assert emulator.put(ext_path("Flux_1.x"), {"properties": {"extensionType": "microsoft.flux"}},
                        api=EXT_API).status_code == 201


def test_operation_urls_use_the_listening_address_not_the_host_header(emulator):
    res = emulator.put(flux_path(), flux_body(), headers={"Host": "127.0.0.1:1"})
    assert res.status_code == 201
    for header in ("Azure-AsyncOperation", "Location"):
        assert res.headers[header].startswith(emulator.base + "/subscriptions/"), res.headers[header]
    listed = emulator.get(ARC + KC + "/fluxConfigurations", headers={"Host": "localhost:1"})
    assert listed.status_code == 200


def test_the_ca_is_constrained_to_loopback_names_and_short_lived(emulator):
    from cryptography import x509
    with open(os.path.join(emulator.data_dir, "ca.pem"), "rb") as f:
        ca = x509.load_pem_x509_certificate(f.read())
    constraints = ca.extensions.get_extension_for_class(x509.NameConstraints)
    assert constraints.critical
    permitted = {str(n.value) for n in constraints.value.permitted_subtrees}
    assert permitted == {"localhost", "127.0.0.0/8", "::1/128"}
    assert (ca.not_valid_after_utc - ca.not_valid_before_utc).days <= 31


def test_an_old_unconstrained_ca_is_replaced_on_start(make_emulator, monkeypatch):
    import datetime
    from cryptography import x509
    from azext_fluxlite.emulator import tls
    emu = make_emulator()
    emu.stop()
    with open(os.path.join(emu.data_dir, "ca.pem"), "rb") as f:
        first = x509.load_pem_x509_certificate(f.read())
    monkeypatch.setattr(tls, "CA_LIFETIME", datetime.timedelta(days=3650))
    tls._create_ca(emu.data_dir)              # what a data dir from an older version holds
    monkeypatch.undo()
    emu.start()
    with open(os.path.join(emu.data_dir, "ca.pem"), "rb") as f:
        current = x509.load_pem_x509_certificate(f.read())
    assert current.serial_number != first.serial_number
    assert (current.not_valid_after_utc - current.not_valid_before_utc).days <= 31
    assert emu.get(flux_path()).status_code == 404        # the new chain is trusted through the rewritten bundle


def test_state_files_are_private_and_an_existing_data_dir_is_tightened(make_emulator, tmp_path):
    data = tmp_path / "data0"
    data.mkdir(mode=0o755)
    os.chmod(str(data), 0o755)
    emu = make_emulator()
    assert emu.data_dir == str(data)
    emu.wait(emu.put(flux_path(), flux_body()))
    assert stat.S_IMODE(os.stat(str(data)).st_mode) == 0o700
    for name in ("state.sqlite", "state.sqlite-wal", "state.sqlite-shm", "secret", "signing-key", "ca-key.pem",
                 "server-key.pem"):
        path = data / name
        assert path.exists(), name
        assert stat.S_IMODE(os.stat(str(path)).st_mode) == 0o600, name


def test_a_get_reads_no_sibling_configuration(make_emulator, example_repo, monkeypatch):
    """Reading (and reconciling) one configuration decodes the same rows however many siblings exist."""
    def decoded_rows_for_first_get(siblings):
        emu = make_emulator(operation_seconds=0, source_map=["{}={}".format(TUTORIAL_URL, example_repo)])
        emu.install_flux()
        for i in range(siblings):
            emu.put(flux_path("sibling-{}".format(i)), flux_body())
            assert emu.get(flux_path("sibling-{}".format(i))).json()["properties"]["complianceState"] == "Compliant"
        emu.put(flux_path("target"), flux_body())
        calls = []
        original = store_module._record

        def counting(row):
            calls.append(row[0] if row else None)
            return original(row)

        monkeypatch.setattr(store_module, "_record", counting)
        props = emu.get(flux_path("target")).json()["properties"]
        monkeypatch.setattr(store_module, "_record", original)
        assert props["complianceState"] == "Compliant", props["errorMessage"]
        assert not [c for c in calls if c and "sibling-" in c], calls
        return len(calls)

    assert decoded_rows_for_first_get(0) == decoded_rows_for_first_get(12)


def test_a_client_that_sends_its_whole_body_first_still_reads_the_401_or_413(emulator):
    # requests (and az) write the whole body before reading: it must get the answer, not a connection reset.
    big = b" " * (5 * 1024 * 1024)
    res = emulator.session.put(emulator.base + flux_path(), params={"api-version": "2025-04-01"}, data=big,
                               headers={"Content-Type": "application/json"}, verify=emulator.bundle)
    assert res.status_code == 413 and res.json()["error"]["code"] == "RequestEntityTooLarge"
    res = requests.put(emulator.base + flux_path(), params={"api-version": "2025-04-01"}, data=big,
                       headers={"Content-Type": "application/json"}, verify=emulator.bundle, timeout=30)
    assert res.status_code == 401
    assert emulator.get(flux_path()).status_code == 404
