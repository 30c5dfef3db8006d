//! The loop that runs a release's steps one after another: each step's journal record is
//! written before and after it; a step left `running` by a crash is reconciled by its probe
//! first; a pause or failure ends the loop with the journal saying where it stopped.

use std::time::Instant;

use super::step_cx::StepAt;
use super::{Finish, ReleasedPackage, RunError, Runner, redactor};
use crate::core::PlanFacts;
use crate::core::report::Event;
use crate::journal::{Journal, ReleaseState, StateDir, StepState};
use crate::kinds::{self, Outcome, Probe, StepError};
use crate::plan::step_title;
use crate::project::Project;

impl Runner<'_> {
    pub(super) fn finish_step(
        &mut self,
        state: &StateDir,
        journal: &mut Journal,
        index: usize,
        new_state: StepState,
        message: Option<String>,
        started: Instant,
    ) -> Result<(), RunError> {
        let redactor = redactor(self.project, self.env);
        let record = &mut journal.steps[index];
        record.state = new_state;
        record.message = message.map(|text| redactor.redact(&text));
        record.finished_at = Some(self.env.timestamp());
        record.duration_ms = Some(u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX));
        journal.updated_at = self.env.timestamp();
        state.save(journal).map_err(RunError::Record)?;
        let record = &journal.steps[index];
        let summary = match new_state {
            StepState::Done => record
                .outputs
                .get("summary")
                .cloned()
                .or_else(|| record.output_tail.last().cloned()),
            _ => record.message.clone(),
        };
        self.reporter.event(Event::StepFinished {
            number: record.number,
            title: record.title.clone(),
            state: new_state,
            duration: started.elapsed(),
            summary,
        });
        Ok(())
    }

    pub(super) fn drive(
        &mut self,
        state: &StateDir,
        journal: &mut Journal,
        mut confirm: bool,
    ) -> Result<Finish, RunError> {
        let redactor = redactor(self.project, self.env);
        journal.state = ReleaseState::Running;
        state.save(journal).map_err(RunError::Record)?;
        let plan = journal.plan.clone();
        let base_facts = plan.facts();
        // A run of several packages: each package as a project of its own, with its facts.
        let mut views: std::collections::BTreeMap<&str, (Project, PlanFacts)> =
            std::collections::BTreeMap::new();
        for package in &plan.packages {
            let view = self.project.package(&package.name).map_err(|error| {
                StepError::new(format!(
                    "this release releases `{}`, which is no package of the repository now: {error}",
                    package.name
                ))
                .with_hint("put the package back as it was when the release started, or `relman abort`")
            })?;
            views.insert(&package.name, (view, plan.facts_for(package)));
        }
        for (index, step) in plan.steps.iter().enumerate() {
            let (project, facts): (&Project, &PlanFacts) = match plan
                .package_steps
                .get(&step.number)
                .and_then(|name| views.get(name.as_str()))
            {
                Some((view, facts)) => (view, facts),
                None => (self.project, &base_facts),
            };
            let previous = journal.steps[index].state;
            if previous == StepState::Skipped && journal.steps[index].finished_at.is_none() {
                // Skipped when planned (`if` false): shown in its place in the live view, once.
                let record = &mut journal.steps[index];
                record.finished_at = Some(self.env.timestamp());
                self.reporter.event(Event::StepFinished {
                    number: record.number,
                    title: record.title.clone(),
                    state: StepState::Skipped,
                    duration: std::time::Duration::ZERO,
                    summary: record.message.clone(),
                });
                continue;
            }
            if matches!(
                previous,
                StepState::Done | StepState::Skipped | StepState::Undone
            ) {
                continue;
            }
            let started = Instant::now();
            let title = journal.steps[index].title.clone();
            let at = StepAt {
                project,
                facts,
                state,
                index,
                redactor: &redactor,
                checkout: None,
            };
            // A condition that needed run-time values is decided now.
            if let Some(source) = &step.condition {
                let variables = self.cx(at, journal, false).variables();
                let version = project.scheme.parse(&facts.version).ok();
                let context =
                    crate::plan::variables_context(project, self.env, &variables, version.as_ref());
                let holds = crate::plan::evaluate_now(source, &context);
                journal.steps[index].title = redactor.redact(&step_title(step, &variables));
                match holds {
                    Ok(true) => {}
                    Ok(false) => {
                        self.finish_step(
                            state,
                            journal,
                            index,
                            StepState::Skipped,
                            Some(format!("`if = \"{source}\"` is false")),
                            started,
                        )?;
                        continue;
                    }
                    Err(error) => return self.fail(state, journal, index, &title, error, started),
                }
            }
            // A step with `dir` acts in another checkout, cloned first when it is missing.
            let checkout = match self.prepare_checkout(&plan, at, journal, true) {
                Ok(checkout) => checkout,
                Err(error) => return self.fail(state, journal, index, &title, error, started),
            };
            let at = StepAt {
                checkout: checkout.as_ref(),
                ..at
            };
            // The command a killed relman started may outlive it: never run a second one beside it.
            if let Some(identity) = journal.steps[index].context.get(crate::core::CHILD_PROCESS)
                && previous != StepState::Pending
                && crate::core::still_running(identity)
            {
                let pid = identity.split(':').next().unwrap_or_default();
                let reason = format!(
                    "the command this step started before relman stopped (pid {pid}) is still running: wait for it to end (or stop it), then `relman resume`"
                );
                return self.pause(state, journal, index, &title, reason, started);
            }
            // A value that held a secret and cannot be rebuilt now never reaches a step as
            // `****`; the paths it names stay where it acts, as they render now.
            let (withheld, confined) = {
                let root = checkout.as_ref().map_or_else(
                    || self.project.root.clone(),
                    |checkout| checkout.root.clone(),
                );
                let cx = self.cx(at, journal, false);
                (
                    withheld_error(step, &cx.withheld()),
                    crate::plan::confine::at_run_time(step, &root, &mut |template| {
                        cx.render(template)
                    }),
                )
            };
            if let Some(error) = withheld {
                return self.fail(state, journal, index, &title, error, started);
            }
            if let Err(error) = confined {
                return self.fail(state, journal, index, &title, error, started);
            }
            // What `abort` returns this checkout to, written before the step changes it.
            if let Err(error) = self.record_baseline(journal, state, index, checkout.as_ref()) {
                return self.fail(state, journal, index, &title, error, started);
            }
            // `{changelog}` is what the file holds now (a person or a `run` step may have edited
            // it since the plan), read once: a resumed step sends what it sent before. A step of
            // one package of several reads that package's changelog.
            if crate::plan::reads_changelog(&step.kind)
                && !journal.steps[index]
                    .context
                    .contains_key(crate::core::CHANGELOG_READ)
                && !facts.version.is_empty()
                && let Ok(section) = project.changelog_section_whole(&facts.version)
            {
                journal.steps[index]
                    .context
                    .insert(crate::core::CHANGELOG_READ.to_owned(), section);
                state.save(journal).map_err(RunError::Record)?;
            }
            // Reconcile a step that was interrupted, or that failed and is tried again.
            if matches!(
                previous,
                StepState::Running | StepState::Failed | StepState::Paused
            ) {
                let probed = {
                    let mut cx = self.cx(at, journal, false);
                    within_timeout(step, started, || kinds::probe(step, &mut cx))
                };
                match probed {
                    Ok(Probe::Done) => {
                        journal.steps[index]
                            .output_tail
                            .push("found done (checked on resume)".to_owned());
                        self.finish_step(state, journal, index, StepState::Done, None, started)?;
                        continue;
                    }
                    Ok(Probe::NotDone) => {}
                    Ok(Probe::Unknown) if previous == StepState::Failed => {}
                    Ok(Probe::Unknown) => {
                        if confirm {
                            confirm = false;
                            journal.steps[index]
                                .output_tail
                                .push("marked done with `relman resume --confirm`".to_owned());
                            self.finish_step(
                                state,
                                journal,
                                index,
                                StepState::Done,
                                None,
                                started,
                            )?;
                            continue;
                        }
                        let question = format!(
                            "relman stopped while step {} ({title}) was running, and cannot tell whether it finished. Run it again?",
                            step.number
                        );
                        if !(self.env.interactive && self.prompter.confirm(&question)) {
                            let reason = "relman stopped while this step was running and cannot tell whether it finished; check by hand, then `relman resume --confirm` if it did (or mark the step `idempotent = true` to have it run again)".to_owned();
                            return self.pause(state, journal, index, &title, reason, started);
                        }
                    }
                    Err(error) => return self.fail(state, journal, index, &title, error, started),
                }
            }
            let confirmed = confirm && previous == StepState::Paused;
            if previous == StepState::Paused {
                confirm = false;
            }
            {
                let record = &mut journal.steps[index];
                record.state = StepState::Running;
                record.attempts += 1;
                record.started_at = Some(self.env.timestamp());
                record.message = None;
            }
            journal.updated_at = self.env.timestamp();
            state.save(journal).map_err(RunError::Record)?;
            self.reporter.event(Event::StepStarted {
                number: step.number,
                title: title.clone(),
            });
            let mut attempts_left = step.retries;
            let outcome = loop {
                let mut cx = self.cx(at, journal, confirmed);
                match within_timeout(step, started, || kinds::execute(step, &mut cx)) {
                    Err(error) if attempts_left > 0 => {
                        attempts_left -= 1;
                        let line =
                            format!("attempt failed: {error}; retrying ({attempts_left} left)");
                        cx.output(&line);
                    }
                    other => break other,
                }
            };
            match outcome {
                Ok(Outcome::Done) => {
                    self.finish_step(state, journal, index, StepState::Done, None, started)?;
                }
                Ok(Outcome::Paused(reason)) => {
                    return self.pause(state, journal, index, &title, reason, started);
                }
                Err(error) => return self.fail(state, journal, index, &title, error, started),
            }
        }
        journal.state = ReleaseState::Done;
        journal.updated_at = self.env.timestamp();
        state.save(journal).map_err(RunError::Record)?;
        if let Err(error) = state.archive(journal) {
            // The release is done and recorded so; the next `run` archives it first.
            self.reporter.event(Event::Warning {
                message: format!("the release is done, but its journal stays in place: {error}"),
            });
        }
        self.reporter.event(Event::Finished {
            state: ReleaseState::Done,
            message: None,
        });
        Ok(Finish::Done {
            version: journal.plan.version.clone(),
            tag: journal.plan.tag.clone(),
            packages: journal
                .plan
                .packages
                .iter()
                .map(|package| ReleasedPackage {
                    name: package.name.clone(),
                    version: package.version.clone(),
                    tag: package.tag.clone(),
                })
                .collect(),
        })
    }
}

/// Runs `work` (a step's execute or probe) with every HTTP request it makes bounded by the
/// step's `timeout`, counted from `started`.
fn within_timeout<T>(step: &kinds::StepDef, started: Instant, work: impl FnOnce() -> T) -> T {
    match step.timeout {
        Some(timeout) => {
            let deadline = crate::clients::polling::request_deadline(started, timeout);
            relman_remote::http::deadline::with_deadline(deadline, work)
        }
        None => work(),
    }
}

/// The error of a step whose templates use a value that held a secret the journal does not keep
/// and that cannot be rebuilt now.
fn withheld_error(
    step: &kinds::StepDef,
    withheld: &std::collections::BTreeMap<String, crate::core::Withheld>,
) -> Option<StepError> {
    step.kind
        .placeholders()
        .into_iter()
        .find_map(|placeholder| {
            let key = placeholder.key();
            withheld.get(&key).map(|why| why.error(&key))
        })
}
