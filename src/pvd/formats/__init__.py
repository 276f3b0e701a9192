"""Formats of the files the platform writes, with no Django and no app: the French CSV dialect
(:mod:`pvd.formats.csv_fr`) and the spreadsheet-formula guard (:mod:`pvd.formats.formula_guard`)
used by every export. Below the apps in the layers (`.importlinter`)."""
