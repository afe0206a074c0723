"""The command table: every command of the originals, plus fluxlite's own, one module per capability."""


def load_command_table(loader, _args):
    from azext_fluxlite.emulator.commands import load_command_table as load_emulator
    from azext_fluxlite.extension.commands import load_command_table as load_extension
    from azext_fluxlite.flux.commands import load_command_table as load_flux
    from azext_fluxlite.fleet.commands import load_command_table as load_fleet

    with loader.command_group("k8s-configuration"):
        pass
    load_flux(loader)
    load_fleet(loader)
    load_extension(loader)
    load_emulator(loader)
