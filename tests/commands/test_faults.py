"""The service's bad moments, through the real az in-process, with `responses` as a faulty ARM.

Each test injects faults (a transient status, a reset connection, a truncated answer, a status
URL that is gone) and checks what the user gets: the write retried and the command succeeding, or
one line that says what went wrong, which URL, whether the write was accepted and how to check.
Sleeps are recorded, not slept (`slept` fixture): the tests assert the backoff without waiting.
"""
import json

import pytest
import requests
import responses
from urllib3.exceptions import ProtocolError

from .conftest import ARM, lro
from .fakes import (EXT_API, add_json, async_headers, extension_resource, flux_resource, json_body, op_url,
                    url)

CLUSTER = "-g rg1 -c c1 -t connectedClusters"
FLUX_UPDATE = "k8s-configuration flux update " + CLUSTER + " -n cfg --branch dev"
EXT_UPDATE = "k8s-extension update " + CLUSTER + " -n flux --version 1.2.3 --yes"
SHOW = "az k8s-configuration flux show -g rg1 -c c1 -t connectedClusters -n cfg"
WAIT_UPDATED = "az k8s-configuration flux wait -g rg1 -c c1 -t connectedClusters -n cfg --updated"


@pytest.fixture
def slept(monkeypatch):
    """Every sleep of the pipeline's retries and of the poller, recorded instead of slept."""
    from azure.core.pipeline.transport import RequestsTransport
    from azext_fluxlite.core import polling
    seconds = []
    monkeypatch.setattr(RequestsTransport, "sleep", lambda self, s: seconds.append(("retry", s)))
    monkeypatch.setattr(polling, "sleep", lambda s: seconds.append(("poll", s)))
    return seconds


def _reset():
    return requests.exceptions.ConnectionError(ProtocolError(
        "Connection aborted.", ConnectionResetError(104, "Connection reset by peer")))


def _methods(arm):
    return [c.request.method for c in arm.calls if c.request.url.startswith(ARM)]


def _accepted_patch(arm):
    """flux update: the GET of the configuration, and its PATCH accepted (202); returns the status URL."""
    op = op_url("fluxConfigurations", "cfg")
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), flux_resource())
    add_json(arm, responses.PATCH, url("fluxConfigurations", "cfg"), flux_resource(provisioning="Updating"),
             status=202, headers=async_headers(op))
    return op


def _flux_patch_answers(arm, first):
    """The PATCH of flux update answers `first` (a status code or an exception), then 202 + operation."""
    op = op_url("fluxConfigurations", "cfg")
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), flux_resource())
    if isinstance(first, Exception):
        arm.add(responses.PATCH, url("fluxConfigurations", "cfg"), body=first)
    else:
        arm.add(responses.PATCH, url("fluxConfigurations", "cfg"), status=first,
                json={"error": {"code": "Transient", "message": "try again"}})
    add_json(arm, responses.PATCH, url("fluxConfigurations", "cfg"), flux_resource(provisioning="Updating"),
             status=202, headers=async_headers(op))
    lro(arm, op, ["Succeeded"])
    return op


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_flux_update_patch_is_retried_on_a_transient_status(run_az, arm, slept, status):
    _flux_patch_answers(arm, status)
    res = run_az(FLUX_UPDATE)
    assert res.exit_code == 0, res.stderr
    assert [w.method for w in res.writes] == ["PATCH", "PATCH"]
    assert json_body(res.writes[0]) == json_body(res.writes[1])
    assert res.result["provisioningState"] == "Succeeded"


def test_flux_update_patch_is_retried_after_a_connection_reset(run_az, arm, slept):
    _flux_patch_answers(arm, _reset())
    res = run_az(FLUX_UPDATE)
    assert res.exit_code == 0, res.stderr
    assert _methods(arm).count("PATCH") == 2
    assert res.result["provisioningState"] == "Succeeded"


