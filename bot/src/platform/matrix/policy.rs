//! The Matrix platform's decisions, as pure functions of what an event says: whether a message
//! is a command and which line it carries, whether an invitation may be accepted, whether a power
//! level makes someone a room admin, and whether an event is too old to act on. No I/O here, so
//! every rule is tested by a table.

use std::time::Duration;

use matrix_sdk::ruma::events::room::power_levels::UserPowerLevel;
use matrix_sdk::ruma::{Int, MilliSecondsSinceUnixEpoch, UserId};

/// How far the homeserver's clock may run behind Vigie's before a message sent just after
/// Vigie started looks older than the start. Re-delivered events inside this margin are caught
/// by the store's record of processed events.
pub const CLOCK_SKEW: Duration = Duration::from_secs(5);

/// The command line carried by a message body: the text after `prefix` (`!vigie windows` →
/// `windows`), or after a slash (`/window claim ID` → `window claim ID`). `None` for anything
/// else, which Vigie ignores silently.
///
/// The prefix must stand alone (`!vigiewindows` is not a command) and is matched without regard
/// to ASCII case, as clients may capitalise the first letter. A slash command must start with a
/// letter, so `/`, `//comment` and `/ windows` are ordinary text. A bare prefix asks for help.
pub fn command_line<'a>(body: &'a str, prefix: &str) -> Option<&'a str> {
    let body = body.trim();
    if let Some(head) = body.get(..prefix.len())
        && !prefix.is_empty()
        && head.eq_ignore_ascii_case(prefix)
    {
        let rest = &body[prefix.len()..];
        return match rest.chars().next() {
            None => Some("help"),
            Some(c) if c.is_whitespace() => {
                let line = rest.trim();
                Some(if line.is_empty() { "help" } else { line })
            }
            Some(_) => None,
        };
    }
    let rest = body.strip_prefix('/')?;
    rest.starts_with(|c: char| c.is_alphabetic()).then_some(rest)
}

/// The body of a reply without the quote of the replied-to message that older clients put
/// before the text (`> <@alice:example.org> earlier text` lines, then an empty line).
pub fn without_reply_fallback(body: &str) -> &str {
    if !body.starts_with("> ") {
        return body;
    }
    let mut rest = body;
    while rest.starts_with('>') {
        rest = rest.split_once('\n').map_or("", |(_, after)| after);
    }
    rest.strip_prefix('\n').unwrap_or(rest)
}

/// The command's name for logs and benchmarks: its first word, lower-cased (`window`,
/// `subscribe`…), cut short so that a stray paste cannot flood the logs.
pub fn command_name(line: &str) -> String {
    let word = line.split_whitespace().next().unwrap_or("");
    word.chars().take(32).collect::<String>().to_lowercase()
}

/// Whether an invitation sent by `inviter` may be accepted under the `autojoin` list: an entry is
/// a user (`@alice:example.org`, exactly) or a whole server (`:example.org`). An empty list
/// accepts nobody by itself (the caller then asks whether the inviter is a known admin or peer).
pub fn autojoin_allows(autojoin: &[String], inviter: &UserId) -> bool {
    autojoin.iter().any(|entry| match entry.strip_prefix(':') {
        Some(server) => inviter.server_name().as_str().eq_ignore_ascii_case(server),
        None => entry == inviter.as_str(),
    })
}

/// Whether a member's power level makes them an admin of the room: at least `threshold`, or
/// infinite (the creators of a version 12 room, who are not listed in the power levels at all).
pub fn is_room_admin(level: UserPowerLevel, threshold: i64) -> bool {
    level >= UserPowerLevel::Int(Int::new_saturating(threshold))
}

/// Whether an event sent at `sent` (the homeserver's clock) comes from before Vigie started at
/// `started`, allowing for `CLOCK_SKEW`: history, or messages sent while Vigie was down, which
/// must not trigger commands now.
pub fn is_before_start(sent: MilliSecondsSinceUnixEpoch, started: MilliSecondsSinceUnixEpoch) -> bool {
    let skew = u64::try_from(CLOCK_SKEW.as_millis()).unwrap_or(u64::MAX);
    u64::from(sent.0).saturating_add(skew) < u64::from(started.0)
}

