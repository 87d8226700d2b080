//! The Discord platform's decisions, as pure functions: how a Markdown reply is cut into messages
//! Discord accepts, which replies only the caller sees, and who is a room admin. No I/O here, so
//! each is tested by a table.

use serenity::all::Permissions;

use crate::command::{Id, Invocation};
use crate::metrics::Outcome;

/// Discord's longest message content, in characters (Unicode code points).
pub const MAX_CONTENT: usize = 2000;

/// The most messages one reply becomes (the response and its follow-ups); what does not fit is
/// cut, and the cut said.
pub const MAX_PIECES: usize = 5;

/// A fenced code block's fence.
const FENCE: &str = "```";

/// How Vigie writes a moment in its replies (`2026-12-01 17:00 UTC`): its length and the format.
const MOMENT_LEN: usize = "2026-12-01 17:00 UTC".len();
const MOMENT: &str = "%Y-%m-%d %H:%M UTC";

/// `markdown` with every moment written as Vigie writes them (`2026-12-01 17:00 UTC`) turned
/// into a Discord timestamp (`<t:1796144400:f>`), which each reader sees in their own time zone
/// and language; except in code, where Discord shows the markup as it is. Days without a time
/// (an election on 2027-03-15) are not moments, and stay as they are.
pub fn timestamps(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    // Text between backticks is code: the pieces at odd places once split at each backtick
    // (a fence's three backticks open and close a block the same way).
    for (n, part) in markdown.split('`').enumerate() {
        if n > 0 {
            out.push('`');
        }
        if n % 2 == 1 {
            out.push_str(part);
        } else {
            push_with_timestamps(&mut out, part);
        }
    }
    out
}

