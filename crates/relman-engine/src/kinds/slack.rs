//! `slack = "#channel"`: a message through an incoming webhook (`SLACK_WEBHOOK_URL` by default).

use serde::{Deserialize, Serialize};

use crate::template::Template;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlackStep {
    pub channel: Template,
    pub message: Template,
    pub webhook_env: String,
}
