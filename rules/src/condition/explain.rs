//! Turns the interpreter's errors into one sentence a rule author can act on.
//!
//! The interpreter says *what* failed (`_._` applied to `(null_type, string)`); the author needs to
//! know *which part of the condition* it was. On the error path only, the sub-expressions that
//! may have caused it are evaluated again against the same record to find the culprit, and it is
//! named as written (`member.plan.end is null for this record`).

use cel::common::ast::{CallExpr, Expr, IdedExpr, LiteralValue};
use cel::common::types::{CelNull, Kind};
use cel::common::value::CowVal;
use cel::{Context, ExecutionError, Program, Value};

use super::function::{self, NULL_ARGUMENT};

/// One sentence explaining `error`, raised by `program` evaluated in `context`.
pub(super) fn explain(error: ExecutionError, program: &Program, context: &Context<'_, '_>) -> String {
    let culprit = Culprit { program, context };
    match error {
        ExecutionError::FunctionError { function, message } if message == NULL_ARGUMENT => {
            culprit.null_argument(&function)
        }
        ExecutionError::FunctionError { function, message } => {
            if function::helper(&function).is_some() {
                message
            } else {
                format!("`{function}` failed: {message}")
            }
        }
        ExecutionError::NoSuchOverload(overload) => {
            culprit.operation(overload.function(), overload.argument_types())
        }
        ExecutionError::UnsupportedBinaryOperator(op, a, b) => {
            let function = match op {
                "add" => "_+_",
                "sub" => "_-_",
                "mul" => "_*_",
                "div" => "_/_",
                "rem" => "_%_",
                other => other,
            };
            culprit.operation(function, &[a.type_of().to_string(), b.type_of().to_string()])
        }
        ExecutionError::NoSuchKey(key) => culprit.no_such_key(&key),
        ExecutionError::UndeclaredReference(name) => format!("`{name}` is not defined here"),
        ExecutionError::DivisionByZero(_) => "the condition divides by zero".to_owned(),
        ExecutionError::RemainderByZero(_) => "the condition takes a remainder by zero".to_owned(),
        ExecutionError::Overflow(op, _, _) => format!("an arithmetic `{op}` overflows"),
        ExecutionError::IndexOutOfBounds(index) => {
            format!("index {} is out of the list's range", Shown(&index))
        }
        ExecutionError::ValuesNotComparable(a, b) => format!(
            "{} and {} cannot be compared",
            type_phrase(&a.type_of().to_string()),
            type_phrase(&b.type_of().to_string())
        ),
        ExecutionError::UnexpectedType { got, want } => format!("expected {want}, got {got}"),
        other => {
            let text = other.to_string();
            let mut chars = text.chars();
            chars.next().map_or(text.clone(), |first| {
                first.to_lowercase().chain(chars).collect::<String>()
            })
        }
    }
}

/// `type` as a phrase for messages: "a timestamp", "null".
pub(super) fn type_phrase(name: &str) -> String {
    match name {
        "null_type" | "null" => "null".to_owned(),
        "google.protobuf.Timestamp" | "timestamp" => "a timestamp".to_owned(),
        "google.protobuf.Duration" | "duration" => "a duration".to_owned(),
        "int" => "an int".to_owned(),
        "uint" => "a uint".to_owned(),
        "optional_type" => "an optional".to_owned(),
        "bytes" => "bytes".to_owned(),
        other => format!("a {other}"),
    }
}

/// How an operator is written in a condition.
fn operator(function: &str) -> &str {
    match function {
        "_[_]" | "_[?_]" => "[…]",
        "_._" | "_?._" => ".",
        "@in" => "in",
        "_?_:_" => "? :",
        op if op.len() > 1 && op.contains(|c: char| !c.is_ascii_alphanumeric() && c != '_') => {
            op.trim_matches(|c| c == '_' || c == '@')
        }
        name => name,
    }
}

/// A value as a condition would write it, for messages.
struct Shown<'v>(&'v Value);

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Value::Int(i) => write!(f, "{i}"),
            Value::UInt(u) => write!(f, "{u}u"),
            Value::Float(x) => write!(f, "{x}"),
            Value::String(s) => write!(f, "\"{s}\""),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Null => f.write_str("null"),
            other => f.write_str(&type_phrase(&other.type_of().to_string())),
        }
    }
}

/// Finds the part of a condition an error comes from.
struct Culprit<'p, 'c, 'x, 'v> {
    program: &'p Program,
    context: &'c Context<'x, 'v>,
}

