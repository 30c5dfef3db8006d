//! `checksums = "dist/*"`: a `SHA256SUMS` file for the matching artifacts, optionally signed.

use serde::{Deserialize, Serialize};

use crate::template::Template;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChecksumsStep {
    pub pattern: Template,
    /// Write a detached, armored signature next to it.
    pub sign: bool,
    /// The output file; default `SHA256SUMS` in the folder of the pattern.
    pub output: Option<Template>,
}
