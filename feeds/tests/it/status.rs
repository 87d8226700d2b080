//! Atom and RSS status feeds.

use vigie_feeds::status::{StatusPattern, parse};
use vigie_rules::{JurisdictionCode, MemberStatus};

const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>OGP news</title><id>urn:ogp:news</id><updated>2026-10-01T00:00:00Z</updated>
  <entry>
    <id>urn:ogp:news:1</id><title>Ruritania placed under procedural review</title>
    <updated>2026-09-30T10:00:00Z</updated><link href="https://example.org/1"/>
    <summary>The Steering Committee decided…</summary>
  </entry>
  <entry>
    <id>urn:ogp:news:2</id><title>Kenya submits its new action plan</title>
    <updated>2026-09-29T10:00:00Z</updated>
  </entry>
  <entry>
    <id>urn:ogp:news:3</id><title>Hungary withdraws from OGP</title>
    <updated>2016-12-05T10:00:00Z</updated>
  </entry>
</feed>"#;

const RSS: &str = r#"<?xml version="1.0"?>
<rss version="2.0"><channel><title>News</title><link>https://example.org</link><description>d</description>
  <item><title>Kenya placed under procedural review</title><guid>news-7</guid><pubDate>Tue, 29 Sep 2026 10:00:00 GMT</pubDate></item>
</channel></rss>"#;

fn patterns() -> Vec<vigie_feeds::CompiledPattern> {
    [
        StatusPattern {
            pattern: r"(?P<member>[A-Z][\w ]+?) placed under procedural review".into(),
            status: MemberStatus::UnderReview,
            automatic: false,
        },
        StatusPattern {
            pattern: r"(?P<member>[A-Z]\w+) withdraws".into(),
            status: MemberStatus::Withdrawn,
            automatic: true,
        },
    ]
    .iter()
    .map(|p| p.compile().unwrap())
    .collect()
}

fn resolve(name: &str) -> Option<JurisdictionCode> {
    match name {
        "Kenya" => JurisdictionCode::parse("KE").ok(),
        "Hungary" => JurisdictionCode::parse("HU").ok(),
        _ => None,
    }
}

#[test]
fn atom_entries_become_candidates_and_patterns_recognise_members() {
    let candidates = parse(ATOM.as_bytes(), &patterns(), &resolve).unwrap();
    assert_eq!(candidates.len(), 3, "every entry is a candidate an admin can see");
    // "Ruritania" matches the pattern but is no member: nothing is proposed for it.
    assert_eq!(
        (candidates[0].member.as_ref(), candidates[0].status),
        (None, None)
    );
    assert_eq!(candidates[0].link.as_deref(), Some("https://example.org/1"));
    assert_eq!(
        (candidates[1].member.as_ref(), candidates[1].status),
        (None, None)
    );
    assert_eq!(
        candidates[2].member.as_ref().map(JurisdictionCode::as_str),
        Some("HU")
    );
    assert_eq!(candidates[2].status, Some(MemberStatus::Withdrawn));
    assert!(candidates[2].automatic);
    assert_eq!(candidates[2].entry_id, "urn:ogp:news:3");
}

#[test]
fn rss_items_are_read_too() {
    let candidates = parse(RSS.as_bytes(), &patterns(), &resolve).unwrap();
    assert_eq!(candidates.len(), 1);
    assert_eq!(candidates[0].status, Some(MemberStatus::UnderReview));
    assert!(
        !candidates[0].automatic,
        "under-review needs an admin's confirmation here"
    );
    assert!(candidates[0].published.is_some());
}

#[test]
fn garbage_and_bad_patterns_are_refused_clearly() {
    let err = parse(b"<html>not a feed</html>", &patterns(), &resolve)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("the document is not an Atom or RSS feed"),
        "{err}"
    );
    let bad = StatusPattern {
        pattern: "(unclosed".into(),
        status: MemberStatus::Inactive,
        automatic: false,
    };
    assert!(
        bad.compile()
            .unwrap_err()
            .starts_with("the pattern is not a valid regular expression")
    );
    let nameless = StatusPattern {
        pattern: "inactive".into(),
        status: MemberStatus::Inactive,
        automatic: false,
    };
    assert!(nameless.compile().unwrap_err().contains("(?P<member>…)"));
}
