"""`python -m azext_fluxlite.emulator start | env | login | stop` (and `az fluxlite emulator start`).

start   run the emulator in the foreground until Ctrl-C / SIGTERM; prints the `export` lines that
        point az at it and the one-time login commands (as comments), eval-friendly.
env     print only the `export` lines of the instance running on a data dir.
login   register the emulator as an az cloud, switch to it and `az login --identity`
        (for the current AZURE_CONFIG_DIR).
stop    send SIGTERM to the instance running on a data dir.
"""
import argparse
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading

from . import DEFAULT_SUBSCRIPTION_ID
from .config import (CA_BUNDLE_FILE, Settings, default_data_dir, env_exports, parse_cluster, parse_source_map,
                     pid_alive, read_state, write_state)

PROG = "python -m azext_fluxlite.emulator"


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
                       help="serve a git URL from a local repository")
    start.add_argument("--cluster", nargs="+", action="extend", default=[], metavar="RG/CLUSTER_TYPE/NAME",
                       help="create a cluster, e.g. flux-demo-rg/connectedClusters/flux-demo-arc")
    start.add_argument("--subscription-id", default=DEFAULT_SUBSCRIPTION_ID)
    start.add_argument("--page-size", type=int, default=100, help="items per list page before nextLink (default 100)")
    start.add_argument("--reconcile-seconds", type=_positive_float, default=0.0,
                       help="seconds after an operation completes before statuses are computed (default 0)")
    for name, text in (("env", "print the export lines of a running instance"),
                       ("login", "az cloud register/set + az login --identity against a running instance"),
                       ("stop", "stop a running instance")):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("--data-dir", default=None)
        if name == "login":
            cmd.add_argument("--az", default=None, help="the az executable (default: the one next to this Python, "
                                                        "else az on PATH)")
    return parser


def build_settings(host="127.0.0.1", port=None, data_dir=None, operation_seconds=2.0, retry_after=None,
                   source_map=None, cluster=None, subscription_id=None, page_size=100, reconcile_seconds=0.0):
    settings = Settings(host=host, port=port, data_dir=os.path.abspath(os.path.expanduser(data_dir or default_data_dir())),
                        operation_seconds=float(operation_seconds), retry_after=retry_after,
                        source_map=[parse_source_map(s) for s in source_map or []],
                        clusters=[parse_cluster(c) for c in cluster or []],
                        subscription_id=subscription_id or DEFAULT_SUBSCRIPTION_ID, page_size=page_size,
                        reconcile_seconds=float(reconcile_seconds))
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


def self_command():
    """How to run this module again from a shell: python -m ..., with PYTHONPATH when az loaded it."""
    import sysconfig
    package_parent = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    python = shlex.quote(sys.executable)
    standard = {os.path.realpath(p) for p in (sysconfig.get_paths().get("purelib"), sysconfig.get_paths().get("platlib"))
                if p}
    if os.path.realpath(package_parent) in standard or os.path.realpath(package_parent) == os.path.realpath(os.getcwd()):
        return "{} -m azext_fluxlite.emulator".format(python)
    return "PYTHONPATH={} {} -m azext_fluxlite.emulator".format(shlex.quote(package_parent), python)


def exports_text(state):
    return "".join("export {}={}\n".format(k, shlex.quote(v)) for k, v in env_exports(state).items())


def banner(state):
    d = shlex.quote(state["data_dir"])
    url = state["base_url"]
    prog = self_command()
    return (
        "# fluxlite ARM emulator listening on {url} (data dir {d}); Ctrl-C stops it.\n"
        "{exports}"
        "# One-time login, in a shell with the exports above (or run: {prog} login --data-dir {d}):\n"
        "#   az cloud register -n {cloud} --endpoint-resource-manager {url}\n"
        "#   az cloud set -n {cloud}\n"
        "#   az login --identity\n"
        "# Another shell: eval \"$({prog} env --data-dir {d})\"\n"
    ).format(url=url, d=d, exports=exports_text(state), prog=prog, cloud=state["cloud_name"])


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


