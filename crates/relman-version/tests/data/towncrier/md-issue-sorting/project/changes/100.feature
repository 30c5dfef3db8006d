Another text, for the highest number.
