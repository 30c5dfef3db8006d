//! How a `shell = true` command line gets its placeholders: never as text of the script. Each
//! value is passed to `sh -c SCRIPT relman VALUE…` as a positional parameter, and the script
//! refers to it (`"${1}"`) in a form that suits where the placeholder stands: `"${1}"` outside
//! quotes (one word, as a quoted value was), `${1}` inside double quotes, and `'"${1}"'` inside
//! single quotes (the quote is closed, the value expanded, the quote opened again). A value is
//! expanded once by the shell and never parsed, so `$(…)`, backquotes, quotes and `;` in a
//! commit subject or a branch name stay text. Misjudging where a placeholder stands (shell
//! syntax is large) can change how a value is split, never make it code: the script only ever
//! holds the line as written and references to parameters.
//!
//! One exception the parameters cannot cover: where bash evaluates a parameter as arithmetic
//! (`$(( ))`, `(( ))`, `[[ -eq ]]`, `let`, `${arr[…]}`), a subscript in the value runs the
//! command substitutions in it. [`refusal`] finds a placeholder standing there (the `scan`
//! module reads the line) and the config is refused before anything runs.

mod scan;

use scan::{Context, Danger, Scanner};

use crate::template::{Piece, Placeholder, Template, Unresolved, Variables};

/// `$0` of the script: what `sh` names the script in its messages.
const SCRIPT_NAME: &str = "relman";

/// The argv that runs `line` through `sh -c` with its values as positional parameters.
pub fn argv(line: &Template, variables: &Variables) -> Result<Vec<String>, Unresolved> {
    let (script, values) = script(line, variables, false)?;
    let mut argv = vec![
        "sh".to_owned(),
        "-c".to_owned(),
        script,
        SCRIPT_NAME.to_owned(),
    ];
    argv.extend(values);
    Ok(argv)
}

/// The script and the values it refers to as `${1}`, `${2}`…; with `partial`, a value not known
/// yet is passed as its placeholder (for the plan).
pub fn script(
    line: &Template,
    variables: &Variables,
    partial: bool,
) -> Result<(String, Vec<String>), Unresolved> {
    let mut scanner = Scanner::default();
    let mut values: Vec<String> = Vec::new();
    let mut script = String::new();
    line.each_part(variables, partial, |piece| match piece {
        Piece::Text(text) => {
            scanner.feed(text);
            script.push_str(text);
        }
        Piece::Value(placeholder, value) => {
            values.push(value.map_or_else(|| placeholder.to_string(), str::to_owned));
            let number = values.len();
            let context = scanner.context();
            scanner.placeholder();
            script.push_str(&match context {
                Context::Plain => format!("\"${{{number}}}\""),
                Context::Double => format!("${{{number}}}"),
                Context::Single => format!("'\"${{{number}}}\"'"),
            });
        }
    })?;
    Ok((script, values))
}

