Second paragraph test.

This fragment is long enough that towncrier has to wrap it over several lines when wrap is turned on, and the continuation lines are indented to line up with the text after the bullet.