fn push_with_timestamps(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(at) = rest.find(" UTC") {
        let end = at + " UTC".len();
        let start = end.saturating_sub(MOMENT_LEN);
        let moment = rest
            .get(start..end)
            .filter(|_| !rest[..start].ends_with(|c: char| c.is_ascii_alphanumeric()))
            .filter(|_| !rest[end..].starts_with(|c: char| c.is_ascii_alphanumeric()))
            .and_then(|text| chrono::NaiveDateTime::parse_from_str(text, MOMENT).ok());
        match moment {
            Some(moment) => {
                out.push_str(&rest[..start]);
                out.push_str(&format!("<t:{}:f>", moment.and_utc().timestamp()));
            }
            None => out.push_str(&rest[..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
}

/// A reply's Markdown as Discord messages of at most [`MAX_CONTENT`] characters: cut between
/// lines (a line longer than a message is cut inside), a code block cut in two closed at the end
/// of one piece and opened again at the start of the next, at most [`MAX_PIECES`] pieces, the
/// last ending with `…` when text was left out. Never empty: Discord refuses an empty message.
pub fn pieces(markdown: &str) -> Vec<String> {
    let markdown = timestamps(markdown);
    let markdown = markdown.trim_end();
    if markdown.trim().is_empty() {
        return vec!["…".to_owned()];
    }
    if markdown.chars().count() <= MAX_CONTENT {
        return vec![markdown.to_owned()];
    }
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut current_len = 0;
    // The fence line that opened the code block we are in, if any.
    let mut open_fence: Option<String> = None;
    // Room kept at the end of a piece to close a code block: "\n```".
    let reserve = FENCE.len() + 1;
    let mut cut = false;
    'lines: for line in markdown.split('\n') {
        let mut rest: &str = line;
        loop {
            let separator = usize::from(!current.is_empty());
            let budget = MAX_CONTENT.saturating_sub(current_len + separator + reserve);
            let rest_len = rest.chars().count();
            if rest_len <= budget {
                if separator == 1 {
                    current.push('\n');
                }
                current.push_str(rest);
                current_len += separator + rest_len;
                break;
            }
            // The line does not fit: a long line fills the piece; a short one starts the next.
            let reopened = open_fence.as_ref().map_or(0, |f| f.chars().count() + 1);
            let fits_alone = rest_len <= MAX_CONTENT.saturating_sub(reserve + reopened);
            if !fits_alone && budget > 0 {
                let at = rest.char_indices().nth(budget).map_or(rest.len(), |(i, _)| i);
                if separator == 1 {
                    current.push('\n');
                }
                current.push_str(&rest[..at]);
                rest = &rest[at..];
            }
            if open_fence.is_some() {
                current.push('\n');
                current.push_str(FENCE);
            }
            out.push(std::mem::take(&mut current));
            if out.len() == MAX_PIECES {
                cut = true;
                break 'lines;
            }
            current_len = 0;
            if let Some(fence) = &open_fence {
                current.push_str(fence);
                current_len = fence.chars().count();
            }
        }
        if line.trim_start().starts_with(FENCE) {
            open_fence = match open_fence {
                Some(_) => None,
                // A fence with a language (```text) is opened again as it was; a long one as a
                // bare fence, so that reopening it always leaves room for text.
                None if line.trim().chars().count() <= 16 => Some(line.trim().to_owned()),
                None => Some(FENCE.to_owned()),
            };
        }
    }
    if !cut && !current.is_empty() {
        out.push(current);
    }
    if cut && let Some(last) = out.last_mut() {
        // Room for the mark: drop characters from the end until it fits.
        while last.chars().count() + 2 > MAX_CONTENT {
            last.pop();
        }
        last.push_str("\n…");
    }
    out
}

/// Whether a reply is for the caller's eyes only (Discord's ephemeral flag): every refusal,
/// mistake or failure, and what is personal (a ballot, one's own language).
pub fn is_private(outcome: Outcome, invocation: Option<&Invocation>) -> bool {
    if outcome != Outcome::Ok {
        return true;
    }
    invocation.is_some_and(|inv| match inv.spec.id {
        Id::Vote => true,
        Id::Language => !inv.switch("room"),
        _ => false,
    })
}

/// Whether a member's permissions in the channel make them an admin of that room, as a Matrix
/// power level at or above the admin level does: Administrator or Manage Server.
pub fn is_room_admin(permissions: Option<Permissions>) -> bool {
    permissions.is_some_and(|p| p.intersects(Permissions::ADMINISTRATOR | Permissions::MANAGE_GUILD))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_become_discord_timestamps_outside_code_and_days_stay() {
        let cases = [
            (
                "Snoozed until 2026-12-01 17:00 UTC by @a.",
                "Snoozed until <t:1796144400:f> by @a.",
            ),
            (
                "2026-12-01 17:00 UTC and 1970-01-01 00:00 UTC",
                "<t:1796144400:f> and <t:0:f>",
            ),
            // In code, as written.
            ("`2026-12-01 17:00 UTC`", "`2026-12-01 17:00 UTC`"),
            (
                "```\n2026-12-01 17:00 UTC\n``` then 2026-12-01 17:00 UTC",
                "```\n2026-12-01 17:00 UTC\n``` then <t:1796144400:f>",
            ),
            // Not moments: a day, a time that is not one, glued to other text, too short.
            ("Election on 2027-03-15.", "Election on 2027-03-15."),
            ("2026-13-01 17:00 UTC", "2026-13-01 17:00 UTC"),
            ("x2026-12-01 17:00 UTC", "x2026-12-01 17:00 UTC"),
            ("2026-12-01 17:00 UTCs", "2026-12-01 17:00 UTCs"),
            (" UTC", " UTC"),
            ("é UTC", "é UTC"),
            ("", ""),
        ];
        for (text, expected) in cases {
            assert_eq!(timestamps(text), expected, "{text:?}");
        }
    }
    use crate::command::parse;

    fn assert_fits(pieces: &[String]) {
        assert!(!pieces.is_empty());
        assert!(pieces.len() <= MAX_PIECES, "{} pieces", pieces.len());
        for p in pieces {
            assert!(
                p.chars().count() <= MAX_CONTENT,
                "{} characters",
                p.chars().count()
            );
            assert!(!p.is_empty());
        }
    }

    #[test]
    fn a_short_reply_is_one_message_as_it_is() {
        assert_eq!(pieces("**3 windows**\n- KE"), ["**3 windows**\n- KE"]);
        assert_eq!(pieces("  \n"), ["…"]);
    }

    #[test]
    fn a_long_reply_is_cut_between_lines_and_keeps_every_line() {
        let lines: Vec<String> = (0..300).map(|i| format!("- line {i:03} of the list")).collect();
        let text = lines.join("\n");
        let out = pieces(&text);
        assert_fits(&out);
        assert!(out.len() > 1);
        let rejoined = out.join("\n");
        assert_eq!(rejoined, text);
    }

    #[test]
    fn a_code_block_cut_in_two_is_closed_and_reopened() {
        let body: Vec<String> = (0..200).map(|i| format!("row {i:03} | value")).collect();
        let text = format!("Results:\n```text\n{}\n```\nDone.", body.join("\n"));
        let out = pieces(&text);
        assert_fits(&out);
        assert!(out.len() > 1);
        for p in &out {
            assert_eq!(p.matches(FENCE).count() % 2, 0, "unbalanced fences in {p}");
        }
        assert!(out[1].starts_with("```text\n"), "{}", out[1]);
    }

    #[test]
    fn a_line_longer_than_a_message_is_cut_inside() {
        let text = "é".repeat(MAX_CONTENT * 2 + 10);
        let out = pieces(&text);
        assert_fits(&out);
        assert_eq!(out.concat(), text);
    }

    #[test]
    fn a_reply_longer_than_every_piece_together_is_cut_and_says_so() {
        let text = "word ".repeat(MAX_CONTENT * MAX_PIECES);
        let out = pieces(&text);
        assert_fits(&out);
        assert_eq!(out.len(), MAX_PIECES);
        assert!(out.last().unwrap().ends_with('…'));
    }

    #[test]
    fn refusals_mistakes_failures_and_personal_replies_are_private() {
        let windows = parse("windows").unwrap();
        let vote = parse("vote 1 #1").unwrap();
        let language = parse("language fr").unwrap();
        let room_language = parse("language fr --room").unwrap();
        let cases = [
            (Outcome::Ok, Some(&windows), false),
            (Outcome::Ok, Some(&room_language), false),
            (Outcome::Ok, Some(&vote), true),
            (Outcome::Ok, Some(&language), true),
            (Outcome::UserError, Some(&windows), true),
            (Outcome::Refused, Some(&windows), true),
            (Outcome::Failed, Some(&windows), true),
            (Outcome::UserError, None, true),
        ];
        for (outcome, invocation, private) in cases {
            assert_eq!(
                is_private(outcome, invocation),
                private,
                "{outcome:?} {:?}",
                invocation.map(|i| i.spec.id)
            );
        }
    }

    #[test]
    fn administrator_or_manage_server_makes_a_room_admin() {
        let cases = [
            (None, false),
            (Some(Permissions::empty()), false),
            (
                Some(Permissions::SEND_MESSAGES | Permissions::MANAGE_MESSAGES),
                false,
            ),
            (Some(Permissions::MANAGE_GUILD), true),
            (Some(Permissions::ADMINISTRATOR), true),
        ];
        for (permissions, admin) in cases {
            assert_eq!(is_room_admin(permissions), admin, "{permissions:?}");
        }
    }
}
