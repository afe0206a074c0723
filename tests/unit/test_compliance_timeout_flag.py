"""A --wait-for-compliance that runs out of time names --compliance-timeout, the flag that sets it
(flux create/update and fleet apply have no --timeout)."""
import pytest

from azext_fluxlite.core import waiting
from azext_fluxlite.core.cluster import ClusterRef
from azext_fluxlite.core.waiting import WaitTimeout
from azext_fluxlite.fleet import engine
from azext_fluxlite.flux import operations
from tests.fakeclock import FakeClock

REF = ClusterRef("s1", "rg1", "Microsoft.Kubernetes", "connectedClusters", "c1")


class PendingArm:
    """A configuration that stays Pending (never Compliant, never failing)."""

    def get_flux(self, cluster, name):
        return {"id": cluster.resource_id + "/providers/Microsoft.KubernetesConfiguration/fluxConfigurations/" + name,
                "name": name, "properties": {"provisioningState": "Succeeded", "complianceState": "Pending",
                                             "statuses": []}}


@pytest.fixture(autouse=True)
def fake_time(monkeypatch):
    clock = FakeClock(1000.0)
    monkeypatch.setattr(waiting, "clock", clock)
    monkeypatch.setattr(waiting, "sleep", clock.sleep)
    return clock


def test_flux_create_wait_for_compliance_timeout_names_compliance_timeout():
    with pytest.raises(WaitTimeout) as err:
        operations.then_wait_for_compliance(PendingArm(), REF, "cfg", {"name": "cfg"}, 60)
    assert err.value.message.endswith("Wait longer with a larger --compliance-timeout.")


def test_fleet_apply_wait_for_compliance_timeout_names_compliance_timeout():
    with pytest.raises(WaitTimeout) as err:
        engine._poll_compliant(PendingArm(), REF, "cfg", 60)  # pylint: disable=protected-access
    assert "--compliance-timeout" in err.value.message and "--timeout." not in err.value.message


def test_az_wait_still_names_timeout(fake_time):
    with pytest.raises(WaitTimeout) as err:
        waiting.wait_for(lambda: {"provisioningState": "Creating"}, "created", "extension 'flux'", timeout=60,
                         clock=fake_time, sleep=fake_time.sleep)
    assert err.value.message.endswith("Wait longer with a larger --timeout.")
