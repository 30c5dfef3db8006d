//! placeholder

pub mod http_server;
pub mod services;
