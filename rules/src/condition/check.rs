//! Checks a parsed condition against the vocabulary before it is ever evaluated: every variable,
//! function and field it names must exist, and it must not nest deeper than evaluation can afford.

use cel::Program;
use cel::common::ast::{CallExpr, ComprehensionExpr, EntryExpr, Expr, IdedExpr, SelectExpr};

use super::engine;
use super::error::{Pos, Problem};
use super::function;
use super::vocabulary::{self, Shape};

/// How deep a condition's syntax tree may be. Evaluation recurses once per level; in a debug
/// build a level can take 35 KiB of stack, and conditions run on ordinary 2 MiB threads.
/// Real conditions stay well under ten levels (`&&` and `||` chains are balanced trees).
pub(super) const MAX_DEPTH: usize = 24;

/// The problems of a condition.
pub(super) fn check(program: &Program) -> Vec<Problem> {
    let mut walker = Walker {
        program,
        text: &program.source_info().source,
        scope: Vec::new(),
        problems: Vec::new(),
        too_deep: false,
    };
    walker.walk(program.expression(), 1);
    walker.problems
}

struct Walker<'p> {
    program: &'p Program,
    text: &'p str,
    /// Variables bound by the comprehensions around the node (`x` in `list.exists(x, …)`).
    scope: Vec<&'p str>,
    problems: Vec<Problem>,
    too_deep: bool,
}

impl<'p> Walker<'p> {
    fn offset(&self, id: u64) -> usize {
        self.program
            .source_info()
            .offset_for(id)
            .map_or(0, |(start, _)| start as usize)
    }

    fn walk(&mut self, e: &'p IdedExpr, depth: usize) {
        if depth > MAX_DEPTH {
            if !self.too_deep {
                self.too_deep = true;
                self.problems.push(Problem::new(
                    Pos::Offset(self.offset(e.id)),
                    format!(
                        "the condition is nested too deeply (more than {MAX_DEPTH} levels); split it into simpler parts"
                    ),
                ));
            }
            return;
        }
        match &e.expr {
            Expr::Unspecified | Expr::Literal(_) => {}
            Expr::Ident(name) => self.ident(e.id, name),
            Expr::Select(select) => {
                // A qualified type name (`google.protobuf.Timestamp`) is a name, not fields.
                if let Some(path) = self.path(e)
                    && !vocabulary::is_variable(path[0])
                    && engine::is_known_name(e)
                {
                    return;
                }
                self.select(e.id, select);
                self.walk(&select.operand, depth + 1);
            }
            Expr::Call(call) => self.call(e.id, call, depth),
            Expr::Comprehension(c) => self.comprehension(c, depth),
            Expr::List(list) => {
                for element in &list.elements {
                    self.walk(element, depth + 1);
                }
            }
            Expr::Map(map) => {
                for entry in &map.entries {
                    self.entry(&entry.expr, depth);
                }
            }
            Expr::Struct(s) => {
                self.problems.push(Problem::new(
                    Pos::Offset(self.name_before(self.offset(e.id), &s.type_name)),
                    format!(
                        "`{}{{…}}` builds a message, which conditions cannot use; write a map such as `{{\"key\": value}}`",
                        s.type_name
                    ),
                ));
                for entry in &s.entries {
                    self.entry(&entry.expr, depth);
                }
            }
        }
    }

    fn entry(&mut self, entry: &'p EntryExpr, depth: usize) {
        match entry {
            EntryExpr::MapEntry(m) => {
                self.walk(&m.key, depth + 1);
                self.walk(&m.value, depth + 1);
            }
            EntryExpr::StructField(f) => self.walk(&f.value, depth + 1),
        }
    }

    fn comprehension(&mut self, c: &'p ComprehensionExpr, depth: usize) {
        self.walk(&c.iter_range, depth + 1);
        self.walk(&c.accu_init, depth + 1);
        let outer = self.scope.len();
        self.scope.push(&c.iter_var);
        if let Some(second) = &c.iter_var2 {
            self.scope.push(second);
        }
        self.scope.push(&c.accu_var);
        self.walk(&c.loop_cond, depth + 1);
        self.walk(&c.loop_step, depth + 1);
        self.walk(&c.result, depth + 1);
        self.scope.truncate(outer);
    }

    fn in_scope(&self, name: &str) -> bool {
        name.starts_with('@') || self.scope.contains(&name)
    }

