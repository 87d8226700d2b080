//! Vigie's helper functions for conditions: date arithmetic in whole days and months, counted
//! from the evaluation's day, and questions about an event's precision.

use chrono::{DateTime, Datelike, FixedOffset, Months, NaiveDate};

use cel::common::types::{CelBool, CelDuration, CelInt, CelNull, CelString, CelTimestamp};
use cel::common::value::{CowVal, Val};
use cel::{Context, ExecutionError, FunctionContext};

use super::explain::type_phrase;
use super::record::{TODAY, midnight};

/// A helper function, with the argument it takes, as messages name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Helper {
    pub name: &'static str,
    pub argument: &'static str,
}

pub(super) const HELPERS: [Helper; 7] = [
    Helper {
        name: "days_until",
        argument: "a timestamp",
    },
    Helper {
        name: "days_since",
        argument: "a timestamp",
    },
    Helper {
        name: "months_until",
        argument: "a timestamp",
    },
    Helper {
        name: "date",
        argument: "a day written \"YYYY-MM-DD\"",
    },
    Helper {
        name: "is_exact",
        argument: "an event",
    },
    Helper {
        name: "is_estimated",
        argument: "an event",
    },
    Helper {
        name: "days",
        argument: "an int",
    },
];

pub(super) fn helper(name: &str) -> Option<&'static Helper> {
    HELPERS.iter().find(|h| h.name == name)
}

/// The message of a helper given `null`; the explanation of the error replaces it with one that
/// names the argument (`member.plan.end is null for this record…`).
pub(super) const NULL_ARGUMENT: &str = "was given null";

type Function = Box<
    dyn for<'c, 'a> Fn(&mut FunctionContext<'c, 'a>) -> Result<CowVal<'c, 'a>, ExecutionError> + Send + Sync,
>;

/// Adds the helpers to the base context.
pub(super) fn register(context: &mut Context<'static, 'static>) {
    let functions: [(&str, Function); 7] = [
        ("days_until", Box::new(days_until)),
        ("days_since", Box::new(days_since)),
        ("months_until", Box::new(months_until)),
        ("date", Box::new(date)),
        ("is_exact", Box::new(is_exact)),
        ("is_estimated", Box::new(is_estimated)),
        ("days", Box::new(days)),
    ];
    for (name, function) in functions {
        // Only a name of CEL's standard library is refused, and none of these is one; the
        // condition tests exercise every helper.
        context
            .add_function(name, function)
            .unwrap_or_else(|e| unreachable!("helper `{name}`: {e}"));
    }
}

/// The one argument of a helper, written `f(x)` or `x.f()`.
fn argument<'x, 'c, 'a>(ftx: &'x FunctionContext<'c, 'a>) -> Result<&'x (dyn Val + 'a), ExecutionError> {
    match (&ftx.this, ftx.args.as_slice()) {
        (Some(this), []) => Ok(this.as_ref()),
        (None, [arg]) => Ok(arg.as_ref()),
        _ => Err(ftx.error(format!("`{}` takes one argument", ftx.name))),
    }
}

/// The error for an argument of the wrong type: `null`, or another type than `expected`.
fn wrong(ftx: &FunctionContext<'_, '_>, value: &dyn Val, expected: &str) -> ExecutionError {
    if value.downcast_ref::<CelNull>().is_some() {
        ftx.error(NULL_ARGUMENT)
    } else {
        ftx.error(format!(
            "`{}` expects {expected}, not {}",
            ftx.name,
            type_phrase(value.get_type().name())
        ))
    }
}

fn timestamp_argument(ftx: &FunctionContext<'_, '_>) -> Result<DateTime<FixedOffset>, ExecutionError> {
    let value = argument(ftx)?;
    match value.downcast_ref::<CelTimestamp>() {
        Some(t) => Ok(*t.inner()),
        None => Err(wrong(
            ftx,
            value,
            "a timestamp such as `event.start` or `date(\"2027-05-01\")`",
        )),
    }
}

/// The evaluation's day.
fn today(ftx: &FunctionContext<'_, '_>) -> Result<NaiveDate, ExecutionError> {
    ftx.ptx
        .get_variable(TODAY)
        .and_then(|v| v.downcast_ref::<CelTimestamp>().map(|t| day_of(t.inner())))
        .ok_or_else(|| ftx.error(format!("`{}` has no evaluation day to count from", ftx.name)))
}

/// The UTC calendar day of an instant.
fn day_of(instant: &DateTime<FixedOffset>) -> NaiveDate {
    instant.naive_utc().date()
}

fn int<'c, 'a>(i: i64) -> Result<CowVal<'c, 'a>, ExecutionError> {
    Ok(CowVal::owned(CelInt::from(i)))
}

fn days_until<'c, 'a>(ftx: &mut FunctionContext<'c, 'a>) -> Result<CowVal<'c, 'a>, ExecutionError> {
    let day = day_of(&timestamp_argument(ftx)?);
    int(day.signed_duration_since(today(ftx)?).num_days())
}

fn days_since<'c, 'a>(ftx: &mut FunctionContext<'c, 'a>) -> Result<CowVal<'c, 'a>, ExecutionError> {
    let day = day_of(&timestamp_argument(ftx)?);
    int(today(ftx)?.signed_duration_since(day).num_days())
}

