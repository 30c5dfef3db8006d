//! Live progress (filled in with the executor).
