Short.
