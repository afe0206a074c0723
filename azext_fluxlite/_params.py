"""Arguments: one module per resource, registered here for az."""


def load_arguments(loader, _command):
    from azext_fluxlite.flux.params import load_flux_arguments
    from azext_fluxlite.extension.params import load_extension_arguments
    from azext_fluxlite.emulator.params import load_emulator_arguments
    from azext_fluxlite.flux.export.params import load_export_arguments
    from azext_fluxlite._params_common import load_preview_arguments
    from azext_fluxlite.fleet.params import load_fleet_arguments
    load_flux_arguments(loader)
    load_extension_arguments(loader)
    load_emulator_arguments(loader)
    load_export_arguments(loader)
    load_preview_arguments(loader)
    load_fleet_arguments(loader)
