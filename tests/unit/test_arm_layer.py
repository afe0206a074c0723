"""The pure parts of the ARM layer: cluster paths, error messages, redaction (polling: test_polling.py)."""
import json
import logging

import pytest
from azext_fluxlite.core.errors import (AzureResponseError, BadRequestError, ForbiddenError, InvalidArgumentValueError,
                                       RequiredArgumentMissingError, ResourceNotFoundError, ValidationError)

from azext_fluxlite.core import redaction as _redaction
from azext_fluxlite.core.cluster import ClusterRef, resolve_cluster_rp
from azext_fluxlite.core.arm_errors import translate


@pytest.mark.parametrize("given,rp,expected_type", [
    ("connectedClusters", "Microsoft.Kubernetes", "connectedClusters"),
    ("connectedclusters", "Microsoft.Kubernetes", "connectedClusters"),
    ("managedClusters", "Microsoft.ContainerService", "managedClusters"),
    ("fleets", "Microsoft.ContainerService", "fleets"),
    ("appliances", "Microsoft.ResourceConnector", "appliances"),
])
def test_cluster_type_maps_to_the_originals_provider(given, rp, expected_type):
    assert resolve_cluster_rp(given) == (rp, expected_type)


def test_provisioned_clusters_need_the_hybrid_provider_and_always_send_it_lower_case():
    assert resolve_cluster_rp("provisionedClusters", "Microsoft.HybridContainerService") == (
        "microsoft.hybridcontainerservice", "provisionedClusters")
    with pytest.raises(RequiredArgumentMissingError, match="--cluster-rp microsoft.hybridcontainerservice"):
        resolve_cluster_rp("provisionedClusters")
    with pytest.raises(InvalidArgumentValueError, match="--cluster-resource-provider 'Microsoft.Foo'"):
        resolve_cluster_rp("provisionedClusters", "Microsoft.Foo")


def test_a_cluster_rp_that_contradicts_the_cluster_type_is_an_error_not_ignored():
    assert resolve_cluster_rp("connectedClusters", "microsoft.kubernetes")[0] == "Microsoft.Kubernetes"
    with pytest.raises(InvalidArgumentValueError, match="remove --cluster-rp"):
        resolve_cluster_rp("connectedClusters", "Microsoft.ContainerService")


def test_cluster_paths_quote_names():
    ref = ClusterRef("sub", "my rg", "Microsoft.Kubernetes", "connectedClusters", "c/1")
    assert ref.child_path("fluxConfigurations", "cfg") == (
        "/subscriptions/sub/resourceGroups/my%20rg/providers/Microsoft.Kubernetes/connectedClusters/c%2F1"
        "/providers/Microsoft.KubernetesConfiguration/fluxConfigurations/cfg")


class _Error:
    def __init__(self, code, message):
        self.code, self.message = code, message


