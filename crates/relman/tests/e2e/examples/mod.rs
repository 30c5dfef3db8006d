//! The shipped examples under `examples/`, each run end to end in a [`World`](crate::world::World):
//! its fixture project (under `tests/data/examples/NAME/`) in a hermetic repository, its real
//! `relman.toml`, every workflow through to the end, and every effect asserted on the services.

mod crash;
mod fixture;
mod poetry_prerelease_docker;
mod release_branch_cherry_pick;