fn months_until<'c, 'a>(ftx: &mut FunctionContext<'c, 'a>) -> Result<CowVal<'c, 'a>, ExecutionError> {
    let day = day_of(&timestamp_argument(ftx)?);
    match whole_months(today(ftx)?, day) {
        Some(months) => int(months),
        None => Err(ftx.error(format!("`months_until` cannot count the months to {day}"))),
    }
}

/// The whole calendar months from `from` to `to`, rounded down: the largest `m` such that `from`
/// moved by `m` months (the 31st becoming the month's last day) is not after `to`.
pub(super) fn whole_months(from: NaiveDate, to: NaiveDate) -> Option<i64> {
    let shifted = |m: i64| -> Option<NaiveDate> {
        let months = Months::new(u32::try_from(m.unsigned_abs()).ok()?);
        if m >= 0 {
            from.checked_add_months(months)
        } else {
            from.checked_sub_months(months)
        }
    };
    let mut m = i64::from(to.year() - from.year()) * 12 + i64::from(to.month()) - i64::from(from.month());
    while shifted(m)? > to {
        m -= 1;
    }
    while shifted(m + 1).is_some_and(|d| d <= to) {
        m += 1;
    }
    Some(m)
}

fn date<'c, 'a>(ftx: &mut FunctionContext<'c, 'a>) -> Result<CowVal<'c, 'a>, ExecutionError> {
    let value = argument(ftx)?;
    let Some(text) = value.downcast_ref::<CelString>() else {
        return Err(wrong(ftx, value, "a day written \"YYYY-MM-DD\""));
    };
    match parse_day(text.inner()) {
        Some(day) => Ok(CowVal::owned(CelTimestamp::from(midnight(day)))),
        None => Err(ftx.error(format!(
            "`date` expects a day written \"YYYY-MM-DD\", such as \"2027-05-01\"; \"{}\" is not one",
            text.inner()
        ))),
    }
}

/// A day written exactly `YYYY-MM-DD`, within CEL's timestamps (years 1 to 9999).
pub(super) fn parse_day(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shaped {
        return None;
    }
    let year: i32 = s[..4].parse().ok()?;
    if year == 0 {
        return None;
    }
    NaiveDate::from_ymd_opt(year, s[5..7].parse().ok()?, s[8..].parse().ok()?)
}

/// An event's `precision` and `predicted` fields.
fn precision(ftx: &FunctionContext<'_, '_>) -> Result<(bool, bool), ExecutionError> {
    let value = argument(ftx)?;
    let field =
        |name: &str| -> Option<CowVal<'_, '_>> { value.as_indexer()?.get(&CelString::from(name)).ok() };
    let exact = field("precision").and_then(|p| p.downcast_ref::<CelString>().map(|s| s.inner() == "day"));
    let estimated =
        field("precision").and_then(|p| p.downcast_ref::<CelString>().map(|s| s.inner() == "estimated"));
    let predicted = field("predicted").and_then(|p| p.downcast_ref::<CelBool>().map(|b| *b.inner()));
    match (exact, estimated) {
        (Some(exact), Some(estimated)) => Ok((exact, estimated || predicted == Some(true))),
        _ => Err(wrong(ftx, value, "an event, such as `event`")),
    }
}

fn is_exact<'c, 'a>(ftx: &mut FunctionContext<'c, 'a>) -> Result<CowVal<'c, 'a>, ExecutionError> {
    let (exact, _) = precision(ftx)?;
    Ok(CowVal::owned(CelBool::from(exact)))
}

fn is_estimated<'c, 'a>(ftx: &mut FunctionContext<'c, 'a>) -> Result<CowVal<'c, 'a>, ExecutionError> {
    let (_, estimated) = precision(ftx)?;
    Ok(CowVal::owned(CelBool::from(estimated)))
}

fn days<'c, 'a>(ftx: &mut FunctionContext<'c, 'a>) -> Result<CowVal<'c, 'a>, ExecutionError> {
    let value = argument(ftx)?;
    let Some(n) = value.downcast_ref::<CelInt>().map(|i| *i.inner()) else {
        return Err(wrong(ftx, value, "a whole number of days"));
    };
    match chrono::Duration::try_days(n) {
        Some(d) => Ok(CowVal::owned(CelDuration::from(d))),
        None => Err(ftx.error(format!("`days` cannot make a duration of {n} days"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn whole_months_round_down_and_clamp_to_month_ends() {
        for (from, to, months) in [
            ("2026-01-15", "2026-06-15", 5),
            ("2026-01-15", "2026-06-14", 4),
            ("2026-01-31", "2026-02-28", 1),
            ("2026-01-30", "2026-02-27", 0),
            ("2026-03-15", "2026-01-20", -2),
            ("2026-03-15", "2026-02-15", -1),
            ("2026-03-15", "2026-03-15", 0),
            ("2026-03-15", "2026-03-14", -1),
            ("2020-02-29", "2021-02-28", 12),
        ] {
            assert_eq!(whole_months(d(from), d(to)), Some(months), "{from} → {to}");
        }
    }

    #[test]
    fn days_are_read_only_in_their_exact_form() {
        assert_eq!(parse_day("2027-05-01"), Some(d("2027-05-01")));
        for bad in [
            "2027-5-01",
            "2027-02-30",
            "0000-01-01",
            "2027/05/01",
            " 2027-05-01",
            "२०२७-05-01",
        ] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
    }
}