def test_a_retry_waits_as_long_as_retry_after_says(run_az, arm, slept):
    op = op_url("fluxConfigurations", "cfg")
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), flux_resource())
    arm.add(responses.PATCH, url("fluxConfigurations", "cfg"), status=429, headers={"Retry-After": "7"},
            json={"error": {"code": "TooManyRequests", "message": "slow down"}})
    add_json(arm, responses.PATCH, url("fluxConfigurations", "cfg"), flux_resource(provisioning="Updating"),
             status=202, headers=async_headers(op))
    lro(arm, op, ["Succeeded"])
    res = run_az(FLUX_UPDATE)
    assert res.exit_code == 0, res.stderr
    assert ("retry", 7.0) in slept


@pytest.mark.parametrize("fault", [429, 502, "reset"])
def test_extension_update_patch_is_retried(run_az, arm, slept, fault):
    address = ARM + "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/" \
        "Microsoft.Kubernetes/connectedClusters/c1/providers/Microsoft.KubernetesConfiguration/extensions/flux"
    op = address + "/operations/op1?" + EXT_API
    add_json(arm, responses.GET, address + "?" + EXT_API, extension_resource())
    if fault == "reset":
        arm.add(responses.PATCH, address + "?" + EXT_API, body=_reset())
    else:
        arm.add(responses.PATCH, address + "?" + EXT_API, status=fault, json={"error": {"code": "X", "message": "y"}})
    add_json(arm, responses.PATCH, address + "?" + EXT_API, extension_resource(provisioning="Updating"), status=202,
             headers=async_headers(op))
    lro(arm, op, ["Succeeded"])
    res = run_az(EXT_UPDATE)
    assert res.exit_code == 0, res.stderr
    assert _methods(arm).count("PATCH") == 2


def test_exhausted_5xx_retries_say_the_service_failed(run_az, arm, slept):
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), flux_resource())
    arm.add(responses.PATCH, url("fluxConfigurations", "cfg"), status=503,
            json={"error": {"code": "ServiceUnavailable", "message": "The service is unavailable."}})
    res = run_az(FLUX_UPDATE)
    assert res.exit_code == 1
    assert res.stderr.strip().endswith(
        "ERROR: The service failed to handle the request: (ServiceUnavailable) The service is unavailable.")
    assert _methods(arm).count("PATCH") == 4        # the first try and three retries
    assert [s for kind, s in slept if kind == "retry" and s > 0] == [1.6, 3.2]   # azure-core's backoff, kept


def test_401_says_to_log_in_again(run_az, arm, slept):
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"),
             {"error": {"code": "ExpiredAuthenticationToken", "message": "The access token expiry has passed."}},
             status=401)
    res = run_az("k8s-configuration flux show " + CLUSTER + " -n cfg")
    assert res.exit_code == 1
    assert "ERROR: (ExpiredAuthenticationToken) The access token expiry has passed. Run 'az login' and try " \
           "again." in res.stderr


# -- unreadable answers ------------------------------------------------------------------------------
def test_a_truncated_get_is_retried_and_then_explained_never_ok(run_az, arm, slept):
    arm.add(responses.GET, url("fluxConfigurations", "cfg"), body='{"id": "/subscriptions/x", "prop',
            content_type="application/json")
    res = run_az("k8s-configuration flux show " + CLUSTER + " -n cfg")
    assert res.exit_code == 1
    assert "ERROR: OK" not in res.stderr
    assert "ARM sent an unreadable answer to GET {} (HTTP 200: its JSON body is cut off or malformed). Try " \
           "again.".format(url("fluxConfigurations", "cfg")) in res.stderr
    assert _methods(arm) == ["GET"] * 4


def test_one_truncated_get_is_retried_and_the_command_succeeds(run_az, arm, slept):
    arm.add(responses.GET, url("fluxConfigurations", "cfg"), body='{"id": "/subscriptions/x", "prop',
            content_type="application/json")
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), flux_resource())
    res = run_az("k8s-configuration flux show " + CLUSTER + " -n cfg")
    assert res.exit_code == 0, res.stderr
    assert res.result["name"] == "cfg"


