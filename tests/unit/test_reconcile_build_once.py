"""A fleet reconciles one revision on many clusters at once: the emulator builds it once."""
import threading

from azext_fluxlite.emulator import reconcile


def test_concurrent_reconciles_of_one_revision_build_once(monkeypatch):
    calls = []
    release = threading.Event()

    def build(root, kustomizations, ns, name, kind, tool=None, check_references=True):  # pylint: disable=unused-argument
        calls.append(root)
        release.wait(10)
        return "built " + root

    monkeypatch.setattr(reconcile.engine, "build_configuration", build)
    monkeypatch.setattr(reconcile, "_CACHE", reconcile.collections.OrderedDict())
    results = []
    threads = [threading.Thread(target=lambda: results.append(
        reconcile._build("/checkouts/abc", "main@sha1:abc", {"apps": {"path": "./apps"}}, "ns", "cfg", "GitRepository")))
        for _ in range(8)]
    for thread in threads:
        thread.start()
    release.set()
    for thread in threads:
        thread.join(10)
    assert results == ["built /checkouts/abc"] * 8
    assert calls == ["/checkouts/abc"]
    # another revision is another build
    reconcile._build("/checkouts/def", "main@sha1:def", {"apps": {"path": "./apps"}}, "ns", "cfg", "GitRepository")
    assert calls == ["/checkouts/abc", "/checkouts/def"]
