"""`az fluxlite emulator start | env | login | stop` (also `python -m azext_fluxlite.emulator ...`).

start   run the emulator in the foreground until Ctrl-C / SIGTERM.  It keeps its own az profile in
        <data dir>/azure, registered and logged in, and prints the `export` lines that point one
        shell at it (eval-friendly).  The user's own ~/.azure is never written.
env     print only the `export` lines of the instance running on a data dir; `--unset` prints the
        lines that point the shell back where it was.
login   write the emulator's az profile again (or, with --config-dir, into another az config dir).
stop    stop the instance running on a data dir, after checking that its recorded PID is that
        emulator (a PID reused after a kill -9 is left alone).
reconcile, add-cluster, add-source-map   change a running instance (live.py, live_client.py).
"""
import argparse
import json
import os
import shlex
import shutil
import signal
import socket
import ssl
import sys
import threading
import time
import urllib.request

from . import DEFAULT_SUBSCRIPTION_ID
from .config import (CA_BUNDLE_FILE, CA_CERT_FILE, LOCK_FILE, Settings, default_data_dir, env_exports, parse_cluster,
                     parse_source_map, pid_alive, read_state, tighten_data_dir, unset_lines, write_state)

PROG = "az fluxlite emulator"       # what users run (python -m azext_fluxlite.emulator only works in a dev venv)


def _positive_float(text):
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def _parser():
    parser = argparse.ArgumentParser(prog=PROG, description="fluxlite's local ARM emulator.")
    sub = parser.add_subparsers(dest="command", required=True)
    start = sub.add_parser("start", help="run the emulator in the foreground")
    start.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    start.add_argument("--port", type=int, default=None,
                       help="port; 0 picks a free one (default: the port this data dir used last, else a free one)")
    start.add_argument("--data-dir", default=None, help="state, certificates and logs (default ~/.fluxlite/emulator)")
    start.add_argument("--operation-seconds", type=_positive_float, default=2.0,
                       help="how long PUT/PATCH/DELETE operations run (default 2)")
    start.add_argument("--retry-after", type=int, default=None,
                       help="send Retry-After: N on 201/202 and running operations (default: none, like Azure)")
    start.add_argument("--source-map", nargs="+", action="extend", default=[], metavar="URL=PATH",
                       help="serve a source (git URL, bucket endpoint/name, blob container URL, OCI URL) from a "
                            "local directory")
    start.add_argument("--source-auth", nargs="+", action="extend", default=[], metavar="URL=METHOD",
                       help="a mapped source needs credentials: ssh, https, https:USER, bucket, blob, oci or "
                            "secret:NAME")
    start.add_argument("--cluster", nargs="+", action="extend", default=[], metavar="RG/CLUSTER_TYPE/NAME",
                       help="create a cluster, e.g. flux-demo-rg/connectedClusters/flux-demo-arc")
    start.add_argument("--subscription-id", default=DEFAULT_SUBSCRIPTION_ID)
    start.add_argument("--page-size", type=int, default=100, help="items per list page before nextLink (default 100)")
    start.add_argument("--reconcile-seconds", type=_positive_float, default=0.0,
                       help="seconds after an operation completes before statuses are computed (default 0)")
    for name, text in (("env", "print the export lines of a running instance"),
                       ("login", "write the emulator's az profile (cloud + managed-identity login) again"),
                       ("stop", "stop a running instance")):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("--data-dir", default=None)
        if name == "env":
            cmd.add_argument("--unset", action="store_true", help="print the lines that undo `env`")
        if name == "login":
            cmd.add_argument("--config-dir", default=None,
                             help="log in this az config dir instead of the emulator's own (never ~/.azure)")
    _live_parsers(sub)
    return parser


