"""Long-running-operation polling that sees completion soon after it happens.

The live Microsoft.KubernetesConfiguration service sends no Retry-After header, so the SDK's
ARMPolling falls back to a fixed 30 s between polls: a 3-second operation is seen done 27 s late.

The schedule (used when the service sends no Retry-After; a Retry-After, when sent, wins):

    delay = min(MAX_DELAY, max(FIRST_DELAY, SHARE * elapsed))      elapsed: since the write was sent

that is, 0.5 s while the operation is younger than 5 s, then a tenth of its age, at most 10 s.
Completion is seen at most one delay after it happens: at most 0.5 s late for operations up to
5 s, at most 10% of the operation's duration up to 100 s, and at most 10 s after that.  The
price is the number of polls: 2 per second for the first 5 s, then about 24 per tenfold of
duration (a 3 s operation: 7 polls, 20 s: 26, 1 min: 38, 2 min: 45, then 6 per minute).
That is one small GET every half second at worst, far below ARM's read limits, and the user
gets the answer instead of waiting.  The cap of 10 s keeps a long operation's lateness under 10%
from 100 s on while adding only 6 polls a minute.

A poll that fails (after the pipeline's own retries) is tried again, up to POLL_ATTEMPTS times in a
row, before the failure reaches the caller: a moment of service trouble in the middle of an
operation does not end the command.  `last_url` names the URL of the poll that failed.
"""
import time

from azure.core.exceptions import DecodeError, ServiceRequestError, ServiceResponseError
from azure.core.pipeline.policies._utils import get_retry_after
from azure.core.polling.base_polling import BadResponse, BadStatus
from azure.mgmt.core.polling.arm_polling import ARMPolling

FIRST_DELAY = 0.5       # the shortest wait between polls, and the lateness bound for short operations
SHARE = 0.1             # wait a tenth of the operation's age: completion is seen at most 10% late
MAX_DELAY = 10.0        # the longest wait between polls
POLL_ATTEMPTS = 3       # failed polls in a row before the failure is reported
TRANSIENT_STATUS = frozenset([408, 429, 500, 502, 503, 504])


def clock():
    return time.monotonic()


def sleep(seconds):
    time.sleep(seconds)


def next_delay(elapsed, floor=None):
    """Seconds to wait before the next check of something that has been running `elapsed` seconds.

    `floor` raises the shortest wait (a fleet following many operations at once keeps its polls
    within ARM's read budget).
    """
    return min(max(MAX_DELAY, floor or 0.0), max(floor or FIRST_DELAY, SHARE * max(0.0, elapsed)))


def backoff_delays(start=0.0):
    """The delays between polls, in order, for an operation whose first poll is at `start` seconds."""
    elapsed = start
    while True:
        delay = next_delay(elapsed)
        yield delay
        elapsed += delay


class BackoffARMPolling(ARMPolling):
    """ARMPolling that honours Retry-After, otherwise polls on `next_delay`, and rides out failed polls."""

    def __init__(self, floor=None, **kwargs):
        super().__init__(timeout=floor or FIRST_DELAY, **kwargs)
        self._floor = floor
        self._started = clock()
        self.last_url = None
        self.polls = 0

    def initialize(self, client, initial_response, deserialization_callback):
        try:
            super().initialize(client, initial_response, deserialization_callback)
        except DecodeError as error:
            if error.response is not None:
                raise
            # The write's own answer (200/201 with a body to read) was cut off: keep it, so that the
            # error names the request and says it was accepted.
            raise DecodeError(str(error), response=initial_response.http_response) from error

    def _extract_delay(self):
        retry_after = get_retry_after(self._pipeline_response)
        if retry_after:
            return retry_after
        return next_delay(clock() - self._started, self._floor)

    def _sleep(self, delay):
        sleep(delay)

    def request_status(self, status_link):
        self.last_url = status_link
        self.polls += 1
        return super().request_status(status_link)

    def _transient(self, error):
        if isinstance(error, (DecodeError, BadResponse, ServiceRequestError, ServiceResponseError)):
            return True
        if isinstance(error, BadStatus):
            return self._pipeline_response.http_response.status_code in TRANSIENT_STATUS
        return False

    def update_status(self):
        failures = 0
        while True:
            try:
                super().update_status()
                return
            except Exception as error:  # pylint: disable=broad-except
                failures += 1
                if failures >= POLL_ATTEMPTS or not self._transient(error):
                    raise
                self._sleep(next_delay(clock() - self._started))