    fn ident(&mut self, id: u64, name: &str) {
        if self.in_scope(name) || vocabulary::is_variable(name) || engine::is_known_ident(name) {
            return;
        }
        self.problems.push(Problem::new(
            Pos::Offset(self.offset(id)),
            format!(
                "unknown variable `{name}`; expected one of {}",
                vocabulary::VARIABLES.join(", ")
            ),
        ));
    }

    /// The vocabulary path `operand` spells (`["member", "plan"]`), unless a comprehension
    /// variable shadows its root.
    fn path(&self, operand: &'p IdedExpr) -> Option<Vec<&'p str>> {
        let mut fields = Vec::new();
        let mut e = operand;
        loop {
            match &e.expr {
                Expr::Ident(name) if !self.in_scope(name) => {
                    fields.push(name.as_str());
                    fields.reverse();
                    return Some(fields);
                }
                Expr::Select(s) if !s.test => {
                    fields.push(s.field.as_str());
                    e = &s.operand;
                }
                _ => return None,
            }
        }
    }

    fn select(&mut self, id: u64, select: &'p SelectExpr) {
        let Some(path) = self.path(&select.operand) else {
            return;
        };
        let field = select.field.as_str();
        let message = match vocabulary::shape(&path) {
            Some(Shape::Map(fields)) if !fields.iter().any(|f| f.name == field) => format!(
                "unknown field `{field}` of `{}`; expected one of {}",
                path.join("."),
                fields.iter().map(|f| f.name).collect::<Vec<_>>().join(", ")
            ),
            Some(Shape::Value(kind)) => format!("`{}` is {kind} and has no field `{field}`", path.join(".")),
            _ => return,
        };
        let at = self.field_after(self.offset(id), field);
        self.problems.push(Problem::new(Pos::Offset(at), message));
    }

    fn call(&mut self, id: u64, call: &'p CallExpr, depth: usize) {
        let name = call.func_name.as_str();
        // Operators are calls too (`_==_`, `!_`, `@in`); none is spelled as an identifier.
        let operator = !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
        let mut walk_target = true;
        if !operator {
            let at = Pos::Offset(self.name_before(self.offset(id), name));
            if let Some(helper) = function::helper(name) {
                let given = call.args.len() + usize::from(call.target.is_some());
                if given != 1 {
                    self.problems.push(Problem::new(
                        at,
                        format!(
                            "`{name}` takes one argument, {}; it was given {given}",
                            helper.argument
                        ),
                    ));
                }
            } else if let Some(target) = call.target.as_deref() {
                // `optional.of(x)` calls the function `optional.of`, not `of` on `optional`.
                match self.path(target) {
                    Some(path) if engine::is_known_function(&format!("{}.{name}", path.join(".")), false) => {
                        walk_target = false;
                    }
                    Some(path) if !vocabulary::is_variable(path[0]) && !engine::is_known_ident(path[0]) => {
                        let qualified = format!("{}.{name}", path.join("."));
                        let at = self.name_before(self.offset(id), &qualified);
                        self.problems.push(unknown_function(Pos::Offset(at), &qualified));
                        walk_target = false;
                    }
                    _ if !engine::is_known_function(name, true) => {
                        self.problems.push(unknown_function(at, name));
                    }
                    _ => {}
                }
            } else if !engine::is_known_function(name, false) {
                self.problems.push(unknown_function(at, name));
            }
        }
        if walk_target && let Some(target) = &call.target {
            self.walk(target, depth + 1);
        }
        for arg in &call.args {
            self.walk(arg, depth + 1);
        }
    }

    /// Where `name` starts when it is written just before the byte `offset` (a call's `(`), or
    /// `offset` itself when it is not.
    fn name_before(&self, offset: usize, name: &str) -> usize {
        let before = self.text.get(..offset).unwrap_or("").trim_end();
        if before.ends_with(name) {
            before.len() - name.len()
        } else {
            offset
        }
    }

    /// Where `field` starts after the byte `offset` (a selection's `.`), or `offset` itself.
    fn field_after(&self, offset: usize, field: &str) -> usize {
        let after = self.text.get(offset..).unwrap_or("");
        let Some(rest) = after.strip_prefix('.') else {
            // A `has()` test carries the position of the macro call: find the field after it.
            return after.find(field).map_or(offset, |i| offset + i);
        };
        let trimmed = rest.trim_start();
        if trimmed.starts_with(field) {
            offset + 1 + (rest.len() - trimmed.len())
        } else {
            offset
        }
    }
}

fn unknown_function(at: Pos, name: &str) -> Problem {
    Problem::new(
        at,
        format!(
            "unknown function `{name}`; expected a CEL standard function or one of {}",
            function::HELPERS
                .iter()
                .map(|h| h.name)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    )
}
