With an issue.