def _run(settings, out, ready, stop):
    from . import tls
    from .server import Emulator, serve
    os.makedirs(settings.data_dir, mode=0o700, exist_ok=True)
    previous = read_state(settings.data_dir)
    if previous and previous.get("running") and previous.get("pid") != os.getpid() and pid_alive(previous.get("pid")):
        raise SystemExit("error: an emulator (pid {}) is already running on data dir {}; stop it first ({} stop "
                         "--data-dir {})".format(previous["pid"], settings.data_dir, PROG, settings.data_dir))
    bundle = tls.ensure_certificates(settings.data_dir)
    app = Emulator(settings)
    server, thread = serve(app, _choose_port(settings, previous))
    state = {"base_url": app.base_url, "port": server.server_address[1], "pid": os.getpid(), "running": True,
             "data_dir": settings.data_dir, "ca_bundle": bundle, "identity_endpoint": app.base_url + "msi/token",
             "identity_header": app.secret, "subscription_id": settings.subscription_id,
             "tenant_id": settings.tenant_id, "cloud_name": settings.cloud_name}
    write_state(settings.data_dir, state)
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
        write_state(settings.data_dir, state)
        try:
            out.write("# fluxlite ARM emulator stopped.\n")
            out.flush()
        except (OSError, ValueError):
            pass            # whoever read our output has gone
    return state


def running_state(data_dir):
    data_dir = os.path.abspath(os.path.expanduser(data_dir or default_data_dir()))
    state = read_state(data_dir)
    if not state or not state.get("running") or not pid_alive(state.get("pid")):
        raise SystemExit("error: no fluxlite emulator is running on data dir {}; start one with `{} start "
                         "--data-dir {}`".format(data_dir, PROG, data_dir))
    state.setdefault("ca_bundle", os.path.join(data_dir, CA_BUNDLE_FILE))
    return state


def _default_az():
    beside = os.path.join(os.path.dirname(sys.executable), "az")
    return beside if os.path.exists(beside) else shutil.which("az")


def login(state, az=None, out=None):
    """Register the emulator cloud, select it and log in with the emulator's managed identity."""
    out = out or sys.stdout
    az = az or _default_az()
    if not az:
        raise SystemExit("error: az not found; pass --az PATH")
    env = dict(os.environ, **env_exports(state))
    cloud, url = state["cloud_name"], state["base_url"]

    def call(*args, check=True):
        out.write("+ az {}\n".format(" ".join(shlex.quote(a) for a in args)))
        out.flush()
        proc = subprocess.run([az] + list(args), env=env, capture_output=True, text=True)
        if check and proc.returncode != 0:
            raise SystemExit("error: az {} failed:\n{}{}".format(args[0], proc.stdout, proc.stderr))
        return proc

    shown = call("cloud", "show", "-n", cloud, "--query", "endpoints.resourceManager", "-o", "tsv", check=False)
    if shown.returncode != 0:
        call("cloud", "register", "-n", cloud, "--endpoint-resource-manager", url)
    elif shown.stdout.strip() != url:
        call("cloud", "update", "-n", cloud, "--endpoint-resource-manager", url)
    call("cloud", "set", "-n", cloud)
    result = call("login", "--identity", "-o", "none")
    out.write(result.stdout)
    out.write("# logged in to the fluxlite emulator (subscription {}).\n".format(state["subscription_id"]))
    return 0


def main(argv=None):
    args = _parser().parse_args(argv)
    if args.command == "start":
        try:
            settings = build_settings(args.host, args.port, args.data_dir, args.operation_seconds, args.retry_after,
                                      args.source_map, args.cluster, args.subscription_id, args.page_size,
                                      args.reconcile_seconds)
        except ValueError as exc:
            raise SystemExit("error: {}".format(exc)) from None
        run(settings)
        return 0
    state = running_state(args.data_dir)
    if args.command == "env":
        sys.stdout.write(exports_text(state))
        return 0
    if args.command == "login":
        return login(state, args.az)
    if args.command == "stop":
        os.kill(int(state["pid"]), signal.SIGTERM)
        return 0
    return 2
