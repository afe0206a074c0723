"""State in SQLite: restarts keep acknowledged writes and finish running operations; concurrent
writers to one resource lose nothing."""
import sqlite3
import threading
import time

from .emulator_harness import EXT_API, flux_body, flux_path, ext_path


def test_a_restart_mid_operation_still_completes_it(make_emulator):
    emu = make_emulator(operation_seconds=30)
    res = emu.put(flux_path(), flux_body())
    async_url = res.headers["Azure-AsyncOperation"]
    emu.restart()
    assert emu.get(flux_path()).json()["properties"]["provisioningState"] == "Creating"
    emu.advance(30)
    status = emu.session.get(async_url.replace(async_url.split("/subscriptions")[0], emu.base), verify=emu.bundle)
    assert status.json()["status"] == "Succeeded"
    assert emu.get(flux_path()).json()["properties"]["provisioningState"] == "Succeeded"


def test_a_restart_keeps_every_acknowledged_write(make_emulator):
    emu = make_emulator(operation_seconds=0)
    for i in range(5):
        assert emu.put(flux_path("cfg{}".format(i)), flux_body()).status_code == 201
    assert emu.put(ext_path(), {"properties": {"extensionType": "microsoft.flux"}}, api=EXT_API).status_code == 201
    assert emu.delete(flux_path("cfg2"), params={"forceDelete": "true"}).status_code == 200
    emu.restart()
    names = [c["name"] for c in emu.get(flux_path("x").rsplit("/", 1)[0]).json()["value"]]
    assert names == ["cfg0", "cfg1", "cfg3", "cfg4"]
    assert emu.get(ext_path(), api=EXT_API).json()["properties"]["provisioningState"] == "Succeeded"


def test_concurrent_patches_to_one_resource_lose_no_update(make_emulator):
    emu = make_emulator(operation_seconds=0)
    assert emu.put(ext_path(), {"properties": {"extensionType": "microsoft.flux"}}, api=EXT_API).status_code == 201
    errors, barrier = [], threading.Barrier(8)

    def writer(i):
        try:
            barrier.wait()
            for j in range(3):
                res = emu.patch(ext_path(), {"properties": {"configurationSettings": {
                    "key-{}-{}".format(i, j): str(i)}}}, api=EXT_API)
                if res.status_code not in (200, 202):
                    errors.append(res.text)
        except Exception as exc:       # pragma: no cover - reported below
            errors.append(repr(exc))

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    settings = emu.get(ext_path(), api=EXT_API).json()["properties"]["configurationSettings"]
    assert sorted(settings) == sorted("key-{}-{}".format(i, j) for i in range(8) for j in range(3))


def test_concurrent_kustomization_patches_all_land(make_emulator):
    emu = make_emulator(operation_seconds=0)
    emu.put(flux_path(), flux_body(kustomizations={}))
    barrier = threading.Barrier(6)
    statuses = []

    def add(i):
        barrier.wait()
        res = emu.patch(flux_path(), {"properties": {"kustomizations": {"k{}".format(i): {"path": "./{}".format(i)}}}})
        statuses.append(res.status_code)

    threads = [threading.Thread(target=add, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert statuses == [202] * 6
    assert sorted(emu.get(flux_path()).json()["properties"]["kustomizations"]) == ["k{}".format(i) for i in range(6)]


def test_the_database_uses_wal(emulator):
    conn = sqlite3.connect(emulator.data_dir + "/state.sqlite")
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


def test_write_transactions_serialise_read_modify_write(tmp_path):
    """Two writers that read, pause, then write the same row: neither update may be lost."""
    from azext_fluxlite.emulator.store import Record, Store
    store = Store(str(tmp_path / "s.sqlite"))
    with store.write() as tx:
        tx.put(Record(key="/r", kind="extension", parent=None, id="/r", body={"items": []}))
    errors = []

    def writer(tag):
        try:
            with store.write() as tx:
                record = tx.get("/r")
                time.sleep(0.2)            # another writer would read the same version here
                record.body["items"].append(tag)
                tx.put(record)
        except Exception as exc:            # pragma: no cover - reported below
            errors.append(repr(exc))

    threads = [threading.Thread(target=writer, args=(tag,)) for tag in ("a", "b", "c")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    with store.read() as tx:
        record = tx.get("/r")
    assert errors == []
    assert sorted(record.body["items"]) == ["a", "b", "c"] and record.version == 4
