"""Arguments (being written)."""


def load_extension_arguments(loader):  # pylint: disable=unused-argument
    pass