/// Why `line` may not run with `shell = true`: the first placeholder whose value the shell
/// could evaluate as arithmetic, as an error message and a hint. `env_values` says whether the
/// step's `env` holds placeholders, whose values arithmetic on the line could read by name.
pub fn refusal(line: &Template, env_values: bool) -> Option<(String, String)> {
    let mut scanner = Scanner::default();
    let placeholders: Vec<&Placeholder> = line.placeholders().collect();
    let empty = Variables::new();
    let _ = line.each_part(&empty, true, |piece| match piece {
        Piece::Text(text) => scanner.feed(text),
        Piece::Value(..) => scanner.placeholder(),
    });
    let found = scanner.finish();
    let line_text = line.source();
    let hint = "a value there is evaluated by bash, and a subscript in it runs commands \
        (`a[$(touch pwned)]`): compare numbers in the step's `if` (`if = \"patch == 0\"`, where \
        `major`, `minor`, `patch` are numbers), in a `run` step without `shell` \
        (`run = \"test {patch} -eq 0\"`), or in the shell with `[ \"{patch}\" -eq 0 ]` or \
        `test`, which take only a plain number; compute with `expr \"{minor}\" + 1`"
        .to_owned();
    if let Some((index, danger)) = found.dangers.first() {
        let placeholder = placeholders
            .get(*index)
            .map_or_else(String::new, |p| format!("`{p}` "));
        let place = match danger {
            Danger::Arithmetic(name) => format!("stands in {name}, which is arithmetic"),
            Danger::Expansion => {
                "stands in `${…}` as a subscript, offset or indirection, which is arithmetic"
                    .to_owned()
            }
            Danger::Conditional => {
                "is an operand of a `[[ ]]` that compares numbers (`-eq`, `-lt` …) or tests a \
                 name (`-v`), which bash evaluates as arithmetic"
                    .to_owned()
            }
            Danger::Command(name) => format!(
                "is an argument of `{name}`, which reads it as a variable name, arithmetic or code"
            ),
            Danger::Line(name) => {
                format!("can reach the arithmetic of {name} on the same line through a variable")
            }
        };
        return Some((
            format!("in the `shell = true` command `{line_text}`, {placeholder}{place}"),
            hint,
        ));
    }
    if env_values && let Some(name) = found.arithmetic {
        return Some((
            format!(
                "in the `shell = true` command `{line_text}`, {name} reads variables, and this \
                 step's `env` passes placeholder values in variables"
            ),
            hint,
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(line: &str, name: &str, value: &str) -> String {
        let template = Template::parse(line).unwrap();
        let mut variables = Variables::new();
        variables.set(name, value);
        let argv = argv(&template, &variables).unwrap();
        let output = std::process::Command::new(&argv[0])
            .args(&argv[1..])
            .current_dir(std::env::temp_dir())
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    }

    #[test]
    fn values_stay_text_wherever_the_placeholder_stands() {
        let evil = "a b $(echo INJECTED) `echo INJECTED` '\"; echo INJECTED; \\";
        for (line, expected) in [
            ("printf '[%s]' {changelog}", format!("[{evil}]")),
            ("printf '[%s]' \"{changelog}\"", format!("[{evil}]")),
            ("printf '[%s]' '{changelog}'", format!("[{evil}]")),
            (
                "printf '[%s]' \"x: $(printf %s \"{changelog}\")\"",
                format!("[x: {evil}]"),
            ),
            ("printf '[%s]' x{changelog}y", format!("[x{evil}y]")),
            (
                "printf '[%s]' \"it's {changelog}\"",
                format!("[it's {evil}]"),
            ),
            ("printf '[%s]' \\\"{changelog}", format!("[\"{evil}]")),
        ] {
            let out = run(line, "changelog", evil);
            assert_eq!(out, expected, "{line}");
            assert!(!out.contains("INJECTED\n"), "{line}");
        }
    }

    #[test]
    fn the_script_refers_to_parameters_and_holds_no_value() {
        let template = Template::parse("echo \"{version}\" '{branch}' {sha}").unwrap();
        let mut variables = Variables::new();
        variables.set("version", "1.0");
        variables.set("branch", "$(x)");
        variables.set("sha", "abc");
        let (script, values) = script(&template, &variables, false).unwrap();
        assert_eq!(script, "echo \"${1}\" ''\"${2}\"'' \"${3}\"");
        assert_eq!(values, ["1.0", "$(x)", "abc"]);
    }
}

#[cfg(test)]
mod arithmetic_tests {
    use super::*;

    /// A value whose subscript runs a command wherever bash evaluates it as arithmetic.
    const ATTACK: &str = "a[$(touch pwned)]";

    fn refused(line: &str) -> Option<String> {
        refusal(&Template::parse(line).unwrap(), false).map(|(message, _)| message)
    }

    #[test]
    fn a_placeholder_in_arithmetic_is_refused_and_named() {
        for (line, construct) in [
            ("echo $(( {patch} + 1 ))", "`$(( ))`"),
            ("echo \"$(( {patch} ))\"", "`$(( ))`"),
            ("(( {patch} > 1 )) && echo big", "`(( ))`"),
            ("echo $[ {patch} + 1 ]", "`$[ ]`"),
            ("echo $(( $(echo {patch}) + 1 ))", "`$(( ))`"),
            ("[[ {patch} -eq 1 ]]", "`[[ ]]`"),
            ("[[ \"{patch}\" -ge 1 ]] && echo yes", "`[[ ]]`"),
            (
                "if [[ 1 -lt \"$(echo {patch})\" ]]; then echo; fi",
                "`[[ ]]`",
            ),
            ("[[ -v {patch} ]]", "`[[ ]]`"),
            ("let n={patch}+1", "`let`"),
            ("echo ${{arr[{patch}]}}", "`${…}`"),
            ("echo \"${{v:{patch}}}\"", "`${…}`"),
            ("echo ${{!{patch}}}", "`${…}`"),
            ("printf -v {patch} %s 1", "`-v`"),
            ("test -v {patch}", "`-v`"),
            ("read {patch} < /dev/null", "`read`"),
            ("unset {patch}", "`unset`"),
            ("export {patch}", "`export`"),
            ("declare -i n={patch}", "`declare`"),
            ("eval \"echo {patch}\"", "`eval`"),
            // Through a variable the arithmetic reads by name.
            ("n={patch}; echo $(( n + 1 ))", "`$(( ))` on the same line"),
            ("declare -i n; n={patch}", "`declare -i` on the same line"),
            ("v={patch}; echo ${{arr[v]}}", "`${…}` with a subscript"),
            (
                "[[ $n -eq 1 ]] || echo \"{patch}\"",
                "`[[ ]]` comparing numbers",
            ),
        ] {
            let message = refused(line).unwrap_or_else(|| panic!("allowed: {line}"));
            assert!(message.contains("`{patch}`"), "{line}: {message}");
            assert!(message.contains(construct), "{line}: {message}");
            assert!(message.contains(line), "{line}: {message}");
        }
    }

    #[test]
    fn ordinary_placeholders_stay_allowed() {
        for line in [
            "echo \"{patch}\" '{patch}' {patch}",
            "test \"{patch}\" -eq 1 && echo one",
            "[ \"{patch}\" -eq 1 ] || [ {patch} -gt 3 ]",
            "echo $(echo {patch}) \"$(printf %s \"{patch}\")\"",
            "[[ \"{branch}\" == release/* ]] && echo yes",
            "echo \"${{TAG:-{tag}}}\" ${{HOME}} ${{#HOME}}",
            "export VERSION={version}; A=\"{sha}\" make dist",
            "echo $(( 1 + 2 )) \"{version}\"",
            "expr \"{minor}\" + 1",
            "echo '$(( {patch} ))' \"$( (echo {patch}) )\"",
            "git log --format=%s | while read line; do echo \"{tag}: $line\"; done",
        ] {
            assert_eq!(refused(line), None, "{line}");
        }
    }

    #[test]
    fn env_values_refuse_arithmetic_that_reads_variables() {
        let line = Template::parse("echo $(( N + 1 ))").unwrap();
        let (message, hint) = refusal(&line, true).unwrap();
        assert!(message.contains("`env`"), "{message}");
        assert!(hint.contains("if = "), "{hint}");
        assert_eq!(refusal(&line, false), None);
        let constant = Template::parse("echo $(( 1 + 2 ))").unwrap();
        assert_eq!(refusal(&constant, true), None);
    }

    /// Runs `line` as relman would, with `shell` in place of `sh`, in an empty folder; whether
    /// the attack ran.
    fn attack_runs(shell: &str, line: &str) -> bool {
        let folder = tempfile::tempdir().unwrap();
        let mut variables = Variables::new();
        variables.set("patch", ATTACK);
        let argv = argv(&Template::parse(line).unwrap(), &variables).unwrap();
        let status = std::process::Command::new(shell)
            .args(&argv[1..])
            .current_dir(folder.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
        assert!(status.is_ok(), "{shell} did not start");
        folder.path().join("pwned").exists()
    }

    fn has(shell: &str) -> bool {
        std::process::Command::new(shell)
            .args(["-c", "true"])
            .status()
            .is_ok_and(|status| status.success())
    }

    #[test]
    fn under_bash_the_attack_stays_text_where_placeholders_are_allowed() {
        if !has("bash") {
            eprintln!("bash is not installed: skipped");
            return;
        }
        // The refusal matters: bash would have run it.
        assert!(attack_runs("bash", "echo $(( {patch} + 1 ))"));
        assert!(attack_runs("bash", "[[ {patch} -eq 1 ]]"));
        for line in [
            "echo \"{patch}\" '{patch}' {patch}",
            "test \"{patch}\" -eq 1",
            "[ {patch} -gt 3 ]",
            "echo $(echo {patch})",
            "[[ \"{patch}\" == 1 ]]",
            "echo \"${{NONE:-{patch}}}\"",
            "export V={patch}",
        ] {
            assert_eq!(refused(line), None, "{line}");
            assert!(!attack_runs("bash", line), "bash ran the value in {line}");
            assert!(!attack_runs("sh", line), "sh ran the value in {line}");
        }
    }
}
