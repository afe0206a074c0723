"""Waiting for a resource to reach a state: the `wait` commands and `--wait-for-compliance`.

`wait_for` polls a getter until a condition holds, printing a progress line to stderr whenever
what it sees changes (readable in a terminal and in CI logs alike).  The conditions are the ones
az's own `wait` commands offer, plus compliance for flux configurations.

Without `--interval` it polls on the schedule of long-running operations (core/polling.py: every
0.5 s at first, then a tenth of the time waited so far, at most 10 s), so a state reached after 2 s
is seen within half a second instead of the originals' 30 s.  `--interval` and `--timeout` take
durations (`30s`, `15m`, `1h`) or plain seconds.

Compliance: while Flux converges, a kustomization whose dependency is not ready yet reports
Non-Compliant for a moment.  Waiting for compliance fails at once on a terminal state (provisioning
Failed or Canceled), but on Non-Compliant only once it has lasted NON_COMPLIANT_GRACE seconds
(2 minutes) of consecutive readings.
"""
import sys
import time

from azext_fluxlite.core.errors import (AzureResponseError, InvalidArgumentValueError, RequiredArgumentMissingError,
                                       ResourceNotFoundError)

TERMINAL_FAILURES = ("Failed", "Canceled")
CONDITIONS = ("created", "updated", "deleted", "exists", "custom", "compliant")
NON_COMPLIANT_GRACE = 120   # seconds a Non-Compliant state must last before waiting for compliance fails
BACKOFF = "backoff"         # --interval's default: the schedule of long-running operations


def clock():
    return time.monotonic()


def sleep(seconds):
    time.sleep(seconds)


class WaitTimeout(AzureResponseError):
    pass


def _progress(message, stream=None):
    stream = stream or sys.stderr
    stream.write(message + "\n")
    stream.flush()


def pick_condition(created=False, updated=False, deleted=False, exists=False, custom=None, compliant=False):
    """The one condition a `wait` command was given (az's wait takes exactly one)."""
    chosen = [name for name, on in (("created", created), ("updated", updated), ("deleted", deleted),
                                    ("exists", exists), ("custom", custom), ("compliant", compliant)) if on]
    options = ", ".join("--" + c for c in CONDITIONS if c != "compliant" or compliant is not None)
    if not chosen:
        raise RequiredArgumentMissingError("Give one condition to wait for: {}.".format(options))
    if len(chosen) > 1:
        raise InvalidArgumentValueError(
            "Give only one condition to wait for, not {}.".format(" and ".join("--" + c for c in chosen)))
    return chosen[0]


def failing_objects(resource):
    """'Kind namespace/name: message' lines for the objects of a flux configuration that are not compliant."""
    lines = []
    for status in resource.get("statuses") or []:
        state = status.get("complianceState")
        if state in ("Compliant", "Suspended", None):
            continue
        message = ""
        for condition in status.get("statusConditions") or []:
            if condition.get("type") == "Ready":
                message = condition.get("message") or condition.get("reason") or ""
                break
        lines.append("  {} {}/{}: {} {}".format(status.get("kind"), status.get("namespace"), status.get("name"),
                                              state, message).rstrip())
    return lines


def compliance_summary(resource):
    statuses = resource.get("statuses") or []
    good = sum(1 for s in statuses if s.get("complianceState") == "Compliant")
    return "{} ({} of {} objects compliant)".format(resource.get("complianceState") or "Unknown", good,
                                                   len(statuses))


def _evaluate(condition, resource, custom=None):
    """(done, failure message or None, progress text) for one observation; resource None = not found."""
    if condition == "deleted":
        return resource is None, None, "still exists" if resource is not None else "deleted"
    if resource is None:
        return False, None, "not found yet"
    state = resource.get("provisioningState")
    if condition == "exists":
        return True, None, "exists"
    if condition in ("created", "updated"):
        if state in TERMINAL_FAILURES:
            return False, "provisioningState is {}".format(state), state
        return state == "Succeeded", None, "provisioningState {}".format(state)
    if condition == "custom":
        import jmespath
        return bool(jmespath.search(custom, resource)), None, "provisioningState {}".format(state)
    # compliant
    if state in TERMINAL_FAILURES:
        return False, "provisioningState is {}{}".format(
            state, ": " + resource["errorMessage"] if resource.get("errorMessage") else ""), state
    compliance = resource.get("complianceState")
    summary = compliance_summary(resource)
    if state == "Succeeded" and compliance == "Compliant":
        return True, None, summary
    if state == "Succeeded" and compliance == "Non-Compliant":
        detail = "\n".join(failing_objects(resource))
        return False, "the configuration is Non-Compliant{}{}".format(
            ": " + resource["errorMessage"] if resource.get("errorMessage") else "",
            "\n" + detail if detail else ""), summary
    return False, None, summary


def _seconds(value, option):
    from azext_fluxlite.core.durations import parse_duration
    if isinstance(value, float) and value > 0:
        return value
    return parse_duration(value, option)


def wait_for(get, condition, what, interval=None, timeout=3600, custom=None, clock=None, sleep=None, stream=None,
             grace=None, timeout_flag="--timeout"):
    """Poll `get()` (None when the resource does not exist) until `condition` holds; return the last value.

    `interval`: seconds or a duration ("30s"); None or "backoff" follows the operation schedule.
    `timeout`: seconds or a duration.  `grace`: seconds a Non-Compliant state may last while waiting
    for compliance (default NON_COMPLIANT_GRACE).  Raises AzureResponseError when the resource reaches
    a failed state, WaitTimeout after `timeout` (naming `timeout_flag`, the flag that sets it).
    """
    from azext_fluxlite.core.polling import next_delay
    clock = clock or globals()["clock"]
    sleep = sleep or globals()["sleep"]
    timeout = _seconds(timeout, "--timeout")
    if interval is not None and str(interval).strip().lower() != BACKOFF:
        interval = _seconds(interval, "--interval")
    else:
        interval = None
    grace = NON_COMPLIANT_GRACE if grace is None else grace
    started = clock()
    deadline = started + timeout
    last_note = None
    failing_since = None
    while True:
        try:
            resource = get()
        except ResourceNotFoundError:
            resource = None
        done, failure, note = _evaluate(condition, resource, custom)
        lasting = condition == "compliant" and failure is not None and failure.startswith(_NON_COMPLIANT)
        if lasting:
            failing_since = clock() if failing_since is None else failing_since
            if clock() - failing_since < grace:
                failure = None
                note += " (fails if it lasts {})".format(_grace_text(grace))
        else:
            failing_since = None
        if note != last_note:
            _progress("Waiting for {} to be {}: {}".format(what, condition, note), stream)
            last_note = note
        if done:
            return resource
        if failure:
            if lasting:
                failure = "it stayed Non-Compliant for {}{}".format(_grace_text(grace), failure[len(_NON_COMPLIANT):])
            raise AzureResponseError("{} will not become {}: {}".format(what, condition, failure))
        delay = interval if interval is not None else next_delay(clock() - started)
        if clock() + delay > deadline:
            remaining = deadline - clock()
            if remaining <= 0 or interval is not None:
                raise WaitTimeout("Timed out after {:g}s waiting for {} to be {} (last seen: {}). Wait longer with "
                                  "a larger {}.".format(timeout, what, condition, note, timeout_flag))
            delay = remaining      # one last look at the deadline
        sleep(delay)


_NON_COMPLIANT = "the configuration is Non-Compliant"


def _grace_text(seconds):
    from azext_fluxlite.core.durations import format_duration
    return format_duration(int(seconds)) or "{:g}s".format(seconds)
