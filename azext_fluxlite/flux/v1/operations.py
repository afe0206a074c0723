"""Flux v1 sourceControlConfigurations over ARM (no az): list, show, delete, and the Flux v2 conflict check."""
import time

from azure.core.exceptions import HttpResponseError

from azext_fluxlite.core.arm_errors import translate
from azext_fluxlite.core.errors import AzureResponseError, DeploymentError, ResourceNotFoundError
from azext_fluxlite.core.output import SYSTEM_DATA, flatten_resource

SCC_API_VERSION = "2022-03-01"
COLLECTION = "sourceControlConfigurations"
TERMINAL = ("succeeded", "failed", "canceled")

# The originals' output: the SDK model of 2022-03-01, properties flattened, every attribute present.
SOURCE_CONTROL_CONFIGURATION = {
    "id": None, "name": None, "type": None, "systemData": SYSTEM_DATA,
    "repositoryUrl": None, "operatorNamespace": None, "operatorInstanceName": None, "operatorType": None,
    "operatorParams": None, "configurationProtectedSettings": None, "operatorScope": None,
    "repositoryPublicKey": None, "sshKnownHostsContents": None, "enableHelmOperator": None,
    "helmOperatorProperties": dict.fromkeys(["chartVersion", "chartValues"]), "provisioningState": None,
    "complianceStatus": dict.fromkeys(["complianceState", "lastConfigApplied", "message", "messageLevel"]),
}
V1_CONFLICT = "Error! Flux v1 configurations already exist on the cluster"
V1_CONFLICT_HELP = ("Try removing all Flux v1 configurations from the cluster before attempting to add Flux v2 "
                    "configurations")


def shape(resource):
    """The originals' JSON of one configuration; protected values are blanked even if a service echoed them."""
    out = flatten_resource(resource, SOURCE_CONTROL_CONFIGURATION)
    protected = (out or {}).get("configurationProtectedSettings")
    if isinstance(protected, dict):
        out["configurationProtectedSettings"] = {key: "" for key in protected}
    return out


def list_configurations(arm, cluster):
    return arm.list_json(cluster.child_path(COLLECTION), SCC_API_VERSION, cluster=cluster)


def get_configuration(arm, cluster, name):
    try:
        return arm.get_json(cluster.child_path(COLLECTION, name), SCC_API_VERSION, cluster=cluster)
    except ResourceNotFoundError as exc:
        message = exc.message
        if "(ResourceNotFound)" in message:
            if "Verify that" not in message:
                message += " Verify that the cluster-type is correct and the resource exists."
        else:
            # The original's words, missing space included.
            message = ("(SourceControlConfigurationNotFound) The Resource {}/{}/{}/Microsoft.KubernetesConfiguration/"
                       "sourceControlConfigurations/{}could not be found!".format(
                           cluster.cluster_rp, cluster.cluster_type, cluster.cluster_name, name))
        raise ResourceNotFoundError(message) from None


def _send(arm, request, cluster, what):
    client = arm.extensions            # the one ARM pipeline (retries, --debug with redaction, user agent)
    try:
        response = client.send_request(request)
        if response.status_code >= 400:
            raise HttpResponseError(response=response)
    except HttpResponseError as exc:
        raise translate(exc, what=what, cluster=cluster) from None
    return response


def delete_configuration(arm, cluster, name, sleep=time.sleep):
    """DELETE one configuration and follow the operation when the service runs one (202)."""
    from azure.core.rest import HttpRequest
    from azext_fluxlite.core.polling import backoff_delays
    what = "Flux v1 configuration '{}'".format(name)
    request = HttpRequest("DELETE", cluster.child_path(COLLECTION, name), params={"api-version": SCC_API_VERSION},
                          headers={"Accept": "application/json"})
    response = _send(arm, request, cluster, what)
    monitor = response.headers.get("Azure-AsyncOperation") or response.headers.get("Location")
    if response.status_code != 202 or not monitor:
        return
    delays = backoff_delays()
    while True:
        sleep(next(delays))
        answer = _send(arm, HttpRequest("GET", monitor, headers={"Accept": "application/json"}), cluster, what)
        if answer.status_code == 202:
            continue
        try:
            body = answer.json() if answer.content else {}
        except ValueError:
            body = {}
        status = str((body if isinstance(body, dict) else {}).get("status") or "")
        if not status or status.lower() == "succeeded":      # a Location monitor: any 2xx but 202 is done
            return
        if status.lower() in TERMINAL:
            error = body.get("error") or {}
            detail = ": ({}) {}".format(error.get("code"), error.get("message")) if error else "."
            raise AzureResponseError("Deleting {} ended {}{}".format(what, status, detail))


def check_no_flux_v1(arm, cluster):
    """Stop, as the original does, when the cluster still has Flux v1 configurations: the two conflict."""
    if list_configurations(arm, cluster):
        raise DeploymentError(V1_CONFLICT, V1_CONFLICT_HELP)
