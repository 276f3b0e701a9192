"""`python -m pvd.cli`: the `pvd` command."""

from pvd.cli import main

main(prog_name="pvd")
