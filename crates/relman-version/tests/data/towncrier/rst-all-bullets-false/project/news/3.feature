#. A numbered bullet that is also long enough to wrap, showing the three space indent for numbers.
