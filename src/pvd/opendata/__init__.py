"""The embedded open data (src/pvd/data/opendata, built by scripts/build_opendata.py) and its
loader, which fills every app's tables through the apps' own import services: it sits above the
apps in the layers (`.importlinter`), below the command line that runs it (`pvd data load`,
`pvd serve` on an empty database).

- :mod:`pvd.opendata.manifest`: the products, the manifest and its checksums;
- :mod:`pvd.opendata.kinds`: per kind of product, the newer data that keeps it from loading and
  the app service that loads it;
- :mod:`pvd.opendata.load`: the load itself (:func:`pvd.opendata.load.opendata_load`) and its
  report (:mod:`pvd.opendata.report`).
"""
