"""fleet/rollout.py: parallel per-cluster work with canaries, a failure budget and progress."""
import io
import threading

from azext_fluxlite.fleet.rollout import Progress, rollout


def _run(items, fail=(), **options):
    started = []
    lock = threading.Lock()

    def work(item):
        with lock:
            started.append(item)
        if item in fail:
            raise RuntimeError("boom " + item)
        return {"item": item, "action": "created"}

    results = rollout(items, work, lambda item, exc: {"item": item, "action": "failed", "error": str(exc)},
                      lambda item, reason: {"item": item, "action": "skipped", "error": reason}, **options)
    return results, started


def test_every_item_gets_a_result_in_order():
    items = ["c{}".format(i) for i in range(20)]
    results, started = _run(items, fail={"c3"}, max_parallel=5)
    assert [r["item"] for r in results] == items
    assert [r["action"] for r in results].count("failed") == 1
    assert results[3]["error"] == "boom c3"
    assert sorted(started) == sorted(items)


def test_a_failed_canary_skips_the_rest():
    results, started = _run(["a", "b", "c", "d"], fail={"b"}, canary=2, max_parallel=4)
    assert [r["action"] for r in results] == ["created", "failed", "skipped", "skipped"]
    assert results[2]["error"] == "not started: canary cluster(s) failed"
    assert sorted(started) == ["a", "b"]


def test_canaries_finish_before_the_rest_start():
    order = []

    def work(item):
        order.append(("start", item))
        order.append(("end", item))
        return {"action": "created"}
    rollout(["a", "b", "c"], work, None, None, canary=1, max_parallel=3)
    assert order[:2] == [("start", "a"), ("end", "a")]


def test_max_failures_stops_starting_new_items():
    items = ["c{}".format(i) for i in range(6)]
    results, started = _run(items, fail={"c0", "c1"}, max_parallel=1, max_failures=2)
    assert [r["action"] for r in results] == ["failed", "failed"] + ["skipped"] * 4
    assert "--max-failures" in results[2]["error"]
    assert started == ["c0", "c1"]


def test_progress_only_on_a_terminal():
    class Tty(io.StringIO):
        def isatty(self):
            return True
    tty, pipe = Tty(), io.StringIO()
    for stream in (tty, pipe):
        progress = Progress(2, stream=stream)
        rollout(["a", "b"], lambda item: {"action": "failed" if item == "b" else "created"}, None, None,
                max_parallel=1, progress=progress)
    assert pipe.getvalue() == ""
    assert tty.getvalue().endswith("1 done, 1 failed, 0 running of 2 clusters\n")
