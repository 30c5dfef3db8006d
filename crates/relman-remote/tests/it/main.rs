//! The integration tests of relman-remote: each module drives one client against a real service
//! on 127.0.0.1 or a local fake.

mod email;
mod http;
