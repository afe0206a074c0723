"""Turn ARM error responses into one readable, actionable line each."""
from azext_fluxlite.core.errors import (
    AzureResponseError, BadRequestError, ForbiddenError, ResourceNotFoundError, UnauthorizedError,
    ValidationError, AzureInternalError,
)

PROVIDER_NAMESPACE = "Microsoft.KubernetesConfiguration"
_REGISTRATION_CODES = {"missingsubscriptionregistration", "subscriptionnotregistered",
                       "noregisteredproviderfound"}
_CONFLICT_CODES = {"conflict", "anotheroperationinprogress", "operationnotallowed", "resourcebusy"}


def error_code_and_message(exc):
    """Return (code, message) of an azure-core HttpResponseError, as the service sent them."""
    error = getattr(exc, "error", None)
    code = getattr(error, "code", None) or ""
    message = getattr(error, "message", None) or ""
    if not message:
        response = getattr(exc, "response", None)
        try:
            body = response.json() if response is not None else None
        except Exception:  # pylint: disable=broad-except
            body = None
        if isinstance(body, dict):
            err = body.get("error") if isinstance(body.get("error"), dict) else body
            code = code or str(err.get("code") or "")
            message = str(err.get("message") or "")
    if not message:
        message = getattr(exc, "reason", None) or str(exc).splitlines()[0]
    return code, message


def translate(exc, what=None, cluster=None):
    """Return the az error to raise for an ARM HttpResponseError.

    `what` names the resource addressed, e.g. "flux configuration 'cfg'"; `cluster` is its ClusterRef.
    """
    status = getattr(exc, "status_code", None)
    code, message = error_code_and_message(exc)
    lcode = code.lower()
    text = "({}) {}".format(code, message) if code else message

    if lcode in _REGISTRATION_CODES or "register" in lcode:
        return ValidationError(
            "The subscription is not registered to use {ns}: run "
            "'az provider register --namespace {ns}' and try again once it is Registered. {text}".format(
                ns=PROVIDER_NAMESPACE, text=text))
    if status == 404:
        if cluster is not None and (lcode in ("resourcenotfound", "parentresourcenotfound") and
                                    cluster.cluster_name.lower() in message.lower() and
                                    (what is None or "/" in message)):
            return ResourceNotFoundError(
                "{} Verify that --cluster-type is correct and the cluster {} exists in resource group '{}'.".format(
                    text, cluster.display, cluster.resource_group))
        if what and cluster is not None:
            return ResourceNotFoundError(
                "{} was not found on cluster {} in resource group '{}'.".format(
                    what[:1].upper() + what[1:], cluster.display, cluster.resource_group))
        return ResourceNotFoundError(text)
    if status == 401:
        return UnauthorizedError("{} Run 'az login' and try again.".format(text))
    if status == 403:
        return ForbiddenError("{} Ask for a role that allows Microsoft.KubernetesConfiguration "
                              "writes on this cluster.".format(text))
    if status == 409 or lcode in _CONFLICT_CODES:
        return AzureResponseError(
            "{} Another operation may be in progress on this resource: wait for it to finish "
            "and try again.".format(text))
    if status == 400 or lcode in ("validationfailed", "badrequest", "invalidrequestcontent"):
        return BadRequestError(text)
    if status is not None and status >= 500:
        return AzureInternalError("The service failed to handle the request: {}".format(text))
    return AzureResponseError(text)
