Sprockets spin both ways.
