//! `webhook = URL`: a JSON payload posted to a URL.

use serde::{Deserialize, Serialize};

use crate::template::Template;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookStep {
    pub url: Template,
    /// A JSON payload whose strings are templates.
    pub payload: serde_json::Value,
    pub headers: Vec<(String, Template)>,
}