def test_one_truncated_poll_is_retried_and_the_update_succeeds(run_az, arm, slept):
    op = _accepted_patch(arm)
    arm.add(responses.GET, op, body='{"status": "Succ', content_type="application/json")
    lro(arm, op, ["Succeeded"])
    res = run_az(FLUX_UPDATE)
    assert res.exit_code == 0, res.stderr
    assert res.result["provisioningState"] == "Succeeded"


def test_truncated_polls_after_the_write_say_it_was_accepted_and_how_to_check(run_az, arm, slept):
    op = _accepted_patch(arm)
    arm.add(responses.GET, op, body='{"status": "Succ', content_type="application/json")
    res = run_az(FLUX_UPDATE)
    assert res.exit_code == 1
    assert "ERROR: OK" not in res.stderr
    assert "ARM sent unreadable answers to GET {} while following the operation".format(op) in res.stderr
    assert "The flux configuration 'cfg' write was accepted and the operation may still complete: follow it " \
           "with '{}' or check with '{}'.".format(WAIT_UPDATED, SHOW) in res.stderr
    assert _methods(arm).count("PATCH") == 1


def test_a_truncated_answer_to_an_accepted_put_says_it_was_accepted(run_az, arm, slept):
    address = url("fluxConfigurations", "cfg")
    add_json(arm, responses.GET, ARM + "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/"
             "providers/Microsoft.Kubernetes/connectedClusters/c1/providers/Microsoft.KubernetesConfiguration/"
             "extensions?" + EXT_API, {"value": [extension_resource()]})
    arm.add(responses.PUT, address, body='{"id": "x", "prope', status=201, content_type="application/json")
    res = run_az("k8s-configuration flux create " + CLUSTER + " -n cfg -u https://github.com/x/y --branch main "
                 "-k name=infra path=./infra")
    assert res.exit_code == 1
    assert "ARM sent an unreadable answer to PUT {} (HTTP 201: its JSON body is cut off or malformed). The " \
           "write was accepted; check the result with '{}' or follow it with '{}'.".format(
               address, SHOW, WAIT_UPDATED.replace("--updated", "--created")) in res.stderr


# -- following the operation fails ------------------------------------------------------------------
def test_polls_failing_after_the_write_say_the_operation_may_still_complete(run_az, arm, slept):
    op = _accepted_patch(arm)
    arm.add(responses.GET, op, status=503, json={"error": {"code": "ServiceUnavailable", "message": "down"}})
    res = run_az(FLUX_UPDATE)
    assert res.exit_code == 1
    assert "answered HTTP 503: (ServiceUnavailable) down. The flux configuration 'cfg' write was accepted and " \
           "the operation may still complete: follow it with '{}'".format(WAIT_UPDATED) in res.stderr
    assert "GET " + op in res.stderr
    # Three polls in a row (each retried three times by the pipeline) before giving up.
    assert _methods(arm).count("GET") == 1 + 3 * 4


def test_polls_that_lose_the_connection_say_the_operation_may_still_complete(run_az, arm, slept):
    op = _accepted_patch(arm)
    arm.add(responses.GET, op, body=requests.exceptions.ConnectionError("Connection refused"))
    res = run_az(FLUX_UPDATE)
    assert res.exit_code == 1
    assert "Following the operation failed: no answer to GET {}".format(op) in res.stderr
    assert "may still complete: follow it with '{}'".format(WAIT_UPDATED) in res.stderr


def test_a_missing_status_url_reports_the_service_error_not_a_missing_extension(run_az, arm, slept):
    address = ARM + "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/" \
        "Microsoft.Kubernetes/connectedClusters/c1/providers/Microsoft.KubernetesConfiguration/extensions/flux"
    op = address + "/operations/op1?" + EXT_API
    arm.add(responses.PUT, address + "?" + EXT_API, json=extension_resource(provisioning="Creating"), status=201,
            headers=async_headers(op))
    arm.add(responses.GET, op, status=404,
            json={"error": {"code": "OperationNotFound", "message": "Operation op1 was not found."}})
    res = run_az("k8s-extension create " + CLUSTER + " -n flux --extension-type microsoft.flux")
    assert res.exit_code == 1       # not 3 (resource not found): the extension exists
    assert "not found on cluster" not in res.stderr
    assert "Following the operation failed: GET {} answered HTTP 404: (OperationNotFound) Operation op1 was not " \
           "found. The extension 'flux' write was accepted".format(op) in res.stderr
    assert "az k8s-extension wait -g rg1 -c c1 -t connectedClusters -n flux --created" in res.stderr


