"""An incoming request: path segments, query, headers, body; and JSON parsing with ARM's 400s."""
import json
from urllib.parse import parse_qsl, unquote, urlsplit

from .responses import ArmError

MAX_BODY_BYTES = 4 * 1024 * 1024       # ARM refuses larger request bodies too
MAX_JSON_DEPTH = 64


def _json_depth_ok(value):
    """True when no object/array nesting is deeper than MAX_JSON_DEPTH (checked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return False
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return True


def parse_json(body):
    """The JSON document in a request body, or ArmError 400 (malformed, not UTF-8, or nested too deeply)."""
    try:
        value = json.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ArmError(400, "InvalidRequestContent",
                       "The request content was invalid and could not be deserialized: {}".format(exc)) from None
    except RecursionError:
        value = None
    else:
        if _json_depth_ok(value):
            return value
    raise ArmError(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized: "
                                                 "JSON nested deeper than {} levels.".format(MAX_JSON_DEPTH))


class Request:
    def __init__(self, method, target, headers, body):
        self.method = method.upper()
        parts = urlsplit(target)
        raw = "/" + "/".join(p for p in parts.path.split("/") if p)
        self.segments = [unquote(p) for p in raw.split("/") if p]
        self.lower = [s.lower() for s in self.segments]
        self.path = "/" + "/".join(self.segments)
        self.query_string = parts.query
        self.query = {}
        for key, value in parse_qsl(parts.query, keep_blank_values=True):
            self.query.setdefault(key.lower(), value)
        self.headers = headers
        self.body = body
        self.claims = None          # the verified token's claims, for ARM requests

    @property
    def api_version(self):
        return self.query.get("api-version", "")

    def json(self):
        if not self.body:
            raise ArmError(400, "InvalidRequestContent", "The request content was empty; a JSON body is required.")
        return parse_json(self.body)

    def json_or_none(self):
        try:
            return parse_json(self.body)
        except ArmError:
            return "<{} bytes, not JSON>".format(len(self.body))
