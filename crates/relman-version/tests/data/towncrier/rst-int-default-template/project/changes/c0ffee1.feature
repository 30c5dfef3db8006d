A hash-named note.
