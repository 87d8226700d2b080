//! Conditions of rule files: CEL expressions compiled, checked against Vigie's vocabulary and
//! evaluated against one record at a time.
//!
//! A rule file says *when* with a condition in [CEL], the Common Expression Language:
//!
//! ```toml
//! when = '''
//!   event.is_election && event.jurisdiction == jurisdiction.code
//!   && days_until(event.start) <= 120 && days_until(event.start) >= 0
//!   && member != null && member.status == "active"
//!   && member.plan.end != null && months_until(member.plan.end) <= 6
//! '''
//! ```
//!
//! [`Condition::compile`] refuses, with the file, line and column of the mistake, a condition
//! that does not parse, that names a variable, field or function the vocabulary below does not
//! have, or that nests more than 24 levels deep. [`Condition::evaluate`] answers true or false for
//! one [`Record`], or an [`EvalError`] saying in one sentence what went wrong (`member.plan.end`
//! is null for this record, …); it never panics.
//!
//! # Vocabulary
//!
//! This is the contract between Vigie and the people who write rule files.
//!
//! ## Variables
//!
//! - `event`: the calendar event the rule is looking at, a map; `null` when the rule considers
//!   members only.
//!   - `kind` (string): `legislative`, `presidential`, `regional`, `local`, `european`, `runoff`,
//!     `referendum`, `inauguration`, `cabinet`, `ogp-deadline` or `other`.
//!   - `is_election` (bool): an election of any kind, runoffs and referendums included.
//!   - `status` (string): `announced`, `scheduled`, `postponed`, `held` or `cancelled`.
//!   - `title` (string).
//!   - `jurisdiction` (string): the jurisdiction's code, `KE`, `KE-30` or `ES-madrid`.
//!   - `country` (string): the ISO 3166-1 alpha-2 code of its country, `KE`.
//!   - `start`, `end` (timestamps): the earliest and the latest day the event may fall on, at
//!     00:00 UTC. For an event known to the day they are that day; for `2027-03` they are
//!     March 1st and 31st.
//!   - `precision` (string): `day`, `month`, `year` or `estimated`.
//!   - `predicted` (bool): the date is Vigie's own estimate (a regular election predicted from
//!     the term length), not an announced one.
//!   - `early` (bool): an early (snap) election, from the event's attribute `early=1`.
//!   - `caretaker` (bool): for a cabinet, a caretaker government.
//!   - `attributes` (map of string to string): the feed's own facts about the event.
//! - `member`: the OGP member, a map; `null` when the jurisdiction is not an OGP member.
//!   - `code`, `name` (strings).
//!   - `level` (string): `national` or `local`.
//!   - `region` (string): `africa-middle-east`, `americas`, `asia-pacific` or `europe`.
//!   - `status` (string): `active`, `under-review`, `inactive`, `suspended` or `withdrawn`.
//!   - `status_since` (timestamp or null): the first day of the current status.
//!   - `joined` (int or null): the year the member joined OGP.
//!   - `plan` (map): the current action plan: `number` (int or null), `start` (timestamp or
//!     null: the first day the plan's start may be), `end` (timestamp or null: the last day the
//!     plan's end may be).
//! - `jurisdiction`: the jurisdiction, a map, or `null` when unknown: `code`, `name`, `level`,
//!   `region` (as for `member`) and `country` (strings).
//! - `window`: in an overlay, the window being derived, a map of `opens` and `closes`
//!   (timestamps); `null` in a rule's own `when`, which decides whether there is a window at all.
//! - `today` (timestamp): 00:00 UTC of the evaluation's day, which is the real day or the one
//!   given to `--at`.
//!
//! ## Functions
//!
//! Everything in CEL's standard library (`size`, `in`, `startsWith`, `matches`, `timestamp`,
//! `duration`, the macros `has`, `all`, `exists`, `exists_one`, `map`, `filter`, optional
//! selection `a.?b`…), and these helpers, all counting whole days in UTC from the evaluation's day:
//!
//! - `days_until(ts)` (int): days from today to `ts`; negative when `ts` is past.
//! - `days_since(ts)` (int): days from `ts` to today; negative when `ts` is ahead.
//! - `months_until(ts)` (int): whole calendar months from today to `ts`, rounded down (from
//!   January 31st, February 28th is one month away); negative when `ts` is past.
//! - `date("YYYY-MM-DD")` (timestamp): that day at 00:00 UTC, to compare with: `event.start <
//!   date("2027-01-01")`.
//! - `days(n)` (duration): `n` days, since CEL's durations have no day unit: `event.start - days(30)`.
//! - `is_exact(event)` (bool): the event's date is known to the day.
//! - `is_estimated(event)` (bool): the event's date is an estimate, or Vigie predicted it.
//!
//! ## Nulls
//!
//! A field of `null` cannot be read and a helper cannot take `null`: both are evaluation errors
//! that name the null value. Test first, CEL's `&&` and `||` skip what they do not need:
//! `member != null && member.status == "active"`, `member.plan.end != null &&
//! months_until(member.plan.end) <= 6`. `has(event.attributes.round)` tests whether a key is
//! there.
//!
//! [CEL]: https://cel.dev

