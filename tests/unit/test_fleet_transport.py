"""fleet/transport.py: one pool, and 429 answers slow the whole run down instead of failing clusters."""
import time

import responses

from azext_fluxlite.core.arm import ArmClient, sdk_client_factory
from azext_fluxlite.fleet.selection import parse_cluster_id
from azext_fluxlite.fleet.transport import FleetConnection, ThrottleGate
from tests.fakeclock import FakeClock

ARM = "https://management.azure.com"
CLUSTER = "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Kubernetes/connectedClusters/c1"
CONFIG = ARM + CLUSTER + "/providers/Microsoft.KubernetesConfiguration/fluxConfigurations/cfg"


class Credential:
    def get_token(self, *scopes, **kwargs):
        from azure.core.credentials import AccessToken
        return AccessToken("t", int(time.time()) + 3600)


def _arm(connection):
    return ArmClient(lambda: (Credential(), "s1"), ARM,
                     client_factory=sdk_client_factory(ARM, **connection.client_kwargs()))


def test_gate_holds_every_request_until_the_retry_after_has_passed():
    fake = FakeClock(1000.0)
    gate = ThrottleGate(clock=fake, sleep=fake.sleep)
    gate.hold(5)
    gate.hold(2)            # a shorter hold does not shorten the first
    gate.wait()
    assert fake.sleeps == [5]
    gate.wait()             # over: no more waiting
    assert fake.sleeps == [5] and gate.throttled == 2


def test_a_429_with_retry_after_is_waited_out_and_sent_again(caplog):
    fake = FakeClock(1000.0)
    connection = FleetConnection(gate=ThrottleGate(clock=fake, sleep=fake.sleep))
    arm = _arm(connection)
    with responses.RequestsMock() as mock:
        mock.add(responses.GET, CONFIG, status=429, headers={"Retry-After": "7"},
                 json={"error": {"code": "TooManyRequests", "message": "slow down"}})
        mock.add(responses.GET, CONFIG, json={"name": "cfg", "properties": {"provisioningState": "Succeeded"}})
        config = arm.get_flux(parse_cluster_id(CLUSTER), "cfg")
        assert len(mock.calls) == 2
    assert config["properties"]["provisioningState"] == "Succeeded"
    assert fake.sleeps == [7.0]
    assert connection.gate.throttled == 1
    assert [r.getMessage() for r in caplog.records if "throttling" in r.getMessage()] == [
        "Azure Resource Manager is throttling requests (429): the whole run waits 7s as asked, then goes on; "
        "throttled requests are sent again."]


def test_a_429_without_retry_after_backs_off_and_grows():
    fake = FakeClock(1000.0)
    connection = FleetConnection(gate=ThrottleGate(clock=fake, sleep=fake.sleep))
    arm = _arm(connection)
    with responses.RequestsMock() as mock:
        for _ in range(3):
            mock.add(responses.GET, CONFIG, status=429, json={"error": {"code": "TooManyRequests", "message": "x"}})
        mock.add(responses.GET, CONFIG, json={"name": "cfg", "properties": {}})
        arm.get_flux(parse_cluster_id(CLUSTER), "cfg")
    assert fake.sleeps == [1.0, 2.0, 4.0]


def test_every_client_of_a_run_shares_one_transport():
    connection = FleetConnection()
    arm = _arm(connection)
    flux, extensions = arm.flux, arm.extensions
    assert flux._client._pipeline._transport is connection.transport      # pylint: disable=protected-access
    assert extensions._client._pipeline._transport is connection.transport  # pylint: disable=protected-access


def test_tls_context_is_built_once_per_ca_bundle_and_still_verifies(tmp_path):
    import certifi
    from concurrent.futures import ThreadPoolExecutor
    from azure.core.exceptions import ServiceRequestError
    from azure.core.pipeline.transport import HttpRequest
    from tests.emulator.emulator_harness import Emu
    emu = Emu(tmp_path / "emu", cluster=[])
    try:
        transport = FleetConnection(connection_verify=emu.bundle).transport
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda _: transport.send(HttpRequest("GET", emu.base + "/_emulator/health")),
                                    range(16)))
        assert {a.status_code for a in answers} == {200}
        adapter = transport.session.get_adapter(emu.base)
        assert list(adapter._contexts) == [emu.bundle]          # pylint: disable=protected-access
        pools = list(adapter.poolmanager.pools._container.values())  # pylint: disable=protected-access
        shared = adapter._contexts[emu.bundle]                  # pylint: disable=protected-access
        assert pools and all(p.ca_certs is None and p.conn_kw.get("ssl_context") is shared for p in pools)
        wrong = FleetConnection(connection_verify=certifi.where()).transport
        try:
            wrong.send(HttpRequest("GET", emu.base + "/_emulator/health"))
            raise AssertionError("a server the CA bundle does not vouch for was accepted")
        except ServiceRequestError as exc:
            assert "CERTIFICATE_VERIFY_FAILED" in str(exc)
    finally:
        emu.stop()
