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


# -- after a write was accepted: following its long-running operation failed ------------------
COMMAND_GROUPS = {"flux": "k8s-configuration flux", "extension": "k8s-extension"}


def follow_up_commands(kind, name, cluster, condition):
    """('az ... show ...', 'az ... wait ... --<condition>') for a flux configuration or an extension."""
    from shlex import quote
    from azext_fluxlite.core.cluster import HYBRID_RP
    target = "-g {} -c {} -t {} -n {}".format(quote(cluster.resource_group), quote(cluster.cluster_name),
                                             cluster.cluster_type, quote(name))
    if cluster.cluster_type == "provisionedClusters":
        target += " --cluster-resource-provider " + HYBRID_RP
    group = COMMAND_GROUPS[kind]
    return ("az {} show {}".format(group, target), "az {} wait {} --{}".format(group, target, condition))


def _sentence(text):
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _reason(exc):
    """The first line of what a connection error says, without a final full stop."""
    return str(getattr(exc, "message", None) or exc).splitlines()[0].strip().rstrip(".")


def _request_of(exc):
    response = getattr(exc, "response", None)
    request = getattr(response, "request", None)
    if request is None:
        return None, None, getattr(response, "status_code", None)
    return request.method, request.url, response.status_code


def unreadable_answer(exc, follow=None):
    """The error for an answer whose JSON could not be read (DecodeError), instead of `ERROR: OK`.

    `follow` is (kind, name, cluster, condition) for a write: a 2xx answer means it was accepted.
    """
    method, url, status = _request_of(exc)
    where = "{} {}".format(method, url) if method else "a request"
    text = "ARM sent an unreadable answer to {} (HTTP {}: its JSON body is cut off or malformed)".format(
        where, status if status is not None else "status unknown")
    if follow and method in ("PUT", "PATCH", "DELETE") and status is not None and 200 <= status < 300:
        show, wait = follow_up_commands(*follow)
        return AzureResponseError("{}. The write was accepted; check the result with '{}' or follow it with "
                                  "'{}'.".format(text, show, wait))
    return AzureResponseError(text + ". Try again.")


def unreachable(exc, endpoint, follow=None, method=None):
    """The error for a request that got no answer (connection refused, reset, timed out) after retries."""
    from azure.core.exceptions import ServiceResponseError
    text = "No answer from ARM at {}: {}".format(endpoint, _reason(exc))
    if follow and method in ("PUT", "PATCH", "DELETE") and isinstance(exc, ServiceResponseError):
        show, wait = follow_up_commands(*follow)
        return AzureResponseError("{}. The write may have been applied before the connection broke: check with "
                                  "'{}' or follow it with '{}'.".format(text, show, wait))
    return AzureResponseError(text + ". Check the network connection (and any proxy) and try again.")


def operation_failure(exc, what, cluster, follow, poll_url):
    """The error for a long-running operation that could not be followed to its end.

    The write itself was accepted.  When the service reports the operation Failed or Canceled, that
    is its outcome (translated as any ARM error).  Otherwise following it failed: say so, with the
    URL that failed, what the service said, and the commands that check or keep following it.
    """
    from azure.core.exceptions import DecodeError, HttpResponseError
    from azure.core.polling.base_polling import BadResponse, OperationFailed
    inner = getattr(exc, "inner_exception", None)
    if isinstance(inner, OperationFailed):
        return translate(exc, what=what, cluster=cluster)
    show, wait = follow_up_commands(*follow)
    _, url, status = _request_of(exc)
    url = url or poll_url
    where = "GET {}".format(url) if url else "its status URL"
    advice = "The {} write was accepted and the operation may still complete: follow it with '{}' or check " \
             "with '{}'.".format(what, wait, show)
    if isinstance(exc, DecodeError) or isinstance(inner, BadResponse):
        return AzureResponseError("ARM sent unreadable answers to {} while following the operation (the JSON body "
                                  "is cut off, malformed or has no status). {}".format(where, advice))
    if isinstance(exc, HttpResponseError) and status is not None:
        code, message = error_code_and_message(exc)
        said = _sentence("({}) {}".format(code, message) if code else message)
        # Not ResourceNotFoundError (exit 3) for a 404: the resource exists, its operation's URL does not.
        error_class = AzureInternalError if status >= 500 else AzureResponseError
        return error_class("Following the operation failed: {} answered HTTP {}: {} {}".format(
            where, status, said, advice))
    return AzureResponseError("Following the operation failed: no answer to {}: {}. {}".format(
        where, _reason(exc), advice))
