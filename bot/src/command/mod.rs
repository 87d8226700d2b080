//! The platform-neutral command model: every chat command is defined once here (its words, its
//! typed options, who may run it) and each platform renders it natively — the console and Matrix
//! read it as text ([`parse`]), Discord registers it as an application command ([`discord`]).
//! Descriptions and messages live in the Fluent files of `bot/locales/`, in English, French and
//! Spanish ([`locale`]). Nothing here does I/O: running a command is `crate::chat`'s work.

pub mod award;
pub mod discord;
pub mod help;
pub mod locale;
pub mod parse;

pub use locale::{Lang, Locales};
pub use parse::{Given, Invocation, ParseError, Value, parse, typed};

/// Who may run a command. Ordered: an admin may do what a peer may, a peer what anyone may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Anyone in a room Vigie is in.
    Anyone,
    /// Steering-committee peers (and admins).
    Peer,
    /// The secretariat.
    Admin,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Anyone => "anyone",
            Self::Peer => "peer",
            Self::Admin => "admin",
        }
    }
}

/// The type of an option's value; each has one written form, checked by [`parse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Free text: the rest of the line.
    Text,
    /// A window id, `w-` and 12 hexadecimal digits.
    WindowId,
    /// A jurisdiction: an ISO 3166-1 alpha-2 country (`KE`) or an ISO 3166-2 subdivision.
    Country,
    /// What to list: a country code, a region slug or a theme word.
    Scope,
    /// What a room follows: `country:KE`, `region:africa-middle-east` or `theme:climate`.
    Topic,
    /// A duration such as `7d`, `12h` or `2w`.
    Duration,
    /// A day, `YYYY-MM-DD`.
    Date,
    /// A person: `@alice:example.org` or `discord:ID`.
    User,
    /// `admin` or `peer`.
    Role,
    /// An OGP region slug.
    Region,
    /// `en`, `fr` or `es`.
    Language,
    /// A feed's name.
    Feed,
    /// A rule's name.
    Rule,
    /// A command's name (for `help`).
    Command,
    /// A switch without a value (`--room`).
    Switch,
    /// Alert label matchers, as Alertmanager writes them: `country=KE`,
    /// `region=~"europe|americas"`; several, separated by spaces or commas. As text, the longest
    /// run of words that reads as matchers.
    Matchers,
    /// A silence's number, as `silences` lists it: `3` (or `#3`, `silence:3`).
    SilenceId,
    /// Where alerts go: a room (`!abc:example.org`, `matrix:!abc:example.org`, `console`) or a
    /// person (`@alice:example.org`).
    Room,
    /// What the audit log is about: a window id, a person, a room or `silence:3`.
    Target,
    /// An award campaign's number, as `award list` shows it: `1`.
    Campaign,
    /// A nomination: `#3` (in the campaign named, or the only one open) or `1#3`.
    Nomination,
    /// A category's slug: `champion`.
    Category,
    /// Categories to create: `champion,local` or `"champion=Open Gov Champion, local=Local Hero"`,
    /// each with its own method and seats when written `champion:stv:3`.
    Categories,
    /// A counting method: `schulze`, `stv`, `score:5`…
    Method,
    /// A whole number from 0 to 100.
    Count,
    /// A day (`2027-03-01`), a day and time in UTC (`2027-03-01T18:00`) or a duration from now.
    Moment,
    /// People separated by commas.
    Users,
    /// A name (quoted when it has spaces).
    Name,
    /// A campaign's quorum: a number of ballots (`5`), a share of the voter roll (`30%`), or
    /// both (`5,30%`).
    Quorum,
    /// What a voter shares with a nominee to be recused from them: `country`, `organisation`,
    /// both (`country,organisation`) or `none`.
    Recusal,
}

impl Kind {
    /// How a value of this kind is shown in a usage line.
    pub fn placeholder(self) -> &'static str {
        match self {
            Self::Text => "TEXT",
            Self::WindowId => "ID",
            Self::Country => "COUNTRY",
            Self::Scope => "SCOPE",
            Self::Topic => "TOPIC",
            Self::Duration => "DURATION",
            Self::Date => "DATE",
            Self::User => "USER",
            Self::Role => "ROLE",
            Self::Region => "REGION",
            Self::Language => "LANGUAGE",
            Self::Feed => "FEED",
            Self::Rule => "RULE",
            Self::Command => "COMMAND",
            Self::Switch => "",
            Self::Matchers => "MATCHERS",
            Self::SilenceId => "ID",
            Self::Room => "ROOM",
            Self::Target => "TARGET",
            Self::Campaign => "CAMPAIGN",
            Self::Nomination => "NOMINATION",
            Self::Category => "CATEGORY",
            Self::Categories => "CATEGORIES",
            Self::Method => "METHOD",
            Self::Count => "N",
            Self::Moment => "WHEN",
            Self::Users => "USERS",
            Self::Name => "NAME",
            Self::Quorum => "QUORUM",
            Self::Recusal => "SAME",
        }
    }
}

