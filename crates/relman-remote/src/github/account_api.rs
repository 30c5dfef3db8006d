//! Who the token is and what it may do, and who approved a pull request: `GET /user`, the
//! `permissions` of `GET /repos/{owner}/{repo}`, `GET /repos/{owner}/{repo}/pulls/{n}/reviews`.

use serde::Deserialize;

use super::{GitHub, GitHubError, Repo};
use crate::http::Method;

/// What the token may do in a repository.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Permissions {
    #[serde(default)]
    pub admin: bool,
    #[serde(default)]
    pub push: bool,
    #[serde(default)]
    pub pull: bool,
}

/// One review of a pull request.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Review {
    pub user: Option<Reviewer>,
    /// `APPROVED`, `CHANGES_REQUESTED`, `COMMENTED`, `DISMISSED`, `PENDING`.
    pub state: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Reviewer {
    pub login: String,
}

impl GitHub {
    /// The login of the token's user (`GET /user`).
    pub fn authenticated_user(&self) -> Result<String, GitHubError> {
        #[derive(Deserialize)]
        struct User {
            login: String,
        }
        let request = self.request(Method::Get, "/user");
        Ok(self.get_json::<User>(&request)?.login)
    }

    /// The token's permissions on `repo` (`None` when GitHub does not say).
    pub fn permissions(&self, repo: &Repo) -> Result<Option<Permissions>, GitHubError> {
        #[derive(Deserialize)]
        struct Repository {
            permissions: Option<Permissions>,
        }
        let request = self.repo_request(Method::Get, repo, "");
        Ok(self.get_json::<Repository>(&request)?.permissions)
    }

    /// Every review of pull request `number`, oldest first.
    pub fn reviews(&self, repo: &Repo, number: u64) -> Result<Vec<Review>, GitHubError> {
        self.get_all(
            self.repo_request(Method::Get, repo, &format!("pulls/{number}/reviews"))
                .query("per_page", "100"),
            None,
        )
    }
}

/// The users whose latest deciding review approves (a later `CHANGES_REQUESTED` or `DISMISSED`
/// takes an approval back; a comment does not).
pub fn approvers(reviews: &[Review]) -> Vec<String> {
    let mut latest: Vec<(String, String)> = Vec::new();
    for review in reviews {
        let Some(user) = &review.user else { continue };
        if !matches!(
            review.state.as_str(),
            "APPROVED" | "CHANGES_REQUESTED" | "DISMISSED"
        ) {
            continue;
        }
        latest.retain(|(login, _)| *login != user.login);
        latest.push((user.login.clone(), review.state.clone()));
    }
    latest
        .into_iter()
        .filter(|(_, state)| state == "APPROVED")
        .map(|(login, _)| login)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(login: &str, state: &str) -> Review {
        Review {
            user: Some(Reviewer {
                login: login.to_owned(),
            }),
            state: state.to_owned(),
        }
    }

    #[test]
    fn the_latest_deciding_review_counts() {
        let reviews = [
            review("ann", "APPROVED"),
            review("bob", "APPROVED"),
            review("bob", "CHANGES_REQUESTED"),
            review("ann", "COMMENTED"),
            review("cy", "DISMISSED"),
        ];
        assert_eq!(approvers(&reviews), ["ann"]);
    }
}
