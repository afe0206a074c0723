"""Client side of live.py: `reconcile`, `add-cluster` and `add-source-map` against a running emulator.

Each function takes the running instance's state (cli.running_state) and returns the lines to print;
problems raise SystemExit("error: ...") with one line, like the other emulator commands.
"""
import json
import ssl
import urllib.error
import urllib.request

from .sources import parse_source_auth


def _post(state, path, body):
    context = ssl.create_default_context(cafile=state["ca_bundle"])
    request = urllib.request.Request(state["base_url"].rstrip("/") + "/_emulator/" + path, method="POST",
                                     data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json",
                                              "X-IDENTITY-HEADER": state["identity_header"]})
    try:
        with urllib.request.urlopen(request, context=context, timeout=30) as response:
            return json.loads(response.read().decode("utf-8") or "{}")
    except urllib.error.HTTPError as exc:
        try:
            message = json.loads(exc.read().decode("utf-8"))["error"]["message"]
        except (ValueError, KeyError, TypeError):
            message = "HTTP {}".format(exc.code)
        raise SystemExit("error: {}".format(message)) from None
    except (urllib.error.URLError, OSError) as exc:
        raise SystemExit("error: the fluxlite emulator at {} does not answer ({}); is it running?".format(
            state["base_url"], getattr(exc, "reason", exc))) from None


def reconcile(state, names=None):
    answer = _post(state, "reconcile", {"names": list(names)} if names else {})
    marked = answer.get("reconciling") or []
    if not marked:
        return "# no flux configurations to reconcile.\n"
    return "".join("# reconciling {} on its next read\n".format(i) for i in marked)


def add_cluster(state, clusters):
    return "".join("# added cluster {}\n".format(_post(state, "clusters", {"cluster": c})["cluster"])
                   for c in clusters)


def add_source_map(state, source_maps, source_auth=None):
    """`source_maps`: URL=PATH texts; `source_auth`: URL=METHOD texts (each URL must be mapped here)."""
    auth = dict(parse_source_auth(a) for a in (source_auth or []))
    lines = []
    for text in source_maps:
        url, sep, path = text.partition("=")
        if not sep or not url.strip() or not path.strip():
            raise SystemExit("error: --source-map must look like URL=PATH (got '{}')".format(text))
        answer = _post(state, "source-maps", {"url": url.strip(), "path": path.strip(),
                                              "auth": auth.pop(url.strip(), None)})
        lines.append("# mapped {} to {}{}\n".format(answer["url"], answer["path"],
                                                     " (needs {} credentials)".format(answer["auth"])
                                                     if answer.get("auth") else ""))
    if auth:
        raise SystemExit("error: --source-auth {}: give that URL a --source-map too".format(next(iter(auth))))
    return "".join(lines)
