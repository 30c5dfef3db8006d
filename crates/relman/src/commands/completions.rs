//! `relman completions SHELL`: completion scripts generated from the clap definition, plus the
//! workflows of relman.toml and the packages of the repository, asked for when completing
//! (`relman completions --workflows`, `--packages`) so a workflow or package added later
//! completes without regenerating the script.

use clap::CommandFactory;
use clap_complete::Shell;
use relman_engine::config::Config;

use super::{Context, print};
use crate::args::{Cli, CompletionsArgs};
use crate::error::{CliResult, ExitCode};

pub fn run(context: &Context, args: &CompletionsArgs) -> CliResult<ExitCode> {
    if args.workflows {
        return workflows(context);
    }
    if args.packages {
        return packages(context);
    }
    let Some(shell) = args.shell else {
        return Ok(ExitCode::Usage);
    };
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "relman", &mut script);
    let script = String::from_utf8_lossy(&script).into_owned();
    print(&with_workflows(shell, script))?;
    Ok(ExitCode::Done)
}

/// `NAME<TAB>HELP` per workflow. Completion must never fail loudly: a broken or missing
/// relman.toml gives the built-in workflows.
fn workflows(context: &Context) -> CliResult<ExitCode> {
    let config = context
        .repository()
        .ok()
        .and_then(|repo| context.config(&repo).ok())
        .unwrap_or_else(Config::detected);
    let mut out = String::new();
    for name in config.workflow_names() {
        let help = config
            .workflow(&name)
            .and_then(|workflow| workflow.help)
            .unwrap_or_default();
        out.push_str(&format!("{name}\t{}\n", help.replace(['\t', '\n'], " ")));
    }
    print(&out)?;
    Ok(ExitCode::Done)
}

/// `NAME<TAB>PATH` per package (a single-package project: its name). Silent on any problem.
fn packages(context: &Context) -> CliResult<ExitCode> {
    let Ok((_, project)) = context.project() else {
        return Ok(ExitCode::Done);
    };
    let mut out = String::new();
    if project.packages.is_empty() {
        out.push_str(&format!("{}\t.\n", project.name.replace(['\t', '\n'], " ")));
    }
    for package in &project.packages {
        let path = package.path.display().to_string();
        out.push_str(&format!(
            "{}\t{}\n",
            package.name.replace(['\t', '\n'], " "),
            if path.is_empty() { "." } else { path.as_str() }
        ));
    }
    print(&out)?;
    Ok(ExitCode::Done)
}

/// Teaches the generated script to offer workflow names where a command name is expected and
/// after `plan`, `run` and `help`.
fn with_workflows(shell: Shell, script: String) -> String {
    match shell {
        Shell::Bash => script + BASH,
        Shell::Fish => script + FISH,
        Shell::Zsh => {
            let script = script
                .replacen(
                    "#compdef relman\n",
                    &format!("#compdef relman\n{ZSH_FUNCTION}"),
                    1,
                )
                .replace(
                    "lists them]:NAME:_default'",
                    "lists them]:NAME:_relman_package_names'",
                )
                .replace(
                    ":workflow -- The workflow to run, e.g. `release`:_default'",
                    ":workflow -- The workflow to run, e.g. `release`:_relman_workflow_names'",
                );
            script.replacen(
                "    _describe -t commands 'relman commands' commands \"$@\"",
                "    commands+=(${${(f)\"$(relman completions --workflows 2>/dev/null)\"}//$'\\t'/:})\n    _describe -t commands 'relman commands' commands \"$@\"",
                1,
            )
        }
        // PowerShell and Elvish get the commands; workflows are typed in full there.
        _ => script,
    }
}

const BASH: &str = r#"
# Workflows come from relman.toml at completion time.
_relman_with_workflows() {
    local i word skip=0 dir=() words=()
    for ((i = 1; i < COMP_CWORD; i++)); do
        word="${COMP_WORDS[i]}"
        if ((skip)); then
            [[ "${COMP_WORDS[i - 1]}" == -C ]] && dir=(-C "$word")
            skip=0
            continue
        fi
        case "$word" in
            -C | --config | --color | -p | --package) skip=1 ;;
            -*) ;;
            *) words+=("$word") ;;
        esac
    done
    _relman "$@"
    local previous="${COMP_WORDS[COMP_CWORD - 1]}"
    if [[ "$previous" == -p || "$previous" == --package ]]; then
        local packages
        packages=$(relman "${dir[@]}" completions --packages 2>/dev/null | cut -f1)
        COMPREPLY=($(compgen -W "$packages" -- "${COMP_WORDS[COMP_CWORD]}"))
        return 0
    fi
    case "${words[0]:-}" in
        "" | init | plan | run | resume | status | abort | version | packages | changelog | fragment | check | docs | completions | schema | help) ;;
        # A workflow's arguments are its own: no command names after it.
        *) COMPREPLY=() ;;
    esac
    local cur="${COMP_WORDS[COMP_CWORD]}"
    [[ "$cur" == -* ]] && return 0
    if [[ ${#words[@]} -eq 0 || (${#words[@]} -eq 1 && "${words[0]}" =~ ^(plan|run|help)$) ]]; then
        local names
        names=$(relman "${dir[@]}" completions --workflows 2>/dev/null | cut -f1)
        COMPREPLY+=($(compgen -W "$names" -- "$cur"))
    fi
}
if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _relman_with_workflows -o nosort -o bashdefault -o default relman
else
    complete -F _relman_with_workflows -o bashdefault -o default relman
fi
"#;

const FISH: &str = r#"
# Workflows come from relman.toml at completion time.
complete -c relman -n "__fish_relman_needs_command" -f -a "(relman completions --workflows 2>/dev/null)"
complete -c relman -n "__fish_seen_subcommand_from plan run help; and test (count (commandline -opc)) -le 2" -f -a "(relman completions --workflows 2>/dev/null)"
# Packages of the repository, for -p/--package.
complete -c relman -s p -l package -r -f -a "(relman completions --packages 2>/dev/null)"
"#;

const ZSH_FUNCTION: &str = r#"# Workflows come from relman.toml at completion time.
_relman_workflow_names() {
    local -a names
    names=(${${(f)"$(relman completions --workflows 2>/dev/null)"}//$'\t'/:})
    _describe -t workflows 'relman workflows' names
}
_relman_package_names() {
    local -a names
    names=(${${(f)"$(relman completions --packages 2>/dev/null)"}//$'\t'/:})
    _describe -t packages 'relman packages' names
}
"#;
