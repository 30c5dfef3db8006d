Web feature.
