//! Client-side scenarios (spec §6, §7): what an app feeds its recall state, in order, and
//! what it must answer.
//!
//! A file is `{"description": "...", "scenarios": [SCENARIO, ...]}`; a scenario is
//! `{"name", "me", "limits"?, "steps": [STEP, ...]}`, and a step one of:
//!
//! - `{"recall": NOTIFICATION, "held": HELD|null, "now", "expect": RECALL_EXPECT}`: phase one
//!   (`on_recall`), then phase two (`settle`) with `held`, as one step
//! - `{"legacy_command": COMMAND, "held": HELD|null, "now", "expect": RECALL_EXPECT}`: the same,
//!   from `on_legacy_command`
//! - `{"message": ARRIVING, "now", "expect": {"arrival": "show"} | {"arrival": "tombstone", "tombstone"}}`
//! - `{"restart": true, "now", "expect": {"remembered": N}}`: export, then import
//!
//! where `RECALL_EXPECT` is `{"outcome": "applied", "tombstone", "effects"}`,
//! `{"outcome": "remembered"}`, `{"outcome": "duplicate"}` or
//! `{"outcome": "rejected", "reason"}`. The shapes are the JSON shapes of `recall-core`.

use recall_core::{
    Arrival, ArrivingMessage, ClientLimits, Effects, HeldMessage, LegacyCommand, Mismatch,
    PendingRecall, Reason, RecallNotification, RecallOutcome, RecallState, Timestamp, Tombstone,
    UserId,
};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// A file of scenarios.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// What the file covers.
    pub description: String,
    /// Its scenarios, in order.
    pub scenarios: Vec<Scenario>,
}

impl ScenarioFile {
    /// Reads and parses a scenario file.
    ///
    /// # Errors
    /// A sentence naming the file and what is wrong with it.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("cannot parse {}: {e}", path.display()))
    }
}

/// One story: a client's user, its limits, and the steps it lives through.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// What it checks, in plain words; unique in the project's files.
    pub name: String,
    /// The app's user.
    pub me: UserId,
    /// The state's limits; the defaults when absent.
    #[serde(default)]
    pub limits: ClientLimits,
    /// What happens, in order.
    pub steps: Vec<Step>,
}

/// One thing that happens to the client, and what it must answer. A step holds exactly one
/// of the keys `recall`, `legacy_command`, `message`, `restart` and no key its kind does not
/// name (spec 10.1, 10.8): a misspelt or stray key is an error, never silently ignored.
#[derive(Debug, Deserialize)]
#[serde(try_from = "serde_json::Map<String, serde_json::Value>")]
pub enum Step {
    /// A recall notification arrives.
    Recall {
        /// The recall.
        recall: RecallNotification,
        /// What the app holds under its conversation and message id.
        held: Option<HeldMessage>,
        /// The client's clock.
        now: Timestamp,
        /// The answer.
        expect: RecallExpect,
    },
    /// A legacy recall command arrives.
    LegacyCommand {
        /// The command.
        legacy_command: LegacyCommand,
        /// What the app holds under its conversation and `msgId`.
        held: Option<HeldMessage>,
        /// The client's clock.
        now: Timestamp,
        /// The answer.
        expect: RecallExpect,
    },
    /// A message arrives.
    Message {
        /// The message.
        message: ArrivingMessage,
        /// The client's clock.
        now: Timestamp,
        /// The answer.
        expect: ArrivalExpect,
    },
    /// The app restarts (`"restart": true`): the state is exported and imported again.
    Restart {
        /// The client's clock at the import.
        now: Timestamp,
        /// How many recalls are remembered after the import.
        expect: RestartExpect,
    },
}

/// The keys that name a step's kind.
const STEP_KINDS: [&str; 4] = ["recall", "legacy_command", "message", "restart"];

