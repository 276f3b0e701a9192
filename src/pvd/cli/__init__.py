"""The `pvd` command. Thin: parse arguments, call a service or selector, print.

The root group names its sub-commands as "module:attribute" and imports a module only when its
command runs (or when `pvd --help` lists them): `pvd.cli` imports no app, the apps' groups import
their helpers from `pvd.cli.helpers`, and no command pays for the imports of another.

Errors go to stderr with a non-zero exit code: 1 for a failed operation, 2 for bad usage.
"""

from __future__ import annotations

import importlib

import click

# name -> "module:attribute" of the click command or group, each app registering its own group.
COMMANDS = {
    "communes": "pvd.cli.communes:communes",
    "config": "pvd.cli.config:config",
    "data": "pvd.cli.data:data",
    "indicators": "pvd.diagnostics.commands:indicators",
    "manage": "pvd.cli.server:manage",
    "outcomes": "pvd.outcomes.cli:outcomes",

    "network": "pvd.network.cli:network",
    "programme": "pvd.programme.cli:programme",
    "projets": "pvd.projects.cli:projets",
    "selection": "pvd.selection.cli:selection",
    "serve": "pvd.cli.server:serve",
}


def load_command(target: str) -> click.Command:
    module_name, attribute = target.split(":")
    return getattr(importlib.import_module(module_name), attribute)


class LazyGroup(click.Group):
    """A group whose sub-commands are imported on first use (see COMMANDS)."""

    def __init__(self, *args, lazy_commands: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy_commands:
            self.add_command(load_command(self.lazy_commands[cmd_name]), cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(
    cls=LazyGroup,
    lazy_commands=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(package_name="pvd")
def main() -> None:
    """PVD : plateforme du programme Petites villes de demain."""
    from pvd.config import allocator

    allocator.configure(click.get_current_context().invoked_subcommand)


if __name__ == "__main__":
    main()
