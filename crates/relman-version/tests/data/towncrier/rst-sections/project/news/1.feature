Core feature.