def _live_parsers(sub):
    """reconcile, add-cluster, add-source-map: changes to a running instance (live.py)."""
    cmd = sub.add_parser("reconcile", help="fetch the sources of flux configurations again now")
    cmd.add_argument("--name", "-n", nargs="+", action="extend", default=[], help="configurations (default: all)")
    cmd = sub.add_parser("add-cluster", help="create clusters in a running instance")
    cmd.add_argument("--cluster", nargs="+", action="extend", required=True, metavar="RG/CLUSTER_TYPE/NAME")
    cmd = sub.add_parser("add-source-map", help="map sources to local directories in a running instance")
    cmd.add_argument("--source-map", nargs="+", action="extend", required=True, metavar="URL=PATH")
    cmd.add_argument("--source-auth", nargs="+", action="extend", default=[], metavar="URL=METHOD")
    for cmd in (sub.choices["reconcile"], sub.choices["add-cluster"], sub.choices["add-source-map"]):
        cmd.add_argument("--data-dir", default=None)


def build_settings(host="127.0.0.1", port=None, data_dir=None, operation_seconds=2.0, retry_after=None,
                   source_map=None, cluster=None, subscription_id=None, page_size=100, reconcile_seconds=0.0,
                   source_auth=None):
    from .sources import parse_source_auth
    settings = Settings(host=host, port=port, data_dir=os.path.abspath(os.path.expanduser(data_dir or default_data_dir())),
                        operation_seconds=float(operation_seconds), retry_after=retry_after,
                        source_map=[parse_source_map(s) for s in source_map or []],
                        clusters=[parse_cluster(c) for c in cluster or []],
                        subscription_id=subscription_id or DEFAULT_SUBSCRIPTION_ID, page_size=page_size,
                        reconcile_seconds=float(reconcile_seconds),
                        source_auth=[parse_source_auth(a) for a in source_auth or []])
    settings.validate()
    return settings


def _port_free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _choose_port(settings, previous):
    if settings.port is not None:
        return settings.port
    old = (previous or {}).get("port")
    if old and _port_free(old):
        return old          # keeps an `az cloud register`ed endpoint valid across restarts
    return 0


def exports_text(state, environ=None):
    return "".join("export {}={}\n".format(k, shlex.quote(v)) for k, v in env_exports(state, environ).items())


def banner(state):
    d = shlex.quote(state["data_dir"])
    return (
        "# fluxlite ARM emulator listening on {url} (data dir {d}); Ctrl-C stops it.\n"
        "# It has its own az profile ({azdir}), registered and logged in; your ~/.azure is not touched.\n"
        "# Point a shell at it with the lines below, leave with: eval \"$({prog} env --unset)\"\n"
        "{exports}"
        "# Another shell: eval \"$({prog} env --data-dir {d})\"\n"
        "# Kustomizations are built with {kustomize}.\n"
    ).format(url=state["base_url"], d=d, azdir=shlex.quote(os.path.join(state["data_dir"], "azure")),
             exports=exports_text(state), prog=PROG, kustomize=state.get("kustomize") or "kustomize")


def run(settings, out=None, ready=None):
    """Run until SIGINT/SIGTERM, or until a `ready(state, stop_event)` callback's caller sets the event."""
    out = out or sys.stdout
    stop = threading.Event()
    previous_handlers = {}
    if threading.current_thread() is threading.main_thread():     # first, so an early Ctrl-C stops cleanly
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous_handlers[sig] = signal.signal(sig, lambda *_: stop.set())
    try:
        return _run(settings, out, ready, stop)
    finally:
        for sig, handler in previous_handlers.items():
            signal.signal(sig, handler)


