"""One connection pool and one throttle for a whole fleet run.

Every SDK client of a fleet run shares one `requests` session (a pool as large as the run is
parallel) and one `ThrottleGate`: when ARM answers 429, the gate holds *every* request of the run
for the Retry-After the answer gave (or a growing back-off when it gave none), then the throttled
request is sent again.  ARM limits writes per subscription, so slowing the whole run down is what
gets it through; failing the throttled clusters would not.
"""
import logging
import threading
import time

from azure.core.pipeline.policies import HTTPPolicy
from azure.core.pipeline.policies._utils import get_retry_after

FIRST_BACKOFF = 1.0     # seconds, for a 429 without Retry-After; doubles up to MAX_BACKOFF
MAX_BACKOFF = 60.0
MAX_THROTTLED_ATTEMPTS = 30

logger = logging.getLogger("cli." + __name__)


class ThrottleGate:
    """Shared by every request of a run: `wait()` before sending, `hold(seconds)` after a 429."""

    def __init__(self, clock=time.monotonic, sleep=time.sleep):
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self._until = 0.0
        self.throttled = 0          # 429 answers seen
        self.held_seconds = 0.0     # total time the run was held

    def wait(self):
        while True:
            with self._lock:
                delay = self._until - self._clock()
            if delay <= 0:
                return
            self._sleep(delay)

    def hold(self, seconds):
        with self._lock:
            now = self._clock()
            until = max(self._until, now + seconds)
            self.held_seconds += max(0.0, until - max(self._until, now))
            self._until = until
            self.throttled += 1
            first = self.throttled == 1
        if first:
            logger.warning("Azure Resource Manager is throttling requests (429): the whole run waits %gs as asked, "
                           "then goes on; throttled requests are sent again.", seconds)


class ThrottlePolicy(HTTPPolicy):
    """Per-retry policy: waits at the gate, and on 429 holds the gate and sends the request again."""

    def __init__(self, gate, max_attempts=MAX_THROTTLED_ATTEMPTS):
        super().__init__()
        self.gate = gate
        self.max_attempts = max_attempts

    def send(self, request):
        backoff = FIRST_BACKOFF
        response = None
        for _ in range(self.max_attempts):
            self.gate.wait()
            response = self.next.send(request)
            if response.http_response.status_code != 429:
                return response
            delay = get_retry_after(response)
            if not delay:
                delay, backoff = backoff, min(backoff * 2, MAX_BACKOFF)
            self.gate.hold(float(delay))
        return response


POOL_SIZE = 256     # connections kept per host: more than --max-parallel can ask for (200)


def _shared_tls_adapter_class():
    from requests.adapters import HTTPAdapter

    class SharedTlsAdapter(HTTPAdapter):
        """Builds the TLS context of a CA bundle once for the whole pool.

        Given a CA bundle path (`verify=PATH`, or REQUESTS_CA_BUNDLE), urllib3 parses the bundle again
        for every new connection: about 0.1 s of CPU each, so opening 50 connections at once cost
        seconds before the first request of a fleet went out.
        """

        def __init__(self, **kwargs):
            self._contexts = {}
            self._context_lock = threading.Lock()
            super().__init__(**kwargs)

        def _context(self, verify):
            with self._context_lock:
                context = self._contexts.get(verify)
                if context is None:
                    import os
                    from urllib3.util.ssl_ import create_urllib3_context
                    context = create_urllib3_context()
                    if os.path.isdir(verify):
                        context.load_verify_locations(capath=verify)
                    else:
                        context.load_verify_locations(cafile=verify)
                    self._contexts[verify] = context
                return context

        def cert_verify(self, conn, url, verify, cert):
            super().cert_verify(conn, url, verify, cert)
            if isinstance(verify, str) and url.lower().startswith("https"):
                conn.ca_certs = conn.ca_cert_dir = None      # in the pool's ssl_context already

        def build_connection_pool_key_attributes(self, request, verify, cert=None):
            host_params, pool_kwargs = super().build_connection_pool_key_attributes(request, verify, cert)
            if isinstance(verify, str) and host_params.get("scheme") == "https":
                pool_kwargs.pop("ca_certs", None)
                pool_kwargs.pop("ca_cert_dir", None)
                pool_kwargs["ssl_context"] = self._context(verify)
            return host_params, pool_kwargs

    return SharedTlsAdapter


def shared_transport(connection_verify=None):
    """A RequestsTransport over one session whose pool keeps a connection per parallel cluster."""
    import requests
    from azure.core.pipeline.transport import RequestsTransport
    session = requests.Session()
    size = POOL_SIZE
    from urllib3.util.retry import Retry
    adapter = _shared_tls_adapter_class()(pool_connections=4, pool_maxsize=size,
                                           max_retries=Retry(total=False, redirect=False, raise_on_status=False))
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    extra = {} if connection_verify is None else {"connection_verify": connection_verify}
    return RequestsTransport(session=session, session_owner=False, **extra)


class FleetConnection:
    """The SDK client keyword arguments every client of one fleet run is built with."""

    def __init__(self, connection_verify=None, gate=None):
        self.gate = gate or ThrottleGate()
        self.transport = shared_transport(connection_verify)

    def client_kwargs(self):
        return {"transport": self.transport, "per_retry_policies": [ThrottlePolicy(self.gate)]}
