//! `discourse = "https://FORUM"`: a topic created through Discourse's API (`POST /posts.json`
//! with `title`, `raw` and `category`; `Api-Key` and `Api-Username` headers), found again by its
//! exact title in the forum's latest topics (`GET /latest.json`) so that it is created once.

use serde::Deserialize;
use serde_json::json;

use super::AnnounceError;
use crate::http::{Credential, HttpClient, RenderedRequest, RequestDescription};
use crate::secret::Secret;

/// A forum, with the API key of a user.
#[derive(Debug, Clone)]
pub struct Discourse {
    client: HttpClient,
    forum: String,
    username: String,
}

/// A topic: its id and slug.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    pub id: u64,
    pub slug: String,
}

impl Discourse {
    pub fn new(
        client: &HttpClient,
        forum: &str,
        key: Secret,
        username: &str,
    ) -> Result<Self, AnnounceError> {
        let forum = forum.trim_end_matches('/').to_owned();
        let credential = Credential::header(&forum, "Api-Key", key)
            .map_err(|error| AnnounceError::invalid("discourse", &forum, error.reason))?;
        Ok(Self {
            client: client.clone().with_credential(credential),
            forum,
            username: username.to_owned(),
        })
    }

    /// The request that creates the topic.
    pub fn request(&self, title: &str, raw: &str, category: Option<&str>) -> RequestDescription {
        let mut body = json!({ "title": title, "raw": raw });
        if let Some(category) = category {
            body["category"] = match category.parse::<u64>() {
                Ok(id) => json!(id),
                Err(_) => json!(category),
            };
        }
        RequestDescription::post(format!("{}/posts.json", self.forum))
            .header("Api-Username", &self.username)
            .json(body)
    }

    pub fn render(&self, title: &str, raw: &str, category: Option<&str>) -> RenderedRequest {
        self.client.render(&self.request(title, raw, category))
    }

    /// Any request of this client as a plan shows it.
    pub fn render_request(&self, request: &RequestDescription) -> RenderedRequest {
        self.client.render(request)
    }

    /// The look-up the plan shows.
    pub fn find_request(&self) -> RequestDescription {
        RequestDescription::get(format!("{}/latest.json", self.forum))
            .header("Api-Username", &self.username)
    }

    /// Creates the topic.
    pub fn create(
        &self,
        title: &str,
        raw: &str,
        category: Option<&str>,
    ) -> Result<Topic, AnnounceError> {
        #[derive(Deserialize)]
        struct Created {
            topic_id: u64,
            topic_slug: String,
        }
        let created: Created = self.client.json(&self.request(title, raw, category))?;
        Ok(Topic {
            id: created.topic_id,
            slug: created.topic_slug,
        })
    }

    /// The topic titled exactly `title` among the latest ones.
    pub fn find(&self, title: &str) -> Result<Option<Topic>, AnnounceError> {
        #[derive(Deserialize)]
        struct Latest {
            topic_list: TopicList,
        }
        #[derive(Deserialize)]
        struct TopicList {
            topics: Vec<Listed>,
        }
        #[derive(Deserialize)]
        struct Listed {
            id: u64,
            title: String,
            #[serde(default)]
            slug: String,
        }
        let latest: Latest = self.client.json(&self.find_request())?;
        Ok(latest
            .topic_list
            .topics
            .into_iter()
            .find(|topic| topic.title.trim() == title.trim())
            .map(|topic| Topic {
                id: topic.id,
                slug: topic.slug,
            }))
    }

    /// The topic's address.
    pub fn url(&self, topic: &Topic) -> String {
        format!("{}/t/{}/{}", self.forum, topic.slug, topic.id)
    }

    /// The user the key acts as (`GET /session/current.json`).
    pub fn current_user(&self) -> Result<String, AnnounceError> {
        #[derive(Deserialize)]
        struct Current {
            current_user: User,
        }
        #[derive(Deserialize)]
        struct User {
            username: String,
        }
        let request = RequestDescription::get(format!("{}/session/current.json", self.forum))
            .header("Api-Username", &self.username);
        Ok(self.client.json::<Current>(&request)?.current_user.username)
    }
}
