"""fluxlite: a drop-in replacement for `az k8s-configuration flux` and `az k8s-extension`.

The package imports nothing from azure-cli itself, so that `azext_fluxlite.core`, the fleet engine and
the Python API work without az.  az asks for `COMMAND_LOADER_CLS`, which loads the az adapter.
"""


def __getattr__(name):
    if name == "COMMAND_LOADER_CLS":
        from azext_fluxlite._loader import FluxliteCommandsLoader
        return FluxliteCommandsLoader
    raise AttributeError("module {!r} has no attribute {!r}".format(__name__, name))
