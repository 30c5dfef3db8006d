Feature two.
