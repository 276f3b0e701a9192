"""Indicators of the portrait de ville: catalogue, one module per theme, and the build engine.

Pure Python on polars frames; no Django here.
"""