/// One option of a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arg {
    /// Its name: the Fluent id of its description is `opt-NAME`; a named option is written
    /// `--NAME VALUE` or `NAME:VALUE`.
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// Given by name rather than by position.
    pub named: bool,
    /// The Fluent id of its description is `opt-ABOUT` when two options share a name but not a
    /// meaning (`language --room` and `why ID ROOM`); `opt-NAME` otherwise.
    pub about: Option<&'static str>,
}

impl Arg {
    /// The Fluent id of its description: `opt-NAME`, or `opt-ABOUT`.
    pub fn description_id(&self) -> String {
        format!("opt-{}", self.about.unwrap_or(self.name))
    }

    /// The same option, described by the message `opt-ABOUT`.
    const fn about(self, about: &'static str) -> Arg {
        Arg {
            about: Some(about),
            ..self
        }
    }
}

const fn pos(name: &'static str, kind: Kind) -> Arg {
    Arg {
        name,
        kind,
        required: true,
        named: false,
        about: None,
    }
}

const fn opt(name: &'static str, kind: Kind) -> Arg {
    Arg {
        name,
        kind,
        required: false,
        named: false,
        about: None,
    }
}

const fn named(name: &'static str, kind: Kind) -> Arg {
    Arg {
        name,
        kind,
        required: false,
        named: true,
        about: None,
    }
}

/// Which command it is, for the code that runs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Id {
    Help,
    Windows,
    WindowShow,
    WindowClaim,
    WindowRelease,
    WindowNote,
    WindowDone,
    WindowSnooze,
    Calendar,
    Member,
    Feeds,
    FeedsSync,
    RulesCheck,
    RulesReload,
    RulesTest,
    Subscribe,
    Unsubscribe,
    Subscriptions,
    PeersList,
    PeersAdd,
    PeersRemove,
    Language,
    Silence,
    Silences,
    Unsilence,
    DigestNow,
    Why,
    Audit,
    AwardOpen,
    AwardList,
    AwardShow,
    AwardClose,
    AwardCertify,
    AwardResults,
    AwardExport,
    Nominate,
    Second,
    Withdraw,
    Nominations,
    Vote,
    Recuse,
    Turnout,
    Poll,
    PollClose,
    PollResults,
}

/// A command, defined once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub id: Id,
    /// Its words: `["window", "claim"]`. The Fluent id of its description is the words joined
    /// by `-` after `cmd-`: `cmd-window-claim`.
    pub path: &'static [&'static str],
    pub args: &'static [Arg],
    pub level: Level,
}

impl Spec {
    /// `window claim`.
    pub fn name(&self) -> String {
        self.path.join(" ")
    }

    /// The Fluent id of the description: `cmd-window-claim`.
    pub fn description_id(&self) -> String {
        format!("cmd-{}", self.path.join("-"))
    }

    pub fn arg(&self, name: &str) -> Option<&'static Arg> {
        self.args.iter().find(|a| a.name == name)
    }

    /// How to write it: `window snooze ID DURATION`, `windows [SCOPE] [--within DURATION]`.
    pub fn usage(&self) -> String {
        let mut out = self.name();
        for arg in self.args {
            let value = arg.name.to_uppercase();
            let shown = match (arg.named, arg.kind) {
                (true, Kind::Switch) => format!("--{}", arg.name),
                (true, kind) => format!("--{} {}", arg.name, kind.placeholder()),
                (false, Kind::Text | Kind::Matchers) => format!("{value}…"),
                (false, _) => value,
            };
            out.push(' ');
            if arg.required {
                out.push_str(&shown);
            } else {
                out.push('[');
                out.push_str(&shown);
                out.push(']');
            }
        }
        out
    }
}

