Zebra orphan.
