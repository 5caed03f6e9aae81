//! Shell completions and man pages, generated from the clap definitions: bash really completes
//! commands and flags from the script, every shell's script names every command, and the man
//! page renders with groff.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_cdpspec");

fn stdout(args: &[&str]) -> String {
    let out = Command::new(BIN).args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// What bash offers after `words` (the last one being completed), with the script loaded.
fn bash_completes(script: &str, words: &[&str]) -> Vec<String> {
    let program = format!(
        "{script}\nCOMP_WORDS=({})\nCOMP_CWORD={}\n_cdpspec cdpspec \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"",
        words.iter().map(|w| format!("'{w}'")).collect::<Vec<_>>().join(" "),
        words.len() - 1
    );
    let out = Command::new("bash").arg("-c").arg(program).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_owned).collect()
}

#[test]
fn bash_completes_commands_subcommands_and_flags() {
    let script = stdout(&["completions", "bash"]);
    assert_eq!(bash_completes(&script, &["cdpspec", "pl"]), ["plan"]);
    let plan = bash_completes(&script, &["cdpspec", "plan", ""]);
    for sub in ["import", "infer", "check", "diff"] {
        assert!(plan.iter().any(|w| w == sub), "{sub} in {plan:?}");
    }
    let infer = bash_completes(&script, &["cdpspec", "plan", "infer", "--en"]);
    assert_eq!(infer, ["--enum-threshold"]);
    assert_eq!(bash_completes(&script, &["cdpspec", "completions", "z"]), ["zsh"]);
}

#[test]
fn every_shell_gets_a_script_naming_every_command() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout(&["completions", shell]);
        for command in ["validate", "coverage", "serve", "infer", "completions", "enum-threshold", "tracking-plan"] {
            assert!(script.contains(command), "{shell}: {command}");
        }
    }
    let out = Command::new(BIN).args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "an unknown shell is a usage error");
}

#[test]
fn man_pages_render() {
    let page = stdout(&["man"]);
    assert!(page.contains(".TH cdpspec 1"), "{page}");
    let scratch = tempfile::Builder::new().prefix("cdpspec-man-").tempdir().unwrap();
    let dir = scratch.path();
    let out = Command::new(BIN).args(["man", "--out"]).arg(dir).output().unwrap();
    assert!(out.status.success());
    for file in ["cdpspec.1", "cdpspec-validate.1", "cdpspec-plan-infer.1", "cdpspec-plan-import.1", "cdpspec-completions.1"] {
        assert!(dir.join(file).is_file(), "{file}");
    }
    match Command::new("groff").args(["-man", "-Tutf8"]).arg(dir.join("cdpspec-plan-infer.1")).output() {
        Ok(rendered) => {
            let text = plain(&String::from_utf8_lossy(&rendered.stdout));
            assert!(rendered.status.success() && text.contains("enum-threshold"), "{text}");
        }
        Err(e) => eprintln!("\n*** groff is not installed ({e}): the man page was generated but not rendered ***\n"),
    }
}

/// Terminal text without overstriking (`N\x08N` for bold) and with typographic hyphens plain.
fn plain(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c == '\u{8}' {
            out.pop();
        } else {
            out.push(if matches!(c, '\u{2010}' | '\u{2212}') { '-' } else { c });
        }
    }
    out
}