/// Every command, in the order `help` lists them.
pub static COMMANDS: &[Spec] = &[
    Spec {
        id: Id::Help,
        path: &["help"],
        args: &[opt("command", Kind::Command)],
        level: Level::Anyone,
    },
    Spec {
        id: Id::Windows,
        path: &["windows"],
        args: &[
            opt("scope", Kind::Scope),
            named("within", Kind::Duration),
            named("at", Kind::Date),
        ],
        level: Level::Anyone,
    },
    Spec {
        id: Id::WindowShow,
        path: &["window", "show"],
        args: &[pos("id", Kind::WindowId)],
        level: Level::Anyone,
    },
    Spec {
        id: Id::WindowClaim,
        path: &["window", "claim"],
        args: &[pos("id", Kind::WindowId)],
        level: Level::Peer,
    },
    Spec {
        id: Id::WindowRelease,
        path: &["window", "release"],
        args: &[pos("id", Kind::WindowId)],
        level: Level::Peer,
    },
    Spec {
        id: Id::WindowNote,
        path: &["window", "note"],
        args: &[pos("id", Kind::WindowId), pos("text", Kind::Text)],
        level: Level::Peer,
    },
    Spec {
        id: Id::WindowDone,
        path: &["window", "done"],
        args: &[pos("id", Kind::WindowId)],
        level: Level::Peer,
    },
    Spec {
        id: Id::WindowSnooze,
        path: &["window", "snooze"],
        args: &[pos("id", Kind::WindowId), pos("duration", Kind::Duration)],
        level: Level::Peer,
    },
    Spec {
        id: Id::Calendar,
        path: &["calendar"],
        args: &[
            opt("country", Kind::Country),
            named("from", Kind::Date),
            named("to", Kind::Date),
        ],
        level: Level::Anyone,
    },
    Spec {
        id: Id::Member,
        path: &["member"],
        args: &[pos("country", Kind::Country)],
        level: Level::Anyone,
    },
    Spec {
        id: Id::Feeds,
        path: &["feeds"],
        args: &[],
        level: Level::Anyone,
    },
    Spec {
        id: Id::FeedsSync,
        path: &["feeds", "sync"],
        args: &[opt("feed", Kind::Feed)],
        level: Level::Admin,
    },
    Spec {
        id: Id::RulesCheck,
        path: &["rules", "check"],
        args: &[],
        level: Level::Peer,
    },
    Spec {
        id: Id::RulesReload,
        path: &["rules", "reload"],
        args: &[],
        level: Level::Admin,
    },
    Spec {
        id: Id::RulesTest,
        path: &["rules", "test"],
        args: &[pos("rule", Kind::Rule), named("country", Kind::Country)],
        level: Level::Peer,
    },
    Spec {
        id: Id::Subscribe,
        path: &["subscribe"],
        args: &[pos("topic", Kind::Topic)],
        level: Level::Peer,
    },
    Spec {
        id: Id::Unsubscribe,
        path: &["unsubscribe"],
        args: &[pos("topic", Kind::Topic)],
        level: Level::Peer,
    },
    Spec {
        id: Id::Subscriptions,
        path: &["subscriptions"],
        args: &[],
        level: Level::Anyone,
    },
    Spec {
        id: Id::PeersList,
        path: &["peers", "list"],
        args: &[],
        level: Level::Peer,
    },
    Spec {
        id: Id::PeersAdd,
        path: &["peers", "add"],
        args: &[
            pos("user", Kind::User),
            named("role", Kind::Role),
            named("region", Kind::Region),
            named("country", Kind::Country).about("peer-country"),
            named("organisation", Kind::Name).about("peer-organisation"),
        ],
        level: Level::Admin,
    },
    Spec {
        id: Id::PeersRemove,
        path: &["peers", "remove"],
        args: &[pos("user", Kind::User)],
        level: Level::Admin,
    },
    Spec {
        id: Id::Language,
        path: &["language"],
        args: &[opt("language", Kind::Language), named("room", Kind::Switch)],
        level: Level::Anyone,
    },
    Spec {
        id: Id::Silence,
        path: &["silence"],
        args: &[
            pos("matchers", Kind::Matchers),
            pos("duration", Kind::Duration),
            pos("reason", Kind::Text),
        ],
        level: Level::Peer,
    },
    Spec {
        id: Id::Silences,
        path: &["silences"],
        args: &[],
        level: Level::Anyone,
    },
    Spec {
        id: Id::Unsilence,
        path: &["unsilence"],
        args: &[pos("id", Kind::SilenceId).about("silence-id")],
        level: Level::Peer,
    },
    Spec {
        id: Id::DigestNow,
        path: &["digest", "now"],
        args: &[],
        level: Level::Peer,
    },
    Spec {
        id: Id::Why,
        path: &["why"],
        args: &[
            pos("window", Kind::WindowId),
            opt("room", Kind::Room).about("why-room"),
        ],
        level: Level::Anyone,
    },
    Spec {
        id: Id::Audit,
        path: &["audit"],
        args: &[opt("target", Kind::Target)],
        level: Level::Admin,
    },
    // Awards. Taking part is open to anyone the campaign's own rules admit (peers by default):
    // the campaign refuses the others with its reason.
    Spec {
        id: Id::AwardOpen,
        path: &["award", "open"],
        args: &[
            named("categories", Kind::Categories),
            named("method", Kind::Method),
            named("seats", Kind::Count),
            named("seconds", Kind::Count),
            named("public", Kind::Switch),
            named("nominations-close", Kind::Moment),
            named("voting-open", Kind::Moment),
            named("voting-close", Kind::Moment),
            named("remind", Kind::Duration),
            named("roll", Kind::Users),
            named("region", Kind::Region).about("voter-region"),
            named("quorum", Kind::Quorum),
            named("recuse-same", Kind::Recusal),
            pos("title", Kind::Text),
        ],
        level: Level::Admin,
    },
    Spec {
        id: Id::AwardList,
        path: &["award", "list"],
        args: &[],
        level: Level::Anyone,
    },
    Spec {
        id: Id::AwardShow,
        path: &["award", "show"],
        args: &[pos("campaign", Kind::Campaign)],
        level: Level::Anyone,
    },
    Spec {
        id: Id::AwardClose,
        path: &["award", "close"],
        args: &[pos("campaign", Kind::Campaign)],
        level: Level::Admin,
    },
    Spec {
        id: Id::AwardCertify,
        path: &["award", "certify"],
        args: &[pos("campaign", Kind::Campaign)],
        level: Level::Admin,
    },
    Spec {
        id: Id::AwardResults,
        path: &["award", "results"],
        args: &[pos("campaign", Kind::Campaign)],
        level: Level::Anyone,
    },
    Spec {
        id: Id::AwardExport,
        path: &["award", "export"],
        args: &[pos("campaign", Kind::Campaign)],
        level: Level::Anyone,
    },
    Spec {
        id: Id::Nominate,
        path: &["nominate"],
        args: &[
            pos("campaign", Kind::Campaign),
            pos("category", Kind::Category),
            pos("country", Kind::Country).about("nominee-country"),
            pos("nominee", Kind::Name),
            named("user", Kind::User).about("nominee-user"),
            named("organisation", Kind::Name),
            named("institution", Kind::Switch),
            named("replaces", Kind::Nomination),
            pos("citation", Kind::Text),
        ],
        level: Level::Anyone,
    },
    Spec {
        id: Id::Second,
        path: &["second"],
        args: &[pos("nomination", Kind::Nomination)],
        level: Level::Anyone,
    },
    Spec {
        id: Id::Withdraw,
        path: &["withdraw"],
        args: &[pos("nomination", Kind::Nomination)],
        level: Level::Anyone,
    },
    Spec {
        id: Id::Nominations,
        path: &["nominations"],
        args: &[pos("campaign", Kind::Campaign), named("category", Kind::Category)],
        level: Level::Anyone,
    },
    Spec {
        id: Id::Vote,
        path: &["vote"],
        // Without a ballot: on Discord, a private ballot form (`platform::discord::ballot`);
        // elsewhere, the form a ballot takes, or the ballot sent to the voter's direct chat.
        args: &[pos("campaign", Kind::Campaign), opt("ballot", Kind::Text)],
        level: Level::Anyone,
    },
    Spec {
        id: Id::Recuse,
        path: &["recuse"],
        args: &[
            pos("campaign", Kind::Campaign),
            pos("nomination", Kind::Nomination),
        ],
        level: Level::Anyone,
    },
    Spec {
        id: Id::Turnout,
        path: &["turnout"],
        args: &[pos("campaign", Kind::Campaign)],
        level: Level::Anyone,
    },
    // Quick polls: open ballots in the room, shown natively where the platform has polls.
    Spec {
        id: Id::Poll,
        path: &["poll"],
        args: &[
            named("multiple", Kind::Switch),
            named("closes", Kind::Moment),
            pos("question", Kind::Text),
        ],
        level: Level::Peer,
    },
    Spec {
        id: Id::PollClose,
        path: &["poll", "close"],
        args: &[pos("poll", Kind::Campaign)],
        level: Level::Peer,
    },
    Spec {
        id: Id::PollResults,
        path: &["poll", "results"],
        args: &[pos("poll", Kind::Campaign)],
        level: Level::Anyone,
    },
];

