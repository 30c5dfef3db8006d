//! The phrases recognisers look for, one regular expression each, matched against lower-cased
//! text without backticks.

use std::sync::LazyLock;

use regex::Regex;

pub(super) fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|error| panic!("phrase expression `{pattern}`: {error}"))
}

macro_rules! phrase {
    ($name:ident, $pattern:literal) => {
        pub(super) static $name: LazyLock<Regex> = LazyLock::new(|| regex($pattern));
    };
}

phrase!(
    VERIFYING,
    r"\b(confirm|verify|check|make sure|ensure|double-check)\b"
);
phrase!(
    EXPLAINING,
    r"^(this|that|it|which|these|those|there)\b|^(it's|it is|this will)\b"
);
phrase!(
    ADVICE,
    r"^(?:it's|it is|it’s) (?:a )?(?:good (?:practice|idea)|recommended|best|wise) to (?:go and )?"
);
phrase!(
    BRANCH_FROM,
    r"\bmust (?:be )?(?:cut |released |made |done )?(?:from|on) (?:the )?([\w./*-]+) branch"
);
phrase!(
    SWITCH,
    r"\b(?:(?:switch|change|go|check ?out|move)\w* (?:back )?(?:to|onto|on) (?:the )?|^check ?out (?:the )?)([\w./*{}-]+) branch"
);
phrase!(
    NAMED_BRANCH,
    r"\b(?:(?:creat|cut|mak|start)\w* (?:a |the )?(?:new )?|check ?out (?:a )?new )(?:local |maintenance |release )?(?:[\w./{}+-]+ )?branch\b"
);
phrase!(
    RELEASE_BRANCH,
    r"\b(?:creat|cut|mak|open|branch off)\w* (?:a |the )?(?:new )?release branch"
);
phrase!(
    BUMP_VERB,
    r"\b(?:increment|bump|update|change|edit|set|raise|increase|put)\w*\b"
);
// "Perform the version bump for the next release": the bump named as a noun.
phrase!(
    BUMP_NOUN,
    r"\b(?:perform|do|make|apply|prepare)\w* (?:the |a )?(?:[\w-]+ )?version bump\b"
);
phrase!(CHANGELOG_HEADING, r"\b(?:header|heading)\b");
phrase!(VERSION_WORD, r"(?:\bversion\b|__version__)");
// "Bump the versions in the manifest", "update versions": the plural right after the verb (not
// "update the dependencies to their latest versions", nor a `VERSIONS.md` file).
phrase!(
    VERSIONS_OBJECT,
    r"^ (?:the |all )?versions(?:$|[^.\w]|\.(?:$|\s))"
);
phrase!(
    NEXT_DEV,
    r"\bnext (alpha|beta|rc|pre-?release|dev|development|snapshot)\b"
);
phrase!(
    TAG_WITH_LEVEL,
    r"^tag\b.*\bwith (?:the |a )?(major|minor|patch) version"
);
phrase!(
    MAKE_TAG,
    r"\b(?:make|create|add|cut|apply)\w* (?:a |an |the )?(?:new )?((?:gpg-signed |gpg signed |signed |annotated |git |release )*)tag\b"
);
// "Tag", "Tag it", "Tag the release commit": the verb alone, at the start of the clause.
phrase!(
    TAG_VERB,
    r"^(?:then |and |now )?tag(?:$| (?:it|this|that|the|a|your)\b)"
);
// "Pull the latest changes", "pull down the latest `main`": the branch brought up to date.
phrase!(
    PULL_LATEST,
    r"^(?:then |and |first )?pull (?:down |in )?(?:the )?(?:latest|newest|most recent)\b"
);
phrase!(
    TAGGED_OTHER,
    r"\b(?:label|labels|issues?|prs?|pull requests?|people|someone|reviewers?|maintainers?)\b|@"
);
phrase!(COMMIT_VERB, r"(?:^|\band |\bthen )commit\b(?: (\S+))?");
phrase!(
    PULL_BACK,
    r"\bpull (?:them|it|the changes|the merge) (?:back )?(?:locally|down)\b"
);
phrase!(PUSH_VERB, r"(?:^|\band |\bthen )push\b");
// The second form, an instruction at the start of a clause, also names what the pull request
// changes or how many ("open and merge the docs-refresh PR", "submit two PRs"); in the middle of
// a clause those words describe ("developers submit cherry-pick PRs").
phrase!(
    PULL_REQUEST,
    r"\b(?:create|creating|open|opening|submit|submitting|make|making|raise|raising|send|file)s? (?:a |an |the )?(?:new )?(?:github |gitlab )?(?:pull request|pr|merge request)\b|\bas a (?:pull request|pr)\b|^(?:then |and |also |now )?(?:create|open|submit|make|raise|send|file)(?: and merge)? (?:a |an |the |two |one |your )?(?:new )?(?:github |gitlab )?(?:[a-z][\w-]* )?(?:pull requests?|prs?|merge requests?)\b"
);
phrase!(
    PR_BASE,
    r"\b(?:to|into|against|targeting) (?:the )?([\w./{}-]*\w)( branch)?\.?\s*$"
);
phrase!(
    BRANCH_NAME,
    r"^(?:main|master|develop|development|trunk|stable|release[\w./{}-]*|[\w./{}-]*\d[\w./{}-]*)$"
);
phrase!(
    ASSIGN_PR,
    r"\b(?:assign|request (?:a )?review)\w*\b.*\b(?:pr|pull request|review)"
);
phrase!(
    GITHUB_HANDLE,
    r"github:\s*@([A-Za-z0-9-]+)|@([A-Za-z0-9-]+)"
);
phrase!(
    LABEL_PR,
    r"\b(?:add|apply|set)\w* (?:the |a )?([\w:./ -]+?) label (?:to|on) (?:the |your )?(?:pr|pull request)\b"
);
phrase!(
    MERGE_PR,
    r"\bmerge\w* (?:the |this |that |your )?(?:[a-z][\w-]* )?(?:pull request|pr)\b|^merge (?:the changes|them|it) (?:back )?into\b"
);
phrase!(
    MERGE_HEAD,
    r"^(?:then |and )?merge (?:the |your )?[\w./{}+-]+ branch (?:into|to) \S+"
);
phrase!(
    PR_MERGED,
    r"\b(?:once|when|after|wait\w*)\b.*\b(?:pr|pull request)\b.*\bmerge[sd]\b|\b(?:once|when|after) merging (?:the |your |this )?(?:[\w-]+ )?(?:pr|pull request)\b"
);
phrase!(
    DRAFT_RELEASE,
    r"\bdraft(?:s|ed)? (?:a |the )?(?:new )?(?:github )?release\b|\bdraft release notes\b|/releases/new\b"
);
phrase!(
    CREATE_RELEASE,
    r"^(?:then |and |also )?(?:creat|mak|cut)\w* (?:a |the )?(?:new )?(?:github|gitlab) release\b|^(?:then |and |also )?(?:creat|mak)\w* (?:a |the )?(?:new )?release on github\b"
);
phrase!(
    PUBLISH_RELEASE,
    r"\bpublish(?:es|ed)? (?:the )?(?:github |draft )?release\b|\bundraft\w* (?:the )?(?:github )?release\b"
);
phrase!(
    RELEASE_FORM,
    r"\b(?:enter|copy|paste|fill|type|set)\w*\b.*\b(?:tag version|release description|release notes|release title|description)\b"
);
phrase!(
    WAIT_CHECKS,
    r"\bwait\w* (?:for|until) (?:the |all )?(?:github |gitlab )?(?:ci|circleci|checks|builds?|tests|github actions|travis|jenkins|pipeline)\b|\bwait\w* (?:for|until) (?:the |all (?:the )?)?(?:green ci|(?:[\w-]+ )?(?:workflows?|jobs?|pipelines?|ci runs?)\b)"
);
phrase!(
    CI_GREEN,
    r"\b(?:ci|builds?|checks?|tests)\b(?: for [\w./-]+)? (?:is|are|turns?|goes) (?:green|passing|passed)|\bpass(?:es)? (?:the )?ci\b|\b(?:ci|checks|tests|builds?|workflows|jobs|pipelines) (?:pass|passes|succeeds?)\b|\b(?:ci|continuous integration) (?:workflow|job|run|pipeline)\b.*\bsucceeds?\b"
);
phrase!(
    RERUN,
    r"\b(?:restart|re-?run|retry|re-?trigger)\w*\b.*\b(?:fail|flaky)"
);
phrase!(MUST_PASS_CI, r"\bmust pass (?:the )?ci\b|\bci must pass\b");
phrase!(
    MUST_CHANGELOG,
    r"\bmust (?:be accompanied by|have|include) (?:a |an |the )?(?:changelog|release notes)"
);
phrase!(
    CHANGELOG_ENTRY,
    r"changelog.*\b(?:entry|section|includes|contains|mentions|has)\b"
);
phrase!(
    VERSION_CHANGED,
    r"\bversion\b.*\b(?:changed|bumped|updated|incremented)\b"
);
phrase!(
    MILESTONE,
    r"\bmilestone\b.*\b(?:closed?|complete|completed|done|finished)\b|\bclose\w* (?:the )?milestone"
);
phrase!(
    CLEAN,
    r"\bno (?:local )?(?:staged (?:or |and )?)?(?:uncommit+ed|unstaged|local) changes|\b(?:working|work) (?:tree|copy|directory) is clean|\bclean (?:work(?:ing)? )?tree|\beverything is (?:checked in|committed)\b|\ball (?:relevant |local |the )?changes (?:are|have been) committed\b"
);
phrase!(
    ON_BRANCH,
    r"\b(?:you are|you're|you’re|we are|we're|to be|head is|(?:local )?(?:clone|checkout|copy) is) on (?:the )?([\w./*{}-]+) branch\b"
);
// "Make sure you are logged in to npm", "check that you have push access": the logins and tokens.
phrase!(
    LOGGED_IN,
    r"\b(?:logged in|signed in|authenticated|(?:push|write|publish|commit|maintainer) (?:access|rights|permissions?))\b"
);
phrase!(UP_TO_DATE, r"\bup[- ]to[- ]date\b");
phrase!(
    CHANGELOG_UPDATE,
    r"\b(?:generat|updat|regenerat|writ|build)\w* (?:the )?(?:changelog|change log|release notes file)"
);
phrase!(
    CHANGELOG_REVIEW,
    r"\b(?:verify|make sure|check|review|fix|edit|looks good|accounted for|proofread)\b"
);
phrase!(
    SEND_TO_CI,
    r"^(?:then |and )?(?:send|submit|push)\w* (?:it |this |them |the branch )?to (?:the )?ci\b"
);
phrase!(
    CHOOSE_VERSION,
    r"^(?:\d+\. )?(?:determine|decide|pick|choose|work out|figure out)\w* (?:on )?(?:the |a )?(?:release'?s? |new |next )*version(?: number)?\b"
);
phrase!(TRIGGER_CIRCLECI, r"\btrigger\w*\b.*\bcircleci\b");
phrase!(PYPI, r"\bpypi\b");
phrase!(
    PUBLISHED,
    r"\b(?:published|available|is on|are on|appears?|uploaded|release is|files)\b"
);
phrase!(PYPI_PROJECT, r"pypi\.org/project/([A-Za-z0-9_.-]+)");
phrase!(
    DOCKER,
    r"\bdocker ?hub\b|\bdocker (?:images?|registry)\b|\bcontainer images?\b|\b(?:quay|ghcr|docker)\.io\b"
);
phrase!(
    OTHER_ARTIFACTS,
    r"\bhelm\b|\bs3\b|\bwebsite\b|\bbucket\b|\bdocs\b|\bcharts?\b"
);
phrase!(SLACK, r"\bslack\b");
phrase!(SLACK_HASH, r"#([a-z0-9][a-z0-9_-]*)");
phrase!(
    EMAIL,
    r"\b(?:send|shoot|write|drop)\w* (?:them |him |her |the \w+ |an? )*e-?mail\b|^e-?mail (?:the|to)\b|^(?:then |and |also )?announc\w*\b.*\b(?:on|to) [a-z0-9._%+-]+@[a-z0-9-]+\.[a-z]"
);
phrase!(ADDRESS, r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.-]+");
phrase!(
    TICKET,
    r"\b(?:file|open|creat|rais|submit)\w* (?:a |an )?(?:new )?(?:bug|ticket|issue|jira)\b|\bbugzilla\b"
);
phrase!(CLONE, r"\b(?:clone|checkout|check out)\b.*?(https?://\S+)");
phrase!(
    GIT_STATUS,
    r"\b(?:appear|show|listed)\w* in (?:the )?git status\b"
);
phrase!(
    SCHEME,
    r"\bversion(?:ing|ling)?\b.*\b(?:scheme|should use)\b|\bsemantic versioning\b|\bsemver\b"
);
phrase!(CHERRY_PICK, r"\bcherry[- ]?pick");
phrase!(
    ANNOUNCE_VERB,
    r"^(?:collect|ask|notify|inform|tell|announce)\b"
);
