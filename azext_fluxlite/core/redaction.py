"""Keep secrets out of `--debug`.

With --debug, az's network trace logs every request and response body verbatim, so the originals
print protected settings, account keys, SAS tokens and client secrets.  fluxlite installs a filter
on that logger which rewrites JSON bodies with every secret value replaced by "REDACTED" (keys stay,
so the trace is still useful).  The same `redact` serves dry-run output and exports.
"""
import ast
import json
import logging

REDACTED = "REDACTED"
# Wire fields whose values are secrets wherever they appear.
SECRET_FIELDS = frozenset([
    "sshPrivateKey", "httpsKey", "bucketSecretKey", "accountKey", "sasToken", "clientSecret",
    "clientCertificate", "clientCertificatePassword", "privateKey",
    # keys answered by Log Analytics sharedKeys, Relay/Service Bus listKeys (partner extension types)
    "primarySharedKey", "secondarySharedKey", "primaryKey", "secondaryKey",
    "primaryConnectionString", "secondaryConnectionString",
])
# Maps whose every value is a secret.
SECRET_MAPS = frozenset(["configurationProtectedSettings"])
TRACE_LOGGER = "cli.azure.cli.core.sdk.policies"


def redact(value):
    """A deep copy of a JSON value with every secret value replaced."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key in SECRET_MAPS and isinstance(item, dict):
                out[key] = {k: (REDACTED if v not in (None, "") else v) for k, v in item.items()}
            elif key in SECRET_FIELDS and item not in (None, "", {}):
                out[key] = REDACTED
            else:
                out[key] = redact(item)
        return out
    if isinstance(value, list):
        return [redact(item) for item in value]
    return value


def _as_json(text):
    text = text.strip()
    if text[:2] in ("b'", 'b"'):
        try:
            text = ast.literal_eval(text).decode("utf-8")
        except (ValueError, SyntaxError, UnicodeDecodeError):
            return None
    if not text.startswith(("{", "[")):
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


class RedactSecretsFilter(logging.Filter):  # pylint: disable=too-few-public-methods
    """Rewrites logged JSON bodies with their secrets redacted."""

    def filter(self, record):
        if isinstance(record.msg, str) and not record.args:
            body = _as_json(record.msg)
            if body is not None:
                redacted = redact(body)
                if redacted != body:
                    record.msg = json.dumps(redacted)
        return True


def install():
    """Attach the filter to az's network trace logger (once)."""
    trace = logging.getLogger(TRACE_LOGGER)
    if not any(isinstance(f, RedactSecretsFilter) for f in trace.filters):
        trace.addFilter(RedactSecretsFilter())