mod check;
mod engine;
mod error;
mod explain;
mod function;
mod record;
mod vocabulary;

use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use cel::common::types::CelBool;
use cel::{Program, Value};

pub use error::{ConditionError, EvalError};
pub use record::{Record, WindowDates};

use error::{Pos, Problem};
use record::Bindings;

/// How long a condition may be, in characters. Conditions are a line or a few; the limit keeps
/// parsing time bounded whatever a file holds.
const MAX_CHARS: usize = 4000;

/// Where a condition's text starts in its file, so errors point into the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceSpan {
    pub file: String,
    /// 1-based line of the condition's first character.
    pub line: usize,
    /// 1-based column of the condition's first character, counted in characters.
    ///
    /// Columns past the first line are the file's own only if the condition is written as the
    /// file's text: a TOML literal string (`'…'`, `'''…'''`), or a basic string without escapes.
    pub column: usize,
}

/// A compiled and checked condition. Cheap to clone; evaluate it as often as needed.
#[derive(Clone)]
pub struct Condition {
    text: Arc<str>,
    program: Arc<Program>,
}

/// Two conditions are the same when they are written the same.
impl PartialEq for Condition {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for Condition {}

impl fmt::Debug for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Condition").field(&self.text).finish()
    }
}

impl Condition {
    /// Compiles and checks `text`, which starts in its file where `at` says.
    ///
    /// Refuses a syntax error (the first one), and every variable, field of a record map or
    /// function that the [vocabulary](self#vocabulary) and CEL's standard library do not have,
    /// each located at its identifier.
    pub fn compile(text: &str, at: &SourceSpan) -> Result<Condition, Vec<ConditionError>> {
        let problem = |pos, message: String| vec![error::locate(text, at, Problem::new(pos, message))];
        if text.trim().is_empty() {
            return Err(problem(
                Pos::LineCol(1, 1),
                "the condition is empty; expected a CEL expression such as `event.is_election`".to_owned(),
            ));
        }
        if let Some((offset, _)) = text.char_indices().nth(MAX_CHARS) {
            return Err(problem(
                Pos::Offset(offset),
                format!(
                    "the condition is {} characters long; at most {MAX_CHARS} are allowed, split it into several rules",
                    text.chars().count()
                ),
            ));
        }
        match engine::parse(text) {
            Ok(program) => Ok(Condition {
                text: Arc::from(text),
                program: Arc::new(program),
            }),
            Err(problems) => Err(problems.into_iter().map(|p| error::locate(text, at, p)).collect()),
        }
    }

    /// Evaluates the condition against one record.
    ///
    /// A result that is not a bool is an error, and so is anything the interpreter refuses (a
    /// field of `null`, a missing map key, a helper given `null`); the error names the part of
    /// the condition at fault.
    pub fn evaluate(&self, record: &Record<'_>) -> Result<bool, EvalError> {
        let bindings = Bindings::new(record);
        let base: &cel::Context<'_, '_> = engine::base();
        let mut context = base.new_inner_scope();
        context.set_variable_resolver(&bindings);
        // The interpreter is not ours: should it ever panic, the rule fails, not the bot.
        catch_unwind(AssertUnwindSafe(|| {
            match Value::resolve_val(self.program.expression(), &context) {
                Ok(value) => match value.downcast_ref::<CelBool>() {
                    Some(b) => Ok(*b.inner()),
                    None => Err(EvalError::new(format!(
                        "the condition gives {}, not true or false",
                        explain::type_phrase(value.get_type().name())
                    ))),
                },
                Err(e) => Err(EvalError::new(explain::explain(e, &self.program, &context))),
            }
        }))
        .unwrap_or_else(|_| Err(EvalError::new(ENGINE_FAILURE)))
    }

    /// The condition as written.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// The error of an evaluation the CEL interpreter gave up on by panicking.
const ENGINE_FAILURE: &str = "the CEL interpreter failed on this condition; simplify it";
