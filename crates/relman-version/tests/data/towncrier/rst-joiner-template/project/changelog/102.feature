Widgets can be frozen.
