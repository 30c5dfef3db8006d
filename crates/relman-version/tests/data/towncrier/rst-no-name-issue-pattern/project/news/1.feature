Feature.
