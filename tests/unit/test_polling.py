"""How soon a long-running operation's completion is seen, and at what cost in polls.

An ArmClient built without az (the Python API's path) follows operations that `responses` answers
on a fake clock: the operation is done once the clock has reached its duration, and every sleep
of the poller advances the clock instead of waiting.  So the tests measure, without waiting, the
lateness (clock when completion was seen minus the duration) and the number of polls.
"""
import json

import pytest
import responses

from azext_fluxlite.core import polling
from azext_fluxlite.core.arm import ArmClient
from azext_fluxlite.core.cluster import ClusterRef
from tests.fakeclock import FakeClock

ARM = "https://management.azure.com"
SUB = "00000000-0000-0000-0000-000000000000"
CLUSTER = ClusterRef(SUB, "rg1", "Microsoft.Kubernetes", "connectedClusters", "c1")
CONFIG = ARM + CLUSTER.child_path("fluxConfigurations", "cfg")
OP = CONFIG + "/operations/op1"


class _Token:
    def __init__(self):
        self.token, self.expires_on = "t", 2 ** 31

    def get_token(self, *_scopes, **_kwargs):
        from azure.core.credentials import AccessToken
        return AccessToken("t", 2 ** 31)


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(polling, "clock", fake)
    monkeypatch.setattr(polling, "sleep", fake.sleep)
    return fake


def _operation(mock, clock, duration, retry_after=None):
    """A PUT whose operation succeeds once the fake clock reaches `duration`; returns the poll times."""
    polls = []
    headers = {"Azure-AsyncOperation": OP + "?api-version=2025-04-01"}
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    mock.add(responses.PUT, CONFIG, json={"id": CONFIG[len(ARM):], "properties": {"provisioningState": "Creating"}},
             status=201, headers=headers)

    def answer(_request):
        polls.append(clock.now)
        status = "Succeeded" if clock.now >= duration else "Running"
        return 200, ({"Retry-After": str(retry_after)} if retry_after is not None else {}), json.dumps(
            {"status": status, "name": "op1"})

    mock.add_callback(responses.GET, OP, callback=answer)
    mock.add(responses.GET, CONFIG, json={"id": CONFIG[len(ARM):], "properties": {"provisioningState": "Succeeded"}})
    return polls


def _follow(duration, clock, retry_after=None):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        polls = _operation(mock, clock, duration, retry_after)
        client = ArmClient(lambda: (_Token(), SUB))
        result = client.put_flux(CLUSTER, "cfg", {"properties": {}})
    assert result["properties"]["provisioningState"] == "Succeeded"
    return polls


@pytest.mark.parametrize("duration", [0.2, 1.0, 2.0, 3.0, 3.5, 5.0])
def test_a_short_operation_is_seen_done_at_most_half_a_second_late(clock, duration):
    polls = _follow(duration, clock)
    assert polls[-1] - duration <= 0.5
    assert polls[0] == 0.0                      # the first poll does not wait


@pytest.mark.parametrize("duration", [8.0, 20.0, 45.0, 120.0, 600.0])
def test_a_longer_operation_is_seen_done_within_a_tenth_of_its_duration(clock, duration):
    polls = _follow(duration, clock)
    assert polls[-1] - duration <= max(0.5, min(0.1 * duration, 10.0))
    assert all(0.5 <= delay <= 10.0 for delay in clock.sleeps)


@pytest.mark.parametrize("duration,most", [(3.0, 7), (20.0, 26), (120.0, 45), (600.0, 93)])
def test_polls_stay_few(clock, duration, most):
    assert len(_follow(duration, clock)) <= most


def test_retry_after_wins_over_the_schedule(clock):
    polls = _follow(9.0, clock, retry_after=4)
    assert clock.sleeps == [4.0, 4.0, 4.0]
    assert polls == [0.0, 4.0, 8.0, 12.0]


def test_the_schedule_grows_from_half_a_second_to_ten():
    import itertools
    delays = list(itertools.islice(polling.backoff_delays(), 80))
    assert delays[:10] == [0.5] * 10            # 5 s at 0.5 s
    assert delays[10] == pytest.approx(0.5)     # a tenth of 5 s
    assert delays[11] == pytest.approx(0.55)
    assert all(b >= a for a, b in zip(delays, delays[1:]))
    assert delays[-1] == 10.0
    assert polling.next_delay(0) == 0.5 and polling.next_delay(30) == pytest.approx(3.0)
    assert polling.next_delay(100) == 10.0 and polling.next_delay(5000) == 10.0


def test_a_failed_poll_is_tried_again_before_the_command_gives_up(clock, monkeypatch):
    from azure.core.pipeline.transport import RequestsTransport
    monkeypatch.setattr(RequestsTransport, "sleep", lambda self, s: None)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(responses.PUT, CONFIG, json={"id": "x", "properties": {}}, status=201,
                 headers={"Azure-AsyncOperation": OP + "?api-version=2025-04-01"})
        mock.add(responses.GET, OP, status=503, json={"error": {"code": "ServiceUnavailable", "message": "down"}})
        for _ in range(3):      # 4 tries of the pipeline for the first failed poll
            mock.add(responses.GET, OP, status=503, json={"error": {"code": "ServiceUnavailable", "message": "down"}})
        mock.add(responses.GET, OP, json={"status": "Succeeded"})
        mock.add(responses.GET, CONFIG, json={"id": "x", "properties": {"provisioningState": "Succeeded"}})
        result = ArmClient(lambda: (_Token(), SUB)).put_flux(CLUSTER, "cfg", {"properties": {}})
    assert result["properties"]["provisioningState"] == "Succeeded"


def test_a_floor_slows_the_shortest_polls_and_nothing_else():
    from azext_fluxlite.core.polling import next_delay
    assert [next_delay(t, floor=2.5) for t in (0, 3, 30, 300)] == [2.5, 2.5, 3.0, 10.0]
    assert next_delay(0, floor=None) == 0.5


def test_a_fleet_keeps_its_polls_within_the_read_budget():
    from azext_fluxlite.fleet.engine import poll_floor
    assert poll_floor(1) == poll_floor(20) == 0.5          # as a single command
    assert poll_floor(50) == 1.25                            # 50 operations polled: 40 a second
    assert poll_floor(200) == 5.0
