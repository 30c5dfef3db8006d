A new feature.
