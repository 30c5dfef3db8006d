//! placeholder

pub mod services;
