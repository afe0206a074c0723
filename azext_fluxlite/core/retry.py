"""The retry policy of fluxlite's SDK clients: every write of desired state is safe to repeat.

azure-core's default RetryPolicy retries GET, PUT and DELETE on 408/429/500/502/503/504 and on
connection and read errors, but PATCH only on 500/503/504 and never after a connection reset, on
the grounds that a PATCH may not be idempotent.  An ARM PATCH of a fluxConfiguration or an
extension sets desired state: sending it twice leaves the resource as sending it once does.  So
fluxlite retries PATCH like PUT and DELETE (POST stays as azure-core has it: partner side calls
such as listKeys are not writes of desired state).

It also retries a successful answer whose JSON body cannot be read (a truncated answer): azure-core
would pass it on and fail while decoding it, although asking again is safe for these methods.
Retry-After, when the service sends it, decides the wait (azure-core's behaviour, kept).
"""
import json

from azure.core.pipeline.policies import RetryPolicy

RETRIED_METHODS = frozenset(["HEAD", "GET", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"])


def unreadable_json(http_response):
    """True when a response says it carries JSON but its body does not parse."""
    content_type = (http_response.headers.get("Content-Type") or "").lower()
    if "json" not in content_type:
        return False
    from azure.core.exceptions import ResponseNotReadError
    try:
        try:
            text = http_response.text()
        except ResponseNotReadError:    # a streamed answer (the SDK streams LRO starts): read it now
            http_response.read()
            text = http_response.text()
    except Exception:  # pylint: disable=broad-except
        return True     # the body broke off while being read
    if not text.strip():
        return False
    try:
        json.loads(text)
    except ValueError:
        return True
    return False


class ArmRetryPolicy(RetryPolicy):
    """RetryPolicy that treats ARM PUT/PATCH/DELETE of desired state as safe to repeat."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._method_whitelist = RETRIED_METHODS

    def is_retry(self, settings, response):
        if super().is_retry(settings, response):
            return True
        http = response.http_response
        return bool(settings["total"] and 200 <= http.status_code < 300 and http.status_code != 202
                    and self._is_method_retryable(settings, response.http_request)
                    and unreadable_json(http))


def arm_retry_policy(**kwargs):
    """The retry policy every fluxlite SDK client gets (kwargs as azure-core's RetryPolicy takes)."""
    return ArmRetryPolicy(**kwargs)
