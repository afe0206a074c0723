"""`wait` and `--wait-for-compliance`: how soon a state is seen, durations, and transient Non-Compliant.

Time is a FakeClock: `get()` answers by the clock, and the waits advance it.
"""
import io

import pytest

from azext_fluxlite.core.errors import AzureResponseError, InvalidArgumentValueError
from azext_fluxlite.core.waiting import WaitTimeout, wait_for
from tests.fakeclock import FakeClock


def _config(compliance, provisioning="Succeeded"):
    statuses = [{"kind": "Kustomization", "namespace": "flux-system", "name": "cfg-apps",
                 "complianceState": compliance,
                 "statusConditions": [{"type": "Ready", "message": "dependency 'cfg-infra' is not ready"}]}]
    return {"provisioningState": provisioning, "complianceState": compliance, "statuses": statuses}


def _wait(get, condition, clock, **kwargs):
    return wait_for(get, condition, "flux configuration 'cfg'", clock=clock, sleep=clock.sleep, stream=io.StringIO(),
                    **kwargs)


@pytest.mark.parametrize("ready_at", [0.3, 2.0, 4.6])
def test_without_interval_a_state_reached_within_seconds_is_seen_within_half_a_second(ready_at):
    clock = FakeClock()
    seen = []

    def get():
        seen.append(clock.now)
        return {"provisioningState": "Succeeded" if clock.now >= ready_at else "Creating"}

    _wait(get, "created", clock)
    assert seen[-1] - ready_at <= 0.5
    assert clock.sleeps[0] == 0.5


def test_without_interval_a_long_wait_polls_a_tenth_of_the_time_waited_at_most_ten_seconds():
    clock = FakeClock()
    _wait(lambda: {"provisioningState": "Succeeded" if clock.now >= 300 else "Creating"}, "created", clock)
    assert max(clock.sleeps) == 10.0
    assert clock.now - 300 <= 10.0
    assert len(clock.sleeps) < 70        # not 600 polls at 0.5 s


def test_interval_and_timeout_take_durations():
    clock = FakeClock()
    with pytest.raises(WaitTimeout, match=r"Timed out after 900s"):
        _wait(lambda: {"provisioningState": "Creating"}, "created", clock, interval="30s", timeout="15m")
    assert set(clock.sleeps) == {30}
    assert clock.now <= 900


def test_backoff_is_a_valid_interval_and_the_last_look_is_at_the_deadline():
    clock = FakeClock()
    with pytest.raises(WaitTimeout):
        _wait(lambda: {"provisioningState": "Creating"}, "created", clock, interval="backoff", timeout="1m")
    assert clock.now == 60


@pytest.mark.parametrize("option,value", [("--interval", "soon"), ("--timeout", "0"), ("--interval", "5ms")])
def test_a_bad_duration_names_its_option_before_any_request(option, value):
    calls = []
    kwargs = {"interval": value} if option == "--interval" else {"timeout": value}
    with pytest.raises(InvalidArgumentValueError, match=option):
        _wait(lambda: calls.append(1), "created", FakeClock(), **kwargs)
    assert calls == []


def test_a_transient_non_compliant_reading_does_not_fail_the_wait():
    clock = FakeClock()
    readings = iter([_config("Pending"), _config("Non-Compliant"), _config("Non-Compliant"), _config("Compliant")])
    result = _wait(lambda: next(readings), "compliant", clock)
    assert result["complianceState"] == "Compliant"


def test_non_compliant_that_lasts_two_minutes_fails_and_lists_the_failing_objects():
    clock = FakeClock()
    first = []

    def get():
        first.append(clock.now)
        return _config("Pending") if clock.now < 3 else _config("Non-Compliant")

    with pytest.raises(AzureResponseError) as err:
        _wait(get, "compliant", clock, timeout="30m")
    went_bad = next(t for t in first if t >= 3)
    assert 120 <= clock.now - went_bad <= 120 + 13
    message = str(err.value)
    assert message.startswith("flux configuration 'cfg' will not become compliant: it stayed Non-Compliant for 2m")
    assert "Kustomization flux-system/cfg-apps: Non-Compliant dependency 'cfg-infra' is not ready" in message


def test_a_failed_provisioning_state_fails_at_once():
    clock = FakeClock()
    with pytest.raises(AzureResponseError, match="provisioningState is Failed"):
        _wait(lambda: _config("Non-Compliant", provisioning="Failed"), "compliant", clock)
    assert clock.sleeps == []


def test_the_grace_period_shows_in_progress():
    clock, out = FakeClock(), io.StringIO()
    readings = iter([_config("Non-Compliant"), _config("Compliant")])
    wait_for(lambda: next(readings), "compliant", "flux configuration 'cfg'", clock=clock, sleep=clock.sleep,
             stream=out)
    assert "Non-Compliant (0 of 1 objects compliant) (fails if it lasts 2m)" in out.getvalue()
