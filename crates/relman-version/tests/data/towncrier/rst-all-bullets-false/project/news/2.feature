* A star bullet.
