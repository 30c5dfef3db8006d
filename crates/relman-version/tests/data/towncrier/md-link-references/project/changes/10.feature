Feature ten.
