//! The integration tests of relman-remote: each module drives one client against a real service
//! on 127.0.0.1 or a local fake.

mod announce;
mod circleci;
mod email;
mod github;
mod http;
mod http_deadline;
mod verify_helm_url;
mod verify_oci;
mod verify_pypi;
