//! [`Credential`]: a login only its service can judge (an npm or Cargo registry, PyPI, a
//! Mastodon, Discourse or Bluesky account), declared by the kind that needs it. The kind's own
//! file builds it in `Kind::needs` (as `Need::Credential`) and says, through this trait, which
//! environment variables nothing can stand in for (`plan` proves them before any effect), where
//! this machine keeps it when a tool's own login may stand in (`plan` says which it will use, or
//! refuses when there is none), and how to ask the service whether it works
//! (`check = "credentials"`). The engine knows no service: adding one is a kind's business.

use std::any::Any;
use std::fmt::Debug;
use std::sync::Arc;

use relman_remote::Secret;

use crate::environment::Environment;
use crate::project::Project;
use crate::template::Template;

/// What a credential sees when it is looked for or asked: the project, the environment, and
/// how to render the step's templates.
pub struct CredentialCx<'a> {
    pub project: &'a Project,
    pub env: &'a Environment,
    pub render: &'a dyn Fn(&Template) -> String,
}

impl Debug for CredentialCx<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CredentialCx")
            .field("project", &self.project.name)
            .finish_non_exhaustive()
    }
}

impl CredentialCx<'_> {
    /// The value of the variable `name`, trimmed, when it is set and not blank.
    pub fn secret(&self, name: &str) -> Option<Secret> {
        self.env
            .var(name)
            .filter(|value| !value.trim().is_empty())
            .map(|value| Secret::new(value.trim()))
    }

    /// Renders one of the step's templates.
    pub fn render(&self, template: &Template) -> String {
        (self.render)(template)
    }
}

/// Why a credential is missing or does not work, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    pub problem: String,
    pub hint: String,
}

impl Missing {
    pub fn new(problem: impl Into<String>, hint: impl Into<String>) -> Missing {
        Missing {
            problem: problem.into(),
            hint: hint.into(),
        }
    }

    /// None of the variables `names` is set; `what` says what to export.
    pub fn unset(names: &[String], what: &str) -> Missing {
        Missing::new(
            format!("`{}` is not set", names.join("` or `")),
            format!("export it with {what}"),
        )
    }

    /// `service` at `at` answered that the credential does not work.
    pub fn refused(service: &str, at: &str, error: &dyn std::fmt::Display) -> Missing {
        Missing::new(
            format!("{service} at {at} refused the credential: {error}"),
            "check that it is valid and has not expired",
        )
    }
}

/// A login to a service, as a kind declares it.
pub trait Credential: Debug + Send + Sync + Any + SameCredential {
    /// The variables that must be set wherever the step runs, with what each holds: nothing
    /// else can stand in for them, so `plan` proves them before any effect.
    fn required(&self) -> Vec<(String, &'static str)> {
        Vec::new()
    }

    /// Where this machine keeps it, as far as it can tell without asking the service: a line
    /// saying which one the step will use, or why there is none (`plan` then refuses). `None`
    /// when only [`Credential::required`] can be told here.
    fn locate(&self, cx: &CredentialCx<'_>) -> Option<Result<String, Missing>> {
        let _ = cx;
        None
    }

    /// Asks the service whether it works (`check = "credentials"`): a line saying who it is,
    /// or the problem. Nothing is written and nothing sent but reads.
    fn ask(&self, cx: &CredentialCx<'_>) -> Result<String, Missing>;
}

/// Equality of credentials of any kind (two steps needing the same login are asked once): a
/// credential equals another of its own type that compares equal.
pub trait SameCredential {
    fn same(&self, other: &dyn Any) -> bool;
}

impl<T: PartialEq + Any> SameCredential for T {
    fn same(&self, other: &dyn Any) -> bool {
        other.downcast_ref::<T>().is_some_and(|other| other == self)
    }
}

/// A shared [`Credential`], as a [`super::Need`] holds it.
#[derive(Debug, Clone)]
pub struct Login(Arc<dyn Credential>);

impl Login {
    pub fn new(credential: impl Credential) -> Login {
        Login(Arc::new(credential))
    }
}

impl std::ops::Deref for Login {
    type Target = dyn Credential;

    fn deref(&self) -> &Self::Target {
        self.0.as_ref()
    }
}

impl PartialEq for Login {
    fn eq(&self, other: &Login) -> bool {
        let other: &dyn Any = other.0.as_ref();
        self.0.same(other)
    }
}

impl Eq for Login {}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Token(&'static str);

    impl Credential for Token {
        fn ask(&self, _cx: &CredentialCx<'_>) -> Result<String, Missing> {
            Ok(self.0.to_owned())
        }
    }

    #[derive(Debug, PartialEq)]
    struct Other(&'static str);

    impl Credential for Other {
        fn ask(&self, _cx: &CredentialCx<'_>) -> Result<String, Missing> {
            Ok(self.0.to_owned())
        }
    }

    #[test]
    fn logins_are_equal_when_of_one_type_and_equal() {
        assert_eq!(Login::new(Token("a")), Login::new(Token("a")));
        assert_ne!(Login::new(Token("a")), Login::new(Token("b")));
        assert_ne!(Login::new(Token("a")), Login::new(Other("a")));
    }
}
