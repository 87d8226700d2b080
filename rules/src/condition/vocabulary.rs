//! The names a condition may use, as data: checking uses it to catch typos, and it is the list the
//! module documentation describes.

/// A field of one of the record's maps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Field {
    pub name: &'static str,
    /// What the field holds, as a phrase ("a string", "a timestamp or null").
    pub kind: &'static str,
}

const fn field(name: &'static str, kind: &'static str) -> Field {
    Field { name, kind }
}

/// The record's variables, in the order error messages list them.
pub(super) const VARIABLES: [&str; 5] = ["event", "member", "jurisdiction", "window", "today"];

pub(super) const EVENT: &[Field] = &[
    field("kind", "a string"),
    field("is_election", "a bool"),
    field("status", "a string"),
    field("title", "a string"),
    field("jurisdiction", "a string"),
    field("country", "a string"),
    field("start", "a timestamp"),
    field("end", "a timestamp"),
    field("precision", "a string"),
    field("predicted", "a bool"),
    field("early", "a bool"),
    field("caretaker", "a bool"),
    field("attributes", "a map"),
];

pub(super) const MEMBER: &[Field] = &[
    field("code", "a string"),
    field("name", "a string"),
    field("level", "a string"),
    field("region", "a string"),
    field("status", "a string"),
    field("status_since", "a timestamp or null"),
    field("joined", "an int or null"),
    field("plan", "a map"),
];

pub(super) const PLAN: &[Field] = &[
    field("number", "an int or null"),
    field("start", "a timestamp or null"),
    field("end", "a timestamp or null"),
];

/// The window being derived, for overlays (null while the rule's own condition is evaluated).
pub(super) const WINDOW: &[Field] = &[field("opens", "a timestamp"), field("closes", "a timestamp")];

pub(super) const JURISDICTION: &[Field] = &[
    field("code", "a string"),
    field("name", "a string"),
    field("level", "a string"),
    field("region", "a string"),
    field("country", "a string"),
];

/// What a path of the vocabulary leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    /// A map with exactly these fields.
    Map(&'static [Field]),
    /// A map whose keys depend on the data (`event.attributes`).
    Open,
    /// A value without fields, described as a phrase.
    Value(&'static str),
}

pub(super) fn is_variable(name: &str) -> bool {
    VARIABLES.contains(&name)
}

/// The shape of `path` (`["member", "plan"]`), when the vocabulary knows it.
pub(super) fn shape(path: &[&str]) -> Option<Shape> {
    let fields = match path {
        ["today"] => return Some(Shape::Value("a timestamp")),
        ["event"] => return Some(Shape::Map(EVENT)),
        ["event", "attributes"] => return Some(Shape::Open),
        ["member"] => return Some(Shape::Map(MEMBER)),
        ["member", "plan"] => return Some(Shape::Map(PLAN)),
        ["jurisdiction"] => return Some(Shape::Map(JURISDICTION)),
        ["window"] => return Some(Shape::Map(WINDOW)),
        ["window", _] => WINDOW,
        ["event", _] => EVENT,
        ["member", "plan", _] => PLAN,
        ["member", _] => MEMBER,
        ["jurisdiction", _] => JURISDICTION,
        _ => return None,
    };
    let last = path.last()?;
    fields
        .iter()
        .find(|f| f.name == *last)
        .map(|f| Shape::Value(f.kind))
}
