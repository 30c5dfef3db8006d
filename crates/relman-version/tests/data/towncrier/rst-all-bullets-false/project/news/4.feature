Plain text without a bullet, long enough to wrap, which gets no indent at all on its next lines.
