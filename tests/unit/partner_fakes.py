"""A stand-in ArmClient for the partner handlers: records every request, answers from a table."""
from azext_fluxlite.core.cluster import ClusterRef
from azext_fluxlite.core.errors import ResourceNotFoundError
from azext_fluxlite.extension.partners import ExtensionArgs, SideCalls, UpdateArgs

SUB = "00000000-0000-0000-0000-000000000000"
RPS = {"connectedClusters": "Microsoft.Kubernetes", "managedClusters": "Microsoft.ContainerService",
       "provisionedClusters": "microsoft.hybridcontainerservice", "appliances": "Microsoft.ResourceConnector"}


def cluster(ctype="connectedClusters", name="c1", rg="rg1"):
    return ClusterRef(SUB, rg, RPS[ctype], ctype, name)


class FakeClient:
    """answers: {(METHOD, path-lower): body or Exception}; anything else: GET/HEAD -> 404, writes echo."""

    subscription_id = SUB

    def __init__(self, answers=None):
        self.answers = {(m, p.lower()): v for (m, p), v in (answers or {}).items()}
        self.sent = []

    def request_json(self, method, path, api_version, body=None, params=None, what=None, cluster=None):
        # pylint: disable=too-many-arguments,unused-argument
        self.sent.append((method, path, api_version, body, params))
        answer = self.answers.get((method, path.lower()))
        if isinstance(answer, Exception):
            raise answer
        if answer is not None:
            return answer
        if method in ("GET", "HEAD"):
            raise ResourceNotFoundError("(ResourceNotFound) {} not found".format(path))
        return dict(body or {}, id=path)

    def planned(self, method, path, api_version, body=None, params=None):
        # pylint: disable=too-many-arguments
        entry = {"method": method, "path": path, "api": api_version}
        if body is not None:
            entry["body"] = body
        if params:
            entry["params"] = params
        return entry

    def calls(self):
        return [(method, path, api) for method, path, api, _, _ in self.sent]


class FakePrompts:
    def __init__(self, yes_no=None, texts=None):
        self.asked = []
        self._yes_no = yes_no
        self._texts = list(texts or [])
        self.confirmed = []

    def confirm(self, message):
        self.confirmed.append(message)

    def yes_no(self, message, default="n", no_tty_hint=None):  # pylint: disable=unused-argument
        self.asked.append(message)
        if self._yes_no is None:
            raise AssertionError("unexpected question: " + message)
        return self._yes_no

    def text(self, message, help_string=None, no_tty_hint=None):  # pylint: disable=unused-argument
        self.asked.append(message)
        return self._texts.pop(0)


def create_args(extension_type, ctype="connectedClusters", name="ext", settings=None, protected=None, **kwargs):
    return ExtensionArgs(name=name, extension_type=extension_type, cluster=cluster(ctype), settings=dict(settings or {}),
                         protected=dict(protected or {}), **kwargs)


def update_args(existing_props, ctype="connectedClusters", name="ext", **kwargs):
    return UpdateArgs(name=name, cluster=cluster(ctype), existing={"properties": existing_props}, **kwargs)


def side_calls(answers=None, dry_run=False):
    client = FakeClient(answers)
    return client, SideCalls(client, dry_run=dry_run)
