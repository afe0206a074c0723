"""Run per-cluster work on many clusters: parallel, canaries first, a failure budget, progress.

`rollout(items, work, ...)` calls `work(item)` for every item, at most `max_parallel` at a time.
`work` returns a result dict whose "action" is "failed" when the cluster failed; an exception it
raises becomes a failed result (`on_error(item, exc)`).  The first `canary` items run first, on
their own; if one fails the rest are skipped.  After `max_failures` failures no new item starts.
Items that never start get `on_skip(item, reason)`.  Results come back in the items' order.
"""
import sys
import threading
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait


class Progress:
    """`done/failed/running of total` on one rewritten stderr line, only when stderr is a terminal."""

    def __init__(self, total, stream=None, enabled=None):
        self.stream = stream or sys.stderr
        if enabled is None:
            isatty = getattr(self.stream, "isatty", None)
            enabled = bool(isatty and isatty())
        self.enabled = enabled and total > 0
        self.total = total
        self.done = self.failed = self.running = 0
        self._lock = threading.Lock()

    def _show(self):
        if self.enabled:
            self.stream.write("\r{} done, {} failed, {} running of {} clusters".format(
                self.done, self.failed, self.running, self.total))
            self.stream.flush()

    def started(self):
        with self._lock:
            self.running += 1
            self._show()

    def finished(self, failed):
        with self._lock:
            self.running -= 1
            if failed:
                self.failed += 1
            else:
                self.done += 1
            self._show()

    def close(self):
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


def parallel_map(fn, items, max_parallel):
    """[fn(item) for item in items], at most max_parallel at once; the first exception is raised."""
    items = list(items)
    if len(items) <= 1:
        return [fn(item) for item in items]
    with ThreadPoolExecutor(max_workers=max(1, min(max_parallel, len(items)))) as pool:
        return list(pool.map(fn, items))


def _is_failure(result):
    return (result or {}).get("action") == "failed"


def rollout(items, work, on_error, on_skip, max_parallel=10, canary=0, max_failures=None, progress=None):
    items = list(items)
    results = [None] * len(items)
    progress = progress or Progress(len(items), enabled=False)
    failures = []

    def run(index):
        progress.started()
        try:
            result = work(items[index])
        except Exception as exc:  # pylint: disable=broad-except
            result = on_error(items[index], exc)
        progress.finished(_is_failure(result))
        return result

    def run_batch(indexes, pool, stop_reason):
        pending = {}
        queue = list(indexes)
        while queue or pending:
            while queue and len(pending) < max_parallel and stop_reason() is None:
                index = queue.pop(0)
                pending[pool.submit(run, index)] = index
            if not pending:
                break
            finished, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            for future in finished:
                index = pending.pop(future)
                results[index] = future.result()
                if _is_failure(results[index]):
                    failures.append(items[index])
        return queue

    def budget_spent():
        if max_failures is not None and len(failures) >= max_failures:
            return "not started: {} cluster(s) failed, the --max-failures limit".format(len(failures))
        return None

    canary = max(0, min(canary or 0, len(items)))
    try:
        with ThreadPoolExecutor(max_workers=max(1, min(max_parallel, len(items) or 1))) as pool:
            left = run_batch(range(canary), pool, budget_spent)
            if canary and failures:
                reason = "not started: canary cluster(s) failed"
                left = list(left) + list(range(canary, len(items)))
            else:
                left = run_batch(range(canary, len(items)), pool, budget_spent) + list(left)
                reason = budget_spent()
            for index in left:
                results[index] = on_skip(items[index], reason or "not started")
    finally:
        progress.close()
    return results