class _HttpError(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status_code, self.error, self.response = status, _Error(code, message), None


CLUSTER = ClusterRef("sub", "rg1", "Microsoft.Kubernetes", "connectedClusters", "c1")


def test_missing_cluster_points_at_cluster_type():
    err = translate(_HttpError(404, "ResourceNotFound", "The Resource 'Microsoft.Kubernetes/connectedClusters/c1' "
                               "under resource group 'rg1' was not found."), "flux configuration 'cfg'", CLUSTER)
    assert isinstance(err, ResourceNotFoundError)
    assert "--cluster-type" in str(err)


def test_missing_resource_names_it_and_the_cluster():
    err = translate(_HttpError(404, "ResourceNotFound", "Flux configuration with name 'cfg' not found."),
                    "flux configuration 'cfg'", CLUSTER)
    assert str(err) == ("Flux configuration 'cfg' was not found on cluster Microsoft.Kubernetes/connectedClusters/c1 "
                        "in resource group 'rg1'.")


def test_validation_failed_is_shown_plainly_and_conflicts_say_to_wait():
    err = translate(_HttpError(400, "ValidationFailed", "Invalid source kind match."))
    assert isinstance(err, BadRequestError) and str(err) == "(ValidationFailed) Invalid source kind match."
    err = translate(_HttpError(409, "Conflict", "An operation is already in progress."))
    assert isinstance(err, AzureResponseError) and "wait for it to finish" in str(err)
    err = translate(_HttpError(409, "MissingSubscriptionRegistration", "not registered"))
    assert isinstance(err, ValidationError)
    assert "az provider register --namespace Microsoft.KubernetesConfiguration" in str(err)


def test_redaction_hides_every_secret_but_keeps_the_keys():
    body = {"properties": {"configurationProtectedSettings": {"httpsKey": "czNjcjN0", "empty": ""},
                           "azureBlob": {"accountKey": "k3y", "sasToken": "sig=abc",
                                         "servicePrincipal": {"clientId": "id", "clientSecret": "s3c"}},
                           "ociRepository": {"tlsConfig": {"privateKey": "pk", "caCertificate": "ca"}},
                           "gitRepository": {"url": "https://x", "httpsUser": "me"}}}
    text = json.dumps(_redaction.redact(body))
    for secret in ("czNjcjN0", "k3y", "sig=abc", "s3c", "pk"):
        assert secret not in text
    out = _redaction.redact(body)["properties"]
    assert out["configurationProtectedSettings"] == {"httpsKey": "REDACTED", "empty": ""}
    assert out["gitRepository"] == {"url": "https://x", "httpsUser": "me"}
    assert out["ociRepository"]["tlsConfig"]["caCertificate"] == "ca"


def test_the_debug_trace_filter_rewrites_logged_bodies(caplog):
    _redaction.install()
    _redaction.install()  # idempotent
    trace = logging.getLogger(_redaction.TRACE_LOGGER)
    assert sum(isinstance(f, _redaction.RedactSecretsFilter) for f in trace.filters) == 1
    with caplog.at_level(logging.DEBUG, logger=_redaction.TRACE_LOGGER):
        trace.debug(str(b'{"properties": {"configurationProtectedSettings": {"a": "topsecret"}}}'))
        trace.debug("Request URL: %r", "https://x")
    assert "topsecret" not in caplog.text
    assert "REDACTED" in caplog.text and "https://x" in caplog.text


def test_the_follow_up_commands_address_the_resource_as_the_user_would():
    from azext_fluxlite.core.arm_errors import follow_up_commands
    assert follow_up_commands("flux", "my cfg", CLUSTER, "updated") == (
        "az k8s-configuration flux show -g rg1 -c c1 -t connectedClusters -n 'my cfg'",
        "az k8s-configuration flux wait -g rg1 -c c1 -t connectedClusters -n 'my cfg' --updated")
    hybrid = ClusterRef("sub", "rg1", "microsoft.hybridcontainerservice", "provisionedClusters", "p1")
    show, wait = follow_up_commands("extension", "flux", hybrid, "deleted")
    assert show == ("az k8s-extension show -g rg1 -c p1 -t provisionedClusters -n flux "
                    "--cluster-resource-provider microsoft.hybridcontainerservice")
    assert wait.endswith("--cluster-resource-provider microsoft.hybridcontainerservice --deleted")


class _Poller:
    """An LROPoller stand-in: done after `rounds` waits; wait() returns at once when it is done."""

    def __init__(self, rounds):
        self.rounds, self.waits = rounds, []

    def done(self):
        return len(self.waits) >= self.rounds

    def status(self):
        return "Running"

    def wait(self, timeout=None):
        self.waits.append(timeout)

    def result(self):
        return {"done": True}


class _Progress:
    def __init__(self):
        self.events = []

    def begin(self):
        self.events.append("begin")

    def update_progress_with_msg(self, message):
        self.events.append(message)

    def end(self):
        self.events.append("end")


def test_az_follows_the_poller_by_waiting_on_it_not_by_sleeping(monkeypatch):
    """az's LongRunningOperation sleeps 0.5 s between checks; fluxlite waits on the poller's thread."""
    import time
    from azext_fluxlite._az_arm import follow_poller

    def no_sleep(_seconds):
        raise AssertionError("follow_poller slept")

    monkeypatch.setattr(time, "sleep", no_sleep)
    poller, progress = _Poller(rounds=3), _Progress()
    assert follow_poller(poller, progress) == {"done": True}
    assert poller.waits == [0.25, 0.25, 0.25]
    assert progress.events == ["begin", "Running", "Running", "Running", "end"]
    assert follow_poller(_Poller(rounds=0)) == {"done": True}        # no progress indicator: just the result


@pytest.mark.parametrize("status,body,error_class,expected", [
    (400, {"error": {"code": "InvalidRequestContent", "message": "The url is not valid."}}, BadRequestError,
     "(InvalidRequestContent) The url is not valid."),
    (409, {"error": {"code": "Conflict", "message": "An operation is running."}}, AzureResponseError,
     "(Conflict) An operation is running. Another operation may be in progress on this resource: wait for it to "
     "finish and try again."),
    (403, {"error": {"code": "AuthorizationFailed", "message": "No access."}}, ForbiddenError,
     "(AuthorizationFailed) No access. Ask for a role that allows Microsoft.KubernetesConfiguration writes on "
     "this cluster."),
    (404, {"error": {"code": "ResourceNotFound", "message": "Flux configuration with name 'cfg' not found."}},
     ResourceNotFoundError,
     "Flux configuration 'cfg' was not found on cluster Microsoft.Kubernetes/connectedClusters/c1 in resource "
     "group 'rg1'."),
])
def test_error_bodies_from_the_wire_are_translated(status, body, error_class, expected):
    """The whole way: an ARM answer with an error body, through the SDK pipeline, to one readable line."""
    import responses
    from azext_fluxlite.core.arm import ArmClient
    from tests.unit.test_polling import CLUSTER as cluster, SUB, _Token
    address = "https://management.azure.com" + cluster.child_path("fluxConfigurations", "cfg")
    with responses.RequestsMock() as mock:
        mock.add(responses.GET, address, json=body, status=status)
        with pytest.raises(error_class) as err:
            ArmClient(lambda: (_Token(), SUB)).get_flux(cluster, "cfg")
    assert str(err.value) == expected
