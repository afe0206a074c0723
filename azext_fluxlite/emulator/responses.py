"""ARM-shaped responses: the error envelope, JSON bodies, timestamps."""
import json
import time
import uuid
from datetime import datetime, timezone

JSON_TYPE = "application/json; charset=utf-8"


class Response:
    def __init__(self, status, body=None, headers=None, raw=None):
        self.status = status
        self.headers = dict(headers or {})
        if raw is not None:
            self.body = raw
        elif body is None:
            self.body = b""
        else:
            self.body = json.dumps(body).encode("utf-8")
            self.headers.setdefault("Content-Type", JSON_TYPE)


class ArmError(Exception):
    """An error answered in the ARM envelope {"error": {"code", "message", ...}}."""

    def __init__(self, status, code, message, headers=None, additional_info=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.additional_info = additional_info

    def response(self):
        error = {"code": self.code, "message": self.message}
        if self.additional_info is not None:
            error["additionalInfo"] = self.additional_info
        # Never a Retry-After on a 4xx: azure-core would retry the request instead of surfacing it.
        headers = {k: v for k, v in self.headers.items() if k.lower() != "retry-after"}
        return Response(self.status, {"error": error}, headers)


def not_found(message, code="ResourceNotFound"):
    return ArmError(404, code, message, additional_info=[])


def validation_failed(message):
    return ArmError(400, "ValidationFailed", message)


def bad_request(code, message):
    return ArmError(400, code, message)


def conflict(message, code="Conflict"):
    return ArmError(409, code, message)


def ok(body, status=200, headers=None):
    return Response(status, body, headers)


def empty(status, headers=None):
    return Response(status, None, headers)


def arm_time(ts=None):
    """ARM systemData style: 2024-05-10T04:17:34.0746394+00:00 (7 fractional digits)."""
    ts = time.time() if ts is None else ts
    dt = datetime.fromtimestamp(ts, tz=timezone.utc)
    ticks = int(round((ts - int(ts)) * 10_000_000)) % 10_000_000
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + ".{:07d}+00:00".format(ticks)


def k8s_time(ts=None):
    """Kubernetes condition style: 2021-05-19T18:12:40Z."""
    ts = time.time() if ts is None else ts
    return datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_guid():
    return str(uuid.uuid4())


def system_data(created, modified, by=(None, None), previous=None):
    """ARM systemData: `by` is (principal, principalType) of this write; `previous` the stored systemData."""
    previous = previous or {}
    return {"createdBy": previous.get("createdBy") or by[0], "createdByType": previous.get("createdByType") or by[1],
            "createdAt": previous.get("createdAt") or arm_time(created),
            "lastModifiedBy": by[0] or previous.get("lastModifiedBy"),
            "lastModifiedByType": by[1] or previous.get("lastModifiedByType"), "lastModifiedAt": arm_time(modified)}