def _lock(data_dir):
    """Hold <data dir>/lock for the life of this process (the kernel drops it if we die); None if held."""
    fd = os.open(os.path.join(data_dir, LOCK_FILE), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        import fcntl
    except ImportError:         # no flock (Windows): the PID check in _refuse_if_running still applies
        return fd
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _held_message(data_dir, previous):
    return ("error: another fluxlite emulator{} is running on data dir {}; stop it with `{} stop --data-dir {}` or "
            "choose another --data-dir".format(" (pid {})".format(previous["pid"]) if previous and previous.get("pid")
                                               else "", data_dir, PROG, shlex.quote(data_dir)))


def _run(settings, out, ready, stop):
    from . import azprofile, reconcile, tls
    from .server import Emulator, bind, serve
    data_dir = settings.data_dir
    created_dir = not os.path.isdir(data_dir)
    tighten_data_dir(data_dir)
    lock = _lock(data_dir)
    previous = read_state(data_dir)
    if lock is None or (previous and previous.get("running") and previous.get("pid") != os.getpid()
                        and probe(previous)):
        if lock is not None:
            os.close(lock)
        raise SystemExit(_held_message(data_dir, previous))
    port = _choose_port(settings, previous)
    try:
        server = bind(settings.host, port)
    except OSError as exc:
        os.close(lock)
        if created_dir:
            shutil.rmtree(data_dir, ignore_errors=True)     # nothing half-created
        raise SystemExit("error: cannot listen on {} port {}: {}; choose another --port (0 picks a free one)".format(
            settings.host, port, "it is already in use" if getattr(exc, "errno", None) in (98, 48, 10048)
            else exc.strerror or exc)) from None
    try:
        bundle = tls.ensure_certificates(data_dir)
        app = Emulator(settings)
        server, thread = serve(app, port, server)
    except BaseException:
        server.server_close()
        os.close(lock)
        if created_dir:
            shutil.rmtree(data_dir, ignore_errors=True)
        raise
    state = {"base_url": app.base_url, "port": server.server_address[1], "pid": os.getpid(), "running": True,
             "data_dir": data_dir, "ca_bundle": bundle, "identity_endpoint": app.base_url + "msi/token",
             "identity_header": app.secret, "subscription_id": settings.subscription_id,
             "tenant_id": settings.tenant_id, "cloud_name": settings.cloud_name,
             "kustomize": reconcile.build_tool().describe()}
    azprofile.write_profile(state)
    write_state(data_dir, state)
    out.write(banner(state))
    out.flush()
    if ready is not None:
        ready(state, stop)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
        app.store.close()
        state["running"] = False
        write_state(data_dir, state)
        os.close(lock)
        try:
            out.write("# fluxlite ARM emulator stopped.\n")
            out.flush()
        except (OSError, ValueError):
            pass            # whoever read our output has gone
    return state


def probe(state, timeout=5):
    """True when the emulator that `state` (emulator.json) describes answers as that very process."""
    if not state or not pid_alive(state.get("pid")):
        return False
    cafile = os.path.join(state.get("data_dir") or "", CA_CERT_FILE)
    try:
        context = ssl.create_default_context(cafile=cafile)
        request = urllib.request.Request(state["base_url"] + "_emulator/info",
                                         headers={"X-IDENTITY-HEADER": state["identity_header"]})
        with urllib.request.urlopen(request, context=context, timeout=timeout) as answer:   # noqa: S310 - loopback
            info = json.loads(answer.read().decode("utf-8"))
    except (OSError, ValueError, KeyError, ssl.SSLError):
        return False
    return info.get("pid") == state.get("pid") and \
        os.path.realpath(str(info.get("dataDir"))) == os.path.realpath(state["data_dir"])


def _data_dir(data_dir):
    return os.path.abspath(os.path.expanduser(data_dir or os.environ.get("FLUXLITE_EMULATOR_DATA_DIR")
                                              or default_data_dir()))


def running_state(data_dir):
    data_dir = _data_dir(data_dir)
    state = read_state(data_dir)
    if not state or not state.get("running") or not probe(state):
        raise SystemExit("error: no fluxlite emulator is running on data dir {}; start one with `{} start "
                         "--data-dir {}`".format(data_dir, PROG, shlex.quote(data_dir)))
    state.setdefault("ca_bundle", os.path.join(data_dir, CA_BUNDLE_FILE))
    return state


def login(state, config_dir=None, out=None):
    """Write the emulator's cloud and managed-identity login into its own az profile, or into `config_dir`."""
    from . import azprofile
    out = out or sys.stdout
    if config_dir:
        target = os.path.realpath(os.path.abspath(os.path.expanduser(config_dir)))
        if target == os.path.realpath(os.path.join(os.path.expanduser("~"), ".azure")):
            raise SystemExit("error: --config-dir {} is your own az profile; the emulator never changes it. Use "
                             "`eval \"$({} env)\"` instead".format(config_dir, PROG))
        done = azprofile.write_profile(state, target)
    else:
        done = azprofile.write_profile(state)
    out.write("# az config dir {} is logged in to the fluxlite emulator at {} (cloud {}, subscription {}).\n"
              .format(done, state["base_url"], state["cloud_name"], state["subscription_id"]))
    return 0


def _still_holds(data_dir, pid):
    """Whether the emulator still holds its data dir (its lock; a process that exited but was not reaped yet
    by its parent no longer does), or, without flock, its PID is alive."""
    fd = _lock(data_dir)
    if fd is None:
        return True
    os.close(fd)
    try:
        import fcntl  # noqa: F401
        return False
    except ImportError:
        return pid_alive(pid)


def stop_instance(data_dir, out=None, wait_seconds=20):
    """SIGTERM the emulator running on a data dir once it answered as that PID; wait for it to go."""
    out = out or sys.stdout
    state = read_state(_data_dir(data_dir))
    data_dir = _data_dir(data_dir)
    if not state or not state.get("running") or not pid_alive(state.get("pid")):
        raise SystemExit("error: no fluxlite emulator is running on data dir {}; nothing to stop".format(data_dir))
    if not probe(state):
        raise SystemExit("error: pid {} recorded in {} is not a fluxlite emulator answering at {} (it may have been "
                         "killed and its PID reused); nothing was stopped".format(
                             state["pid"], os.path.join(data_dir, "emulator.json"), state.get("base_url")))
    pid = int(state["pid"])
    os.kill(pid, signal.SIGTERM)
    deadline = time.time() + wait_seconds
    while _still_holds(data_dir, pid) and time.time() < deadline:
        time.sleep(0.1)
    if _still_holds(data_dir, pid):
        raise SystemExit("error: the fluxlite emulator (pid {}) on data dir {} was asked to stop but is still running "
                         "after {} s".format(pid, data_dir, wait_seconds))
    out.write("Stopped the fluxlite emulator (pid {}) listening on {} (data dir {}).\n".format(
        pid, state["base_url"], data_dir))
    return 0


def main(argv=None):
    args = _parser().parse_args(argv)
    if args.command == "start":
        try:
            settings = build_settings(args.host, args.port, args.data_dir, args.operation_seconds, args.retry_after,
                                      args.source_map, args.cluster, args.subscription_id, args.page_size,
                                      args.reconcile_seconds, args.source_auth)
        except ValueError as exc:
            raise SystemExit("error: {}".format(exc)) from None
        run(settings)
        return 0
    if args.command == "env" and args.unset:
        sys.stdout.write(unset_lines())
        return 0
    if args.command == "stop":
        return stop_instance(args.data_dir)
    state = running_state(args.data_dir)
    if args.command == "env":
        sys.stdout.write(exports_text(state))
        return 0
    if args.command == "login":
        return login(state, args.config_dir)
    from . import live_client
    if args.command == "reconcile":
        sys.stdout.write(live_client.reconcile(state, args.name))
    elif args.command == "add-cluster":
        sys.stdout.write(live_client.add_cluster(state, args.cluster))
    elif args.command == "add-source-map":
        try:
            sys.stdout.write(live_client.add_source_map(state, args.source_map, args.source_auth))
        except ValueError as exc:
            raise SystemExit("error: {}".format(exc)) from None
    else:
        return 2
    return 0
