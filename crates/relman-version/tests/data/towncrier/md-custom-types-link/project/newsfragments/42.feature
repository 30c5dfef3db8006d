Widgets can be resized.
