A text for three.