impl<'p> Culprit<'p, '_, '_, '_> {
    fn text(&self) -> &'p str {
        &self.program.source_info().source
    }

    /// Every node of the condition, outermost first.
    fn nodes(&self) -> Vec<&'p IdedExpr> {
        let mut nodes = Vec::new();
        let mut stack = vec![self.program.expression()];
        while let Some(e) = stack.pop() {
            nodes.push(e);
            let mut children: Vec<&'p IdedExpr> = Vec::new();
            match &e.expr {
                Expr::Call(call) => {
                    children.extend(call.target.as_deref());
                    children.extend(&call.args);
                }
                Expr::Select(s) => children.push(&s.operand),
                Expr::List(l) => children.extend(&l.elements),
                Expr::Map(m) => {
                    for entry in &m.entries {
                        match &entry.expr {
                            cel::common::ast::EntryExpr::MapEntry(me) => {
                                children.push(&me.key);
                                children.push(&me.value);
                            }
                            cel::common::ast::EntryExpr::StructField(f) => children.push(&f.value),
                        }
                    }
                }
                Expr::Comprehension(c) => {
                    children.extend([&c.iter_range, &c.accu_init, &c.loop_cond, &c.loop_step, &c.result]);
                }
                _ => {}
            }
            stack.extend(children.into_iter().rev());
        }
        nodes
    }

    fn evaluate<'e>(&'e self, e: &'e IdedExpr) -> Option<CowVal<'e, 'e>> {
        Value::resolve_val(e, self.context).ok()
    }

    fn is_null(&self, e: &IdedExpr) -> bool {
        self.evaluate(e)
            .is_some_and(|v| v.downcast_ref::<CelNull>().is_some())
    }

    /// The text between the `(` at byte `open` and its matching `)`.
    fn enclosed(&self, open: usize) -> Option<&'p str> {
        let text = self.text().get(open..)?;
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        let mut escaped = false;
        for (i, c) in text.char_indices() {
            if let Some(q) = quote {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
                continue;
            }
            match c {
                '\'' | '"' => quote = Some(c),
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return Some(text[1..i].trim());
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// The condition's text for `e`, when it can be told.
    fn describe(&self, e: &IdedExpr) -> Option<String> {
        match &e.expr {
            Expr::Ident(name) => Some(name.clone()),
            Expr::Select(s) if !s.test => Some(format!("{}.{}", self.describe(&s.operand)?, s.field)),
            Expr::Literal(LiteralValue::Null) => Some("null".to_owned()),
            Expr::Call(call)
                if call.target.is_none() && !call.func_name.starts_with(['_', '@', '!', '-']) =>
            {
                let open = self.program.source_info().offset_for(e.id)?.0 as usize;
                Some(format!("{}({})", call.func_name, self.enclosed(open)?))
            }
            _ => None,
        }
    }

    fn calls_to(&self, function: &str) -> impl Iterator<Item = (&'p IdedExpr, &'p CallExpr)> {
        let function = function.to_owned();
        self.nodes().into_iter().filter_map(move |e| match &e.expr {
            Expr::Call(call) if call.func_name == function => Some((e, call)),
            _ => None,
        })
    }

    fn null_argument(&self, function: &str) -> String {
        for (e, call) in self.calls_to(function) {
            let Some(arg) = call.target.as_deref().or(call.args.first()) else {
                continue;
            };
            if !self.is_null(arg) {
                continue;
            }
            let shown = match call.target {
                None => self
                    .program
                    .source_info()
                    .offset_for(e.id)
                    .and_then(|(open, _)| self.enclosed(open as usize))
                    .map(str::to_owned),
                Some(_) => self.describe(arg),
            };
            if let Some(shown) = shown {
                return format!(
                    "`{function}({shown})` cannot be computed: `{shown}` is null for this record; check `{shown} != null` first"
                );
            }
        }
        format!("`{function}` was given null; check that its argument is not null first")
    }

    /// `function` (an operator's or a function's name) could not be applied to values of
    /// `types`.
    fn operation(&self, function: &str, types: &[String]) -> String {
        if function == "_._" {
            for e in self.nodes() {
                if let Expr::Select(s) = &e.expr
                    && self.is_null(&s.operand)
                {
                    return match self.describe(&s.operand) {
                        Some(shown) => format!(
                            "`{shown}` is null for this record, so its field `{}` cannot be read; check `{shown} != null` first",
                            s.field
                        ),
                        None => format!(
                            "a value is null for this record, so its field `{}` cannot be read",
                            s.field
                        ),
                    };
                }
            }
            return format!(
                "{} has no fields",
                type_phrase(types.first().map_or("value", String::as_str))
            );
        }
        let op = operator(function);
        if types.iter().any(|t| t == "null_type" || t == "null") {
            for (_, call) in self.calls_to(function) {
                for operand in call.target.as_deref().into_iter().chain(&call.args) {
                    if self.is_null(operand)
                        && let Some(shown) = self.describe(operand)
                        && shown != "null"
                    {
                        return format!(
                            "`{shown}` is null for this record, so `{op}` cannot use it; check `{shown} != null` first"
                        );
                    }
                }
            }
        }
        let phrases: Vec<String> = types.iter().map(|t| type_phrase(t)).collect();
        format!("`{op}` cannot be applied to {}", phrases.join(" and "))
    }

    fn no_such_key(&self, key: &str) -> String {
        let is_map = |e: &IdedExpr| self.evaluate(e).is_some_and(|v| v.get_type().kind() == Kind::Map);
        for e in self.nodes() {
            let (operand, hint) = match &e.expr {
                Expr::Select(s) if !s.test && s.field == key => (&*s.operand, format!("has({{}}.{key})")),
                Expr::Call(call)
                    if call.func_name == "_[_]"
                        && matches!(
                            call.args.get(1).map(|a| &a.expr),
                            Some(Expr::Literal(LiteralValue::String(k))) if k.inner() == key
                        ) =>
                {
                    (&call.args[0], format!("\"{key}\" in {{}}"))
                }
                _ => continue,
            };
            if is_map(operand)
                && let Some(shown) = self.describe(operand)
            {
                let hint = hint.replace("{}", &shown);
                return format!("no such key `{key}` in `{shown}`; check `{hint}` first");
            }
        }
        format!("no such key `{key}`")
    }
}
