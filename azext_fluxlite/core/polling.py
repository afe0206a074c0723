"""Long-running-operation polling that does not wait 30 s per poll.

The live Microsoft.KubernetesConfiguration service sends no Retry-After header, so the SDK's
ARMPolling falls back to a fixed 30 s between polls.  Operations usually take a few seconds to a
few minutes, so fluxlite polls at the service's Retry-After when there is one, and otherwise
starts near one second and backs off to at most ten.
"""
from azure.core.pipeline.policies._utils import get_retry_after
from azure.mgmt.core.polling.arm_polling import ARMPolling

FIRST_DELAY = 1.0
STEADY_POLLS = 3        # polls at FIRST_DELAY before backing off: most operations end within seconds
BACKOFF_FACTOR = 1.5
MAX_DELAY = 10.0


def backoff_delays(first=None, factor=None, maximum=None, steady=None):
    """Yield the delays used between polls when the service gives no Retry-After.

    1 s, 1 s, 1 s, then growing by half each time up to 10 s: a 3-second operation is seen done
    after about 3 s, a 2-minute one costs about 20 polls instead of the SDK's 4 at 30 s each.
    """
    delay = FIRST_DELAY if first is None else first
    factor = BACKOFF_FACTOR if factor is None else factor
    maximum = MAX_DELAY if maximum is None else maximum
    steady = STEADY_POLLS if steady is None else steady
    for _ in range(steady):
        yield min(delay, maximum)
    while True:
        delay = min(delay * factor, maximum)
        yield delay


class BackoffARMPolling(ARMPolling):
    """ARMPolling that honours Retry-After and otherwise backs off from ~1 s to 10 s."""

    def __init__(self, **kwargs):
        self._delays = backoff_delays()
        super().__init__(timeout=FIRST_DELAY, **kwargs)

    def _extract_delay(self):
        retry_after = get_retry_after(self._pipeline_response)
        if retry_after:
            return retry_after
        return next(self._delays)
