"""`flux wait` and `k8s-extension wait` through the real az: durations, the fast default schedule, compliance.

The waits run on a FakeClock (the `clock` fixture): nothing is slept, the sleeps are recorded.
"""
import pytest
import responses

from tests.fakeclock import FakeClock

from .fakes import EXT_API, add_json, extension_resource, flux_resource, url

CLUSTER = "-g rg1 -c c1 -t connectedClusters"


@pytest.fixture
def clock(monkeypatch):
    from azext_fluxlite.core import polling, waiting
    fake = FakeClock()
    monkeypatch.setattr(waiting, "clock", fake)
    monkeypatch.setattr(waiting, "sleep", fake.sleep)
    monkeypatch.setattr(polling, "FIRST_DELAY", 0.5)      # the real schedule (command tests zero it)
    monkeypatch.setattr(polling, "MAX_DELAY", 10.0)
    return fake


def test_flux_wait_takes_durations(run_az, arm, clock):
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), flux_resource(provisioning="Creating"))
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), flux_resource())
    res = run_az("k8s-configuration flux wait " + CLUSTER + " -n cfg --created --interval 30s --timeout 15m")
    assert res.exit_code == 0, res.stderr
    assert clock.sleeps == [30]


def test_extension_wait_polls_fast_by_default(run_az, arm, clock):
    address = url("extensions", "flux", query=EXT_API)
    for _ in range(3):
        add_json(arm, responses.GET, address, extension_resource(provisioning="Creating"))
    add_json(arm, responses.GET, address, extension_resource())
    res = run_az("k8s-extension wait " + CLUSTER + " -n flux --created")
    assert res.exit_code == 0, res.stderr
    assert clock.sleeps == [0.5, 0.5, 0.5]          # not 30 s per poll


def test_extension_wait_times_out_after_a_duration(run_az, arm, clock):
    add_json(arm, responses.GET, url("extensions", "flux", query=EXT_API), extension_resource(provisioning="Creating"))
    res = run_az("k8s-extension wait " + CLUSTER + " -n flux --created --timeout 2m")
    assert res.exit_code == 1
    assert "Timed out after 120s waiting for extension 'flux' to be created (last seen: provisioningState " \
           "Creating)" in res.stderr
    assert clock.now == 120


@pytest.mark.parametrize("option", ["--interval soon", "--timeout 1h30"])
def test_a_bad_duration_names_the_option_and_sends_nothing(run_az, arm, clock, option):
    res = run_az("k8s-configuration flux wait " + CLUSTER + " -n cfg --created " + option)
    assert res.exit_code != 0
    assert option.split()[0] in res.stderr and "Traceback" not in res.stderr
    assert len(arm.calls) == 0


def test_wait_compliant_outlasts_a_transient_non_compliant_reading(run_az, arm, clock):
    for compliance in ("Pending", "Non-Compliant", "Non-Compliant", "Compliant"):
        add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), flux_resource(compliance=compliance))
    res = run_az("k8s-configuration flux wait " + CLUSTER + " -n cfg --compliant")
    assert res.exit_code == 0, res.stderr
    assert "(fails if it lasts 2m)" in res.stderr


def test_wait_compliant_fails_when_non_compliant_lasts(run_az, arm, clock):
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), flux_resource(compliance="Non-Compliant"))
    res = run_az("k8s-configuration flux wait " + CLUSTER + " -n cfg --compliant")
    assert res.exit_code == 1
    assert "will not become compliant: it stayed Non-Compliant for 2m" in res.stderr
    assert 120 <= clock.now <= 132
