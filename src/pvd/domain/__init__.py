"""Pure computations on territorial data: no Django, no file I/O."""
