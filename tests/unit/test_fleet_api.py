"""azext_fluxlite.api: the same validation as the commands, before anything is sent."""
import pytest
import responses

from azext_fluxlite.api import Fluxlite, errors


class NoCredential:
    def get_token(self, *scopes, **kwargs):
        raise AssertionError("nothing may be sent for an input that is wrong")


@pytest.fixture
def flux():
    with responses.RequestsMock(assert_all_requests_are_fired=False):    # any request would fail
        yield Fluxlite(NoCredential(), "00000000-0000-0000-0000-000000000000")


def test_unknown_argument_is_named(flux):
    with pytest.raises(errors.UnrecognizedArgumentError, match="'brnch'"):
        flux.fleet_apply("cfg", resource_group="rg", url="https://github.com/org/repo", brnch="main")


@pytest.mark.parametrize("call, error, says", [
    (lambda f: f.fleet_apply("cfg", resource_group="rg", branch="main"), errors.RequiredArgumentMissingError, "--url"),
    (lambda f: f.fleet_apply("Bad_Name", resource_group="rg", url="https://github.com/org/repo", branch="main"),
     errors.InvalidArgumentValueError, "--name 'Bad_Name'"),
    (lambda f: f.fleet_apply("cfg", url="https://github.com/org/repo", branch="main"), errors.ArgumentUsageError,
     "--resource-group"),
    (lambda f: f.fleet_apply("cfg", resource_group="rg", url="https://github.com/org/repo", branch="main",
                             max_parallel=0),
     errors.InvalidArgumentValueError, "--max-parallel"),
    (lambda f: f.create(("rg", "connectedClusters", "c1"), "cfg", url="https://github.com/org/repo",
                        kustomizations=[{"name": "apps", "dependsOn": ["nope"]}]),
     errors.FluxliteError, "nope"),
    (lambda f: f.show("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm", "cfg"),
     errors.InvalidArgumentValueError, "--cluster-ids"),
])
def test_bad_input_raises_the_commands_error_and_sends_nothing(flux, call, error, says):
    with pytest.raises(error, match=says):
        call(flux)
