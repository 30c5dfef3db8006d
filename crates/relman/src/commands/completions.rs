//! `relman completions SHELL`: completion scripts generated from the clap definition, plus the
//! workflows of relman.toml, asked for when completing (`relman completions --workflows`) so a
//! workflow added later completes without regenerating the script.

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
            -C | --config | --color) skip=1 ;;
            -*) ;;
            *) words+=("$word") ;;
        esac
    done
    _relman "$@"
    case "${words[0]:-}" in
        "" | init | plan | run | resume | status | abort | version | changelog | fragment | check | docs | completions | schema | help) ;;
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
"#;

const ZSH_FUNCTION: &str = r#"# Workflows come from relman.toml at completion time.
_relman_workflow_names() {
    local -a names
    names=(${${(f)"$(relman completions --workflows 2>/dev/null)"}//$'\t'/:})
    _describe -t workflows 'relman workflows' names
}
"#;
