Apple orphan.