/// The step shapes as written, each refusing keys it does not name.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecallStep {
    recall: RecallNotification,
    held: Option<HeldMessage>,
    now: Timestamp,
    expect: RecallExpect,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LegacyStep {
    legacy_command: LegacyCommand,
    held: Option<HeldMessage>,
    now: Timestamp,
    expect: RecallExpect,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MessageStep {
    message: ArrivingMessage,
    now: Timestamp,
    expect: ArrivalExpect,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RestartStep {
    restart: bool,
    now: Timestamp,
    expect: RestartExpect,
}

impl TryFrom<serde_json::Map<String, serde_json::Value>> for Step {
    type Error = String;

    fn try_from(map: serde_json::Map<String, serde_json::Value>) -> Result<Self, String> {
        let kinds: Vec<&str> = STEP_KINDS
            .into_iter()
            .filter(|kind| map.contains_key(*kind))
            .collect();
        let value = serde_json::Value::Object(map);
        let step = match kinds.as_slice() {
            ["recall"] => serde_json::from_value(value).map(|step: RecallStep| Step::Recall {
                recall: step.recall,
                held: step.held,
                now: step.now,
                expect: step.expect,
            }),
            ["legacy_command"] => {
                serde_json::from_value(value).map(|step: LegacyStep| Step::LegacyCommand {
                    legacy_command: step.legacy_command,
                    held: step.held,
                    now: step.now,
                    expect: step.expect,
                })
            }
            ["message"] => serde_json::from_value(value).map(|step: MessageStep| Step::Message {
                message: step.message,
                now: step.now,
                expect: step.expect,
            }),
            ["restart"] => match serde_json::from_value(value) {
                Ok(RestartStep { restart: false, .. }) => {
                    return Err("a restart step must say \"restart\": true".to_owned());
                }
                other => other.map(|step: RestartStep| Step::Restart {
                    now: step.now,
                    expect: step.expect,
                }),
            },
            _ => {
                return Err(format!(
                    "a step holds exactly one of {STEP_KINDS:?}, this one holds {kinds:?}"
                ));
            }
        };
        step.map_err(|error| format!("{} step: {error}", kinds[0]))
    }
}

/// The answer to a recall or a legacy command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case", deny_unknown_fields)]
pub enum RecallExpect {
    /// Replace the held message with the tombstone; carry out the effects.
    Applied {
        /// What replaces the message.
        tombstone: Tombstone,
        /// The follow-up work.
        effects: Effects,
    },
    /// Remembered until the message arrives.
    Remembered,
    /// Nothing to do.
    Duplicate,
    /// Refused; nothing changes.
    Rejected {
        /// Why.
        reason: Reason,
    },
}

impl From<Result<RecallOutcome, Reason>> for RecallExpect {
    fn from(outcome: Result<RecallOutcome, Reason>) -> Self {
        match outcome {
            Ok(RecallOutcome::Applied { tombstone, effects }) => {
                RecallExpect::Applied { tombstone, effects }
            }
            Ok(RecallOutcome::Remembered) => RecallExpect::Remembered,
            Ok(RecallOutcome::Duplicate) => RecallExpect::Duplicate,
            Err(reason) => RecallExpect::Rejected { reason },
        }
    }
}

/// The answer to an arriving message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "arrival", rename_all = "snake_case", deny_unknown_fields)]
pub enum ArrivalExpect {
    /// Show it.
    Show,
    /// Store this tombstone instead.
    Tombstone {
        /// The tombstone.
        tombstone: Tombstone,
    },
}

/// What a restart leaves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestartExpect {
    /// How many recalls are remembered after the import.
    pub remembered: usize,
}

impl Scenario {
    /// Plays the scenario on a fresh [`RecallState`]; the failures, one line each (empty when
    /// it passes).
    #[must_use]
    pub fn run(&self) -> Vec<String> {
        self.play(false)
    }

    /// Plays the scenario as [`Scenario::run`] does, but passes consecutive recall steps at the
    /// same `now` as one page (`on_recalls`, then `settle_all` with their held messages) and
    /// consecutive message steps at the same `now` as one page (`on_messages`), as the Swift
    /// and Kotlin replays do (spec 6.13).
    #[must_use]
    pub fn run_in_pages(&self) -> Vec<String> {
        self.play(true)
    }

    fn play(&self, pages: bool) -> Vec<String> {
        let mut state = RecallState::new(self.me.clone(), self.limits);
        let mut failures = Vec::new();
        let mut index = 0;
        while index < self.steps.len() {
            let first = &self.steps[index];
            let len = if pages {
                self.steps[index..]
                    .iter()
                    .take_while(|step| same_page(first, step))
                    .count()
                    .max(1)
            } else {
                1
            };
            let page = &self.steps[index..index + len];
            let answers = match first {
                Step::Recall { now, .. } if len > 1 => recall_page(&mut state, page, *now),
                Step::Message { now, .. } if len > 1 => message_page(&mut state, page, *now),
                _ => match self.step(&mut state, first) {
                    Ok(answer) => vec![answer],
                    Err(failure) => {
                        failures.push(format!("step {}: {failure}", index + 1));
                        index += 1;
                        continue;
                    }
                },
            };
            for (offset, (expected, actual)) in answers.into_iter().enumerate() {
                if expected != actual {
                    failures.push(format!(
                        "step {}:\n  expected: {expected}\n  got:      {actual}",
                        index + offset + 1
                    ));
                }
            }
            index += len;
        }
        failures
    }

    /// One step: what it expects and what the state answered, as JSON.
    fn step(&self, state: &mut RecallState, step: &Step) -> Result<(String, String), String> {
        Ok(match step {
            Step::Recall {
                recall,
                held,
                now,
                expect,
            } => {
                // Both phases, the held message looked up between them (spec 6.7).
                let actual: RecallExpect = state
                    .on_recall(recall.clone(), *now)
                    .and_then(|pending| state.settle(pending, held.as_ref()))
                    .map_err(Reason::from)
                    .into();
                (json(expect), json(&actual))
            }
            Step::LegacyCommand {
                legacy_command,
                held,
                now,
                expect,
            } => {
                let actual: RecallExpect = state
                    .on_legacy_command(legacy_command, *now)
                    .map_err(Reason::from)
                    .and_then(|pending| state.settle(pending, held.as_ref()).map_err(Reason::from))
                    .into();
                (json(expect), json(&actual))
            }
            Step::Message {
                message,
                now,
                expect,
            } => (
                json(expect),
                json(&arrival(state.on_message(message, (), *now))),
            ),
            Step::Restart { now, expect } => {
                let bytes = state.export();
                *state = RecallState::import(self.me.clone(), self.limits, &bytes, *now)
                    .map_err(|reason| format!("import failed: {}", reason.id()))?;
                (
                    json(expect),
                    json(&RestartExpect {
                        remembered: state.len(),
                    }),
                )
            }
        })
    }
}

/// Whether `step` joins a page that starts with `first`: both recalls, or both messages, at
/// the same `now`.
fn same_page(first: &Step, step: &Step) -> bool {
    match (first, step) {
        (Step::Recall { now: a, .. }, Step::Recall { now: b, .. })
        | (Step::Message { now: a, .. }, Step::Message { now: b, .. }) => a == b,
        _ => false,
    }
}

/// A page of recall steps: phase one for all (`on_recalls`), then phase two for those taken
/// (`settle_all`); a recall refused in phase one is answered in its place.
fn recall_page(state: &mut RecallState, page: &[Step], now: Timestamp) -> Vec<(String, String)> {
    let items: Vec<_> = page
        .iter()
        .filter_map(|step| match step {
            Step::Recall {
                recall,
                held,
                expect,
                ..
            } => Some((recall, held.as_ref(), expect)),
            _ => None,
        })
        .collect();
    let taken = state.on_recalls(items.iter().map(|(recall, _, _)| (*recall).clone()), now);
    let refused: Vec<Option<Reason>> = taken
        .iter()
        .map(|taken| taken.as_ref().err().map(Mismatch::reason))
        .collect();
    let looked_up: Vec<(PendingRecall, Option<&HeldMessage>)> = taken
        .into_iter()
        .zip(&items)
        .filter_map(|(taken, (_, held, _))| Some((taken.ok()?, *held)))
        .collect();
    let mut settled = state.settle_all(looked_up).into_iter();
    items
        .iter()
        .zip(refused)
        .map(|((_, _, expect), refused)| {
            let actual: RecallExpect = match refused {
                Some(reason) => Err(reason),
                None => settled
                    .next()
                    .map_or(Err(Reason::InvalidArgument), |answer| {
                        answer.map_err(Reason::from)
                    }),
            }
            .into();
            (json(expect), json(&actual))
        })
        .collect()
}

/// A page of message steps, as one `on_messages`.
fn message_page(state: &mut RecallState, page: &[Step], now: Timestamp) -> Vec<(String, String)> {
    let items: Vec<_> = page
        .iter()
        .filter_map(|step| match step {
            Step::Message {
                message, expect, ..
            } => Some((message, expect)),
            _ => None,
        })
        .collect();
    let arrivals = state.on_messages(items.iter().map(|(message, _)| (*message, ())), now);
    items
        .iter()
        .zip(arrivals)
        .map(|((_, expect), arrival_)| (json(expect), json(&arrival(arrival_))))
        .collect()
}

fn arrival(arrival: Arrival<()>) -> ArrivalExpect {
    match arrival {
        Arrival::Show(()) => ArrivalExpect::Show,
        Arrival::Tombstone(tombstone) => ArrivalExpect::Tombstone { tombstone },
    }
}

fn json(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}
