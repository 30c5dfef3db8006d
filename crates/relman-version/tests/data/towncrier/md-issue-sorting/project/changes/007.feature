Shared text.
