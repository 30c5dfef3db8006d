//! A plan, shown: each step with its effects (diffs coloured on a terminal), or as JSON. Every
//! text goes through the redactor first.

use std::fmt::Write as _;

use relman_engine::plan::{Effect, Plan};
use relman_remote::Redactor;

use super::Style;

/// The plan as text for people.
pub fn render(plan: &Plan, style: Style, redactor: &Redactor) -> String {
    let mut out = String::new();
    let frozen = &plan.frozen;
    if let Some(reason) = &plan.nothing_to_release {
        let _ = writeln!(out, "{} {}: {reason}", style.bold("Plan"), frozen.workflow);
        return redactor.redact(&out);
    }
    let what = if frozen.version.is_empty() {
        String::new()
    } else if frozen.packages.len() > 1 {
        let released: Vec<String> = frozen
            .packages
            .iter()
            .map(|package| format!("{} {} ({})", package.name, package.version, package.tag))
            .collect();
        format!(" {}", released.join(", "))
    } else {
        // One package of several: named.
        let package = match frozen.packages.as_slice() {
            [package] => format!(" {}", package.name),
            _ => String::new(),
        };
        // The tag is named when a step makes it: a workflow that only opens the release's
        // issue (pillow's) tags nothing.
        let tag = if plan.steps.iter().any(|step| step.kind == "tag") {
            format!(" (tag {})", frozen.tag)
        } else {
            String::new()
        };
        if frozen.version == plan.current_version {
            format!("{package} {}{tag}", frozen.version)
        } else {
            format!(
                "{package} {} → {}{tag}",
                plan.current_version, frozen.version
            )
        }
    };
    let _ = writeln!(
        out,
        "{} {}{what}",
        style.bold("Plan:"),
        style.bold(&frozen.workflow)
    );
    for warning in &plan.warnings {
        let _ = writeln!(out, "{} {warning}", style.yellow("warning:"));
    }
    // Numbers are right-aligned (` 9.` over `10.`), and each step's lines start under its title.
    let width = plan.steps.len().to_string().len();
    let pad = " ".repeat(width - 1);
    for step in &plan.steps {
        let _ = writeln!(
            out,
            "\n  {:>width$}. {}",
            step.number,
            style.bold(&step.title)
        );
        let mut lines = String::new();
        if let Some(reason) = &step.skipped {
            let _ = writeln!(lines, "     {}", style.dim(&format!("skipped: {reason}")));
        } else {
            for effect in &step.effects {
                effect_lines(&mut lines, effect, style);
            }
        }
        for line in lines.lines() {
            let _ = writeln!(out, "{pad}{line}");
        }
    }
    redactor.redact(&out)
}

fn effect_lines(out: &mut String, effect: &Effect, style: Style) {
    match effect {
        Effect::File { diff, .. } => {
            for line in diff.lines() {
                let painted = if line.starts_with("+++") || line.starts_with("---") {
                    style.bold(line)
                } else if line.starts_with('+') {
                    style.green(line)
                } else if line.starts_with('-') {
                    style.red(line)
                } else if line.starts_with("@@") {
                    style.cyan(line)
                } else {
                    line.to_owned()
                };
                let _ = writeln!(out, "     {painted}");
            }
        }
        Effect::Remove { path } => {
            let _ = writeln!(
                out,
                "     {}",
                style.red(&format!("remove {}", path.display()))
            );
        }
        Effect::Command { argv, cwd, shell } => {
            let line = if *shell {
                argv.join(" ")
            } else {
                shell_words::join(argv)
            };
            let place = cwd
                .as_ref()
                .map(|cwd| format!(" (in {})", cwd.display()))
                .unwrap_or_default();
            let _ = writeln!(out, "     $ {line}{place}");
        }
        Effect::Git {
            description,
            command,
        } => {
            let _ = writeln!(out, "     {description}");
            let _ = writeln!(out, "     {}", style.dim(&format!("$ {command}")));
        }
        Effect::Http { method, url, body } => {
            let _ = writeln!(out, "     {method} {url}");
            if let Some(body) = body {
                for line in body.lines() {
                    let _ = writeln!(out, "       {}", style.dim(line));
                }
            }
        }
        Effect::Check {
            description,
            passed,
            detail,
        } => {
            let mark = match passed {
                Some(true) => style.green("✓"),
                Some(false) => style.red("✗"),
                None => style.dim("·"),
            };
            let _ = writeln!(out, "     {mark} {description}");
            if let Some(detail) = detail {
                for line in detail.lines() {
                    let _ = writeln!(out, "       {}", style.dim(line));
                }
            }
        }
        Effect::Wait { description } => {
            let _ = writeln!(out, "     waits: {description}");
        }
        Effect::Manual { text, checklist } => {
            let _ = writeln!(out, "     {} {text}", style.yellow("you:"));
            for item in checklist {
                let _ = writeln!(out, "       [ ] {item}");
            }
        }
        Effect::Note { text } => {
            let _ = writeln!(out, "     {}", style.dim(text));
        }
    }
}

/// The plan as JSON.
pub fn json(plan: &Plan, redactor: &Redactor) -> String {
    let value = serde_json::json!({
        "workflow": plan.frozen.workflow,
        "args": plan.frozen.args,
        "current_version": plan.current_version,
        "version": plan.frozen.version,
        "tag": plan.frozen.tag,
        "nothing_to_release": plan.nothing_to_release,
        "warnings": plan.warnings,
        "steps": plan.steps,
    });
    redactor.redact(&serde_json::to_string_pretty(&value).expect("a plan serialises"))
}
