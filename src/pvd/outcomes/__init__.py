"""Outcomes of laureate towns against matched comparable towns (issue 16): the pages, API and
commands around the pure computations of ``pvd.domain.outcomes``."""