#[cfg(test)]
mod tests {
    use matrix_sdk::ruma::{UInt, int, user_id};

    use super::*;

    #[test]
    fn command_lines_come_from_the_prefix_or_a_leading_slash() {
        let cases = [
            ("!vigie windows", Some("windows")),
            ("  !vigie   window claim w-1234  ", Some("window claim w-1234")),
            ("!Vigie windows", Some("windows")),
            ("!vigie", Some("help")),
            ("!vigie   ", Some("help")),
            ("!vigie\nwindows", Some("windows")),
            ("!vigiewindows", None),
            ("/windows", Some("windows")),
            ("/window claim w-1", Some("window claim w-1")),
            ("/", None),
            ("/ windows", None),
            ("//windows", None),
            ("/1windows", None),
            ("windows", None),
            ("hello !vigie windows", None),
            ("", None),
            ("!vig", None),
        ];
        for (body, expected) in cases {
            assert_eq!(command_line(body, "!vigie"), expected, "{body:?}");
        }
    }

    #[test]
    fn a_prefix_with_multibyte_text_around_it_is_not_misread() {
        assert_eq!(command_line("é", "!vigie"), None);
        assert_eq!(command_line("!vigié windows", "!vigie"), None);
        assert_eq!(command_line("/élections", "!vigie"), Some("élections"));
    }

    #[test]
    fn the_quote_of_older_clients_is_taken_off_replies() {
        let quoted = "> <@alice:example.org> which windows?\n> second line\n\n!vigie windows";
        assert_eq!(without_reply_fallback(quoted), "!vigie windows");
        assert_eq!(without_reply_fallback("!vigie windows"), "!vigie windows");
        assert_eq!(without_reply_fallback("> only a quote"), "");
        assert_eq!(
            command_line(without_reply_fallback(quoted), "!vigie"),
            Some("windows")
        );
    }

    #[test]
    fn command_names_are_the_first_word_lower_cased() {
        assert_eq!(command_name("Window claim w-1"), "window");
        assert_eq!(command_name(""), "");
        assert_eq!(command_name(&"x".repeat(100)).len(), 32);
    }

    #[test]
    fn autojoin_entries_name_users_exactly_or_whole_servers() {
        let list = vec!["@alice:example.org".to_owned(), ":partners.org".to_owned()];
        assert!(autojoin_allows(&list, user_id!("@alice:example.org")));
        assert!(!autojoin_allows(&list, user_id!("@bob:example.org")));
        assert!(autojoin_allows(&list, user_id!("@bob:partners.org")));
        assert!(!autojoin_allows(&list, user_id!("@bob:evil-partners.org")));
        assert!(!autojoin_allows(&[], user_id!("@alice:example.org")));
    }

    #[test]
    fn room_admins_reach_the_threshold_or_created_the_room() {
        assert!(is_room_admin(UserPowerLevel::Infinite, 100));
        assert!(is_room_admin(UserPowerLevel::Int(int!(100)), 100));
        assert!(is_room_admin(UserPowerLevel::Int(int!(150)), 100));
        assert!(!is_room_admin(UserPowerLevel::Int(int!(50)), 100));
        assert!(is_room_admin(UserPowerLevel::Int(int!(50)), 50));
        assert!(!is_room_admin(UserPowerLevel::Int(int!(0)), 100));
    }

    #[test]
    fn events_older_than_the_start_minus_the_skew_are_before_start() {
        let at = |ms: u64| MilliSecondsSinceUnixEpoch(UInt::new(ms).unwrap());
        let started = at(1_000_000);
        assert!(is_before_start(at(1_000_000 - 5_001), started));
        assert!(!is_before_start(at(1_000_000 - 5_000), started));
        assert!(!is_before_start(at(1_000_000 - 1), started));
        assert!(!is_before_start(at(2_000_000), started));
    }
}
