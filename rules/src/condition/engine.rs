//! The CEL engine shared by every condition: one environment with the standard library, one base
//! context with Vigie's helper functions, and parsing on a stack deep enough for CEL's parser.

use std::sync::{Arc, LazyLock};

use cel::common::ast::{CallExpr, Expr, IdedExpr, LiteralValue};
use cel::{Context, Env, ExecutionError, Program, Value};

use super::check;
use super::error::{Pos, Problem, syntax_message};
use super::function;

/// Stack for parsing and checking. CEL's ANTLR parser recurses deeply: in a debug build one
/// level of parentheses takes about 100 KiB, so a 2 MiB thread (a test's, a tokio worker's)
/// overflows at about a dozen levels, and an overflow aborts the process. Parsing happens on a
/// thread of its own with this stack instead; the parser stops itself at 96 levels.
const PARSE_STACK: usize = 64 * 1024 * 1024;

struct Engine {
    env: Arc<Env>,
    base: Context<'static, 'static>,
}

static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    let env = Arc::new(Env::stdlib());
    let mut base = Context::with_env(Arc::clone(&env));
    function::register(&mut base);
    Engine { env, base }
});

/// The context every evaluation starts from: the standard library and Vigie's helpers, no
/// variables. Each evaluation binds its record in an inner scope of it.
pub(super) fn base() -> &'static Context<'static, 'static> {
    &ENGINE.base
}

/// Parses and checks `text` on a thread with a deep stack (see [`PARSE_STACK`]).
pub(super) fn parse(text: &str) -> Result<Program, Vec<Problem>> {
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("vigie-condition".to_owned())
            .stack_size(PARSE_STACK)
            .spawn_scoped(scope, || parse_here(text));
        match spawned {
            Ok(handle) => handle.join().unwrap_or_else(|_| {
                Err(vec![Problem::new(
                    Pos::Offset(0),
                    "the CEL parser failed on this condition; simplify it",
                )])
            }),
            Err(e) => Err(vec![Problem::new(
                Pos::Offset(0),
                format!("the condition could not be parsed: no thread for the parser ({e})"),
            )]),
        }
    })
}

fn parse_here(text: &str) -> Result<Program, Vec<Problem>> {
    let program = ENGINE.env.compile(text).map_err(|errors| {
        // ANTLR reports the first error well and then cascades; the visitor adds internal
        // notes ("Incomplete …") that say nothing to a rule author. Keep the first real one.
        let first = errors
            .errors
            .iter()
            .find(|e| !e.msg.starts_with("Incomplete") && !e.msg.starts_with("No `"))
            .or(errors.errors.first());
        let problem = match first {
            Some(e) => {
                let line = usize::try_from(e.pos.0).unwrap_or(1);
                let column = usize::try_from(e.pos.1).unwrap_or(1);
                let message = match e.msg.as_str() {
                    "UNKNOWN" => "the condition is nested too deeply; split it into simpler parts".to_owned(),
                    msg => syntax_message(msg),
                };
                Problem::new(Pos::LineCol(line, column), message)
            }
            None => Problem::new(Pos::Offset(0), "the condition could not be parsed"),
        };
        vec![problem]
    })?;
    let problems = check::check(&program);
    if problems.is_empty() {
        Ok(program)
    } else {
        Err(problems)
    }
}

/// Whether `name`, an identifier that is not one of Vigie's variables, means something to CEL
/// (a type name such as `int` or `map`).
pub(super) fn is_known_ident(name: &str) -> bool {
    is_known_name(&IdedExpr {
        id: 0,
        expr: Expr::Ident(name.to_owned()),
    })
}

/// Whether `name`, an identifier or a qualified name such as `google.protobuf.Timestamp`,
/// means something to CEL without any variable.
pub(super) fn is_known_name(name: &IdedExpr) -> bool {
    Value::resolve(name, base()).is_ok()
}

/// Whether a call to `name` reaches a function, called as a method (`x.name()`) or not: the
/// interpreter answers "undeclared" for exactly the calls this says no to.
pub(super) fn is_known_function(name: &str, method: bool) -> bool {
    let target = method.then(|| {
        Box::new(IdedExpr {
            id: 0,
            expr: Expr::Literal(LiteralValue::Null),
        })
    });
    let expr = IdedExpr {
        id: 0,
        expr: Expr::Call(CallExpr {
            func_name: name.to_owned(),
            target,
            args: Vec::new(),
        }),
    };
    !matches!(
        Value::resolve(&expr, base()),
        Err(ExecutionError::UndeclaredReference(_))
    )
}
