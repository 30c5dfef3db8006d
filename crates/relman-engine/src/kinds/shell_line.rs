//! How a `shell = true` command line gets its placeholders: never as text of the script. Each
//! value is passed to `sh -c SCRIPT relman VALUE…` as a positional parameter, and the script
//! refers to it (`"${1}"`) in a form that suits where the placeholder stands: `"${1}"` outside
//! quotes (one word, as a quoted value was), `${1}` inside double quotes, and `'"${1}"'` inside
//! single quotes (the quote is closed, the value expanded, the quote opened again). A value is
//! expanded once by the shell and never parsed, so `$(…)`, backquotes, quotes and `;` in a
//! commit subject or a branch name stay text. Misjudging where a placeholder stands (shell
//! syntax is large) can change how a value is split, never make it code: the script only ever
//! holds the line as written and references to parameters.

use crate::template::{Piece, Template, Unresolved, Variables};

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
            script.push_str(&match scanner.context() {
                Context::Plain => format!("\"${{{number}}}\""),
                Context::Double => format!("${{{number}}}"),
                Context::Single => format!("'\"${{{number}}}\"'"),
            });
        }
    })?;
    Ok((script, values))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    /// Outside quotes (at the top, or inside `$(…)`).
    Plain,
    Double,
    Single,
}

/// Where the text read so far leaves the next character: a stack of quote contexts, with
/// `$(…)` opening a plain context inside double quotes.
#[derive(Debug)]
struct Scanner {
    /// Each frame: its context and, for plain frames, the open parentheses in it.
    stack: Vec<(Context, usize)>,
    escaped: bool,
    dollar: bool,
}

impl Default for Scanner {
    fn default() -> Self {
        Scanner {
            stack: vec![(Context::Plain, 0)],
            escaped: false,
            dollar: false,
        }
    }
}

impl Scanner {
    fn context(&self) -> Context {
        self.stack.last().map_or(Context::Plain, |frame| frame.0)
    }

    fn feed(&mut self, text: &str) {
        for ch in text.chars() {
            let dollar = std::mem::take(&mut self.dollar);
            if std::mem::take(&mut self.escaped) {
                continue;
            }
            let depth = self.stack.len();
            let Some(frame) = self.stack.last_mut() else {
                return;
            };
            match (frame.0, ch) {
                (Context::Single, '\'') => {
                    self.stack.pop();
                }
                (Context::Single, _) => {}
                (_, '\\') => self.escaped = true,
                (_, '$') => self.dollar = true,
                (Context::Double, '"') => {
                    self.stack.pop();
                }
                (_, '(') if dollar => self.stack.push((Context::Plain, 0)),
                (Context::Plain, '(') => frame.1 += 1,
                (Context::Plain, ')') if frame.1 > 0 => frame.1 -= 1,
                (Context::Plain, ')') if depth > 1 => {
                    self.stack.pop();
                }
                (Context::Plain, '\'') => self.stack.push((Context::Single, 0)),
                (Context::Plain, '"') => self.stack.push((Context::Double, 0)),
                _ => {}
            }
        }
    }
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
