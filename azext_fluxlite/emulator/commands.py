"""The command table of `az fluxlite emulator`."""
from azext_fluxlite._az_commands import custom_type as _custom


def load_command_table(loader):
    with loader.command_group("fluxlite", is_preview=True):
        pass
    with loader.command_group("fluxlite emulator", custom_command_type=_custom("emulator.custom")) as g:
        g.custom_command("start", "emulator_start")
        g.custom_command("env", "emulator_env")
        g.custom_command("login", "emulator_login")
        g.custom_command("stop", "emulator_stop")
    with loader.command_group("fluxlite emulator", custom_command_type=_custom("emulator.live_custom")) as g:
        g.custom_command("reconcile", "emulator_reconcile")
        g.custom_command("add-cluster", "emulator_add_cluster")
        g.custom_command("add-source-map", "emulator_add_source_map")
