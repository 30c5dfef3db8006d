Orphan with a custom prefix.
