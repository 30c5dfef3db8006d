//! Config validation time against the number of steps: it must grow linearly (a million-step
//! file used to take ten minutes, quadratic in the steps). Validates files of 100 and 1000 steps
//! (the cap), each step referring to the one before, and prints the time per step of each and
//! their ratio (about 1 when linear, about 10 when quadratic). Run:
//! `cargo bench -p relman-engine --bench config`.
#![allow(
    clippy::print_stdout,
    reason = "a measurement program: its report is its output"
)]

use std::path::Path;
use std::time::{Duration, Instant};

use relman_engine::config::Config;

fn config(steps: usize) -> String {
    let mut text = String::from("[workflow.w]\n[[workflow.w.step]]\nid = \"s0\"\nrun = \"true\"\n");
    for number in 1..steps {
        text.push_str(&format!(
            "[[workflow.w.step]]\nid = \"s{number}\"\nrun = [\"echo\", \"{{version}}\", \"{{steps.s{}.stdout}}\"]\nif = \"is_final\"\n",
            number - 1
        ));
    }
    text
}

/// The fastest of a few validations, per step.
fn per_step(steps: usize) -> Duration {
    let text = config(steps);
    let fastest = (0..5)
        .map(|_| {
            let started = Instant::now();
            let config = Config::parse(Path::new("relman.toml"), &text).expect("a valid config");
            assert_eq!(config.workflows["w"].steps.len(), steps);
            started.elapsed()
        })
        .min()
        .expect("measured");
    fastest / u32::try_from(steps).expect("few steps")
}

fn main() {
    let small = per_step(100);
    let large = per_step(1000);
    println!("validation per step: {small:?} at 100 steps, {large:?} at 1000 steps");
    println!(
        "ratio {:.2} (1 is linear, 10 quadratic)",
        large.as_secs_f64() / small.as_secs_f64()
    );
}