def test_a_failed_operation_is_still_the_services_verdict(run_az, arm, slept):
    op = _accepted_patch(arm)
    lro(arm, op, ["Failed"])
    res = run_az(FLUX_UPDATE)
    assert res.exit_code == 1
    assert "(OperationFailed) the operation failed" in res.stderr
    assert "may still complete" not in res.stderr


def _delete_whose_status_url_is_gone(arm, resource, status=200):
    """flux delete: the DELETE is accepted, its status URL answers 404, a GET of the resource answers `resource`."""
    op = op_url("fluxConfigurations", "cfg")
    arm.add(responses.DELETE, url("fluxConfigurations", "cfg", query="api-version=2025-04-01&forceDelete=false"),
            status=202, headers=async_headers(op))
    arm.add(responses.GET, op, status=404, json={"error": {"code": "NotFound", "message": "gone"}})
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), resource, status=status)


def test_delete_whose_status_url_is_gone_with_the_resource_succeeds(run_az, arm, slept):
    _delete_whose_status_url_is_gone(arm, {"error": {"code": "ResourceNotFound", "message": "not found"}}, 404)
    res = run_az("k8s-configuration flux delete " + CLUSTER + " -n cfg --yes")
    assert res.exit_code == 0, res.stderr


def test_delete_whose_status_url_is_gone_but_the_resource_is_not_reports_it(run_az, arm, slept):
    _delete_whose_status_url_is_gone(arm, flux_resource(provisioning="Deleting"))
    res = run_az("k8s-configuration flux delete " + CLUSTER + " -n cfg --yes")
    assert res.exit_code == 1
    assert "answered HTTP 404: (NotFound) gone." in res.stderr
    assert "--deleted" in res.stderr


def test_json_helpers_explain_an_unreadable_answer(run_az, arm, slept):
    address = ARM + "/subscriptions/00000000-0000-0000-0000-000000000000/providers/" \
        "Microsoft.KubernetesConfiguration/locations/eastus/extensionTypes?api-version=2023-05-01-preview"
    arm.add(responses.GET, address, body="<html>gateway", content_type="application/json")
    res = run_az("k8s-extension extension-types list-by-location --location eastus")
    assert res.exit_code == 1
    assert "ARM sent an unreadable answer to GET" in res.stderr and "ERROR: OK" not in res.stderr
    assert json.dumps(res.result) == "null"


def test_a_write_whose_connection_keeps_breaking_may_have_been_applied(run_az, arm, slept):
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), flux_resource())
    arm.add(responses.PATCH, url("fluxConfigurations", "cfg"), body=_reset())
    res = run_az(FLUX_UPDATE)
    assert res.exit_code == 1
    assert "No answer from ARM at https://management.azure.com: " in res.stderr
    assert "The write may have been applied before the connection broke: check with '{}' or follow it with " \
           "'{}'.".format(SHOW, WAIT_UPDATED) in res.stderr
    assert _methods(arm).count("PATCH") == 4        # the first try and three retries


def test_operation_polls_wait_as_long_as_retry_after_says(run_az, arm, slept):
    op = op_url("fluxConfigurations", "cfg")
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), flux_resource())
    add_json(arm, responses.PATCH, url("fluxConfigurations", "cfg"), flux_resource(provisioning="Updating"),
             status=202, headers=dict(async_headers(op), **{"Retry-After": "3"}))
    for status in ("Updating", "Updating", "Succeeded"):
        arm.add(responses.GET, op, json={"status": status}, headers={"Retry-After": "3"})
    res = run_az(FLUX_UPDATE)
    assert res.exit_code == 0, res.stderr
    assert [s for kind, s in slept if kind == "poll"] == [3, 3]