/// The command with this id.
pub fn spec(id: Id) -> &'static Spec {
    COMMANDS
        .iter()
        .find(|s| s.id == id)
        .expect("every command id has a definition in COMMANDS")
}

/// The first words of every command, each once, in catalogue order.
pub fn roots() -> Vec<&'static str> {
    let mut roots: Vec<&'static str> = Vec::new();
    for spec in COMMANDS {
        if !roots.contains(&spec.path[0]) {
            roots.push(spec.path[0]);
        }
    }
    roots
}

/// The commands under one first word (`window` → show, claim, …; `feeds` → feeds, feeds sync).
pub fn family(root: &str) -> impl Iterator<Item = &'static Spec> {
    COMMANDS.iter().filter(move |s| s.path[0] == root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_a_unique_path_and_unique_option_names() {
        let mut paths = std::collections::HashSet::new();
        for spec in COMMANDS {
            assert!(paths.insert(spec.path), "{} is defined twice", spec.name());
            let mut names = std::collections::HashSet::new();
            for arg in spec.args {
                assert!(
                    names.insert(arg.name),
                    "{}: option {} twice",
                    spec.name(),
                    arg.name
                );
                assert!(
                    !(arg.named && arg.required),
                    "{}: named options are optional",
                    spec.name()
                );
                if arg.kind == Kind::Text {
                    assert!(
                        std::ptr::eq(arg, spec.args.last().unwrap()),
                        "{}: free text must come last",
                        spec.name()
                    );
                }
            }
            let positional: Vec<_> = spec.args.iter().filter(|a| !a.named).collect();
            let first_optional = positional.iter().position(|a| !a.required);
            if let Some(i) = first_optional {
                assert!(
                    positional[i..].iter().all(|a| !a.required),
                    "{}: a required option after an optional one",
                    spec.name()
                );
            }
        }
    }

    #[test]
    fn usage_shows_required_optional_and_named_options() {
        assert_eq!(spec(Id::WindowSnooze).usage(), "window snooze ID DURATION");
        assert_eq!(spec(Id::WindowNote).usage(), "window note ID TEXT…");
        assert_eq!(
            spec(Id::Windows).usage(),
            "windows [SCOPE] [--within DURATION] [--at DATE]"
        );
        assert_eq!(spec(Id::Language).usage(), "language [LANGUAGE] [--room]");
        assert_eq!(spec(Id::Silence).usage(), "silence MATCHERS… DURATION REASON…");
        assert_eq!(spec(Id::Why).usage(), "why WINDOW [ROOM]");
        assert_eq!(spec(Id::Unsilence).usage(), "unsilence ID");
        assert_eq!(spec(Id::Audit).usage(), "audit [TARGET]");
        assert_eq!(spec(Id::DigestNow).usage(), "digest now");
        assert_eq!(spec(Id::Recuse).usage(), "recuse CAMPAIGN NOMINATION");
        assert_eq!(spec(Id::Vote).usage(), "vote CAMPAIGN [BALLOT…]");
        assert_eq!(
            spec(Id::Poll).usage(),
            "poll [--multiple] [--closes WHEN] QUESTION…"
        );
        assert_eq!(spec(Id::PollClose).usage(), "poll close POLL");
    }

    #[test]
    fn every_option_is_described_in_every_language_under_its_own_id() {
        let locales = Locales::new();
        for spec in COMMANDS {
            for arg in spec.args {
                for lang in Lang::ALL {
                    assert!(
                        locales.has(lang, &arg.description_id()),
                        "{lang}: {} {}",
                        spec.name(),
                        arg.description_id()
                    );
                }
            }
        }
        assert_eq!(
            spec(Id::Why).arg("room").unwrap().description_id(),
            "opt-why-room"
        );
        assert_eq!(
            spec(Id::Language).arg("room").unwrap().description_id(),
            "opt-room"
        );
    }

    #[test]
    fn a_command_with_subcommands_and_a_bare_form_lists_both() {
        let feeds: Vec<_> = family("feeds").map(|s| s.id).collect();
        assert_eq!(feeds, [Id::Feeds, Id::FeedsSync]);
        assert_eq!(roots()[0], "help");
        assert!(roots().contains(&"window"));
    }
}
