//! A status feed proposes member-status changes; an admin confirms them, or a trusted pattern
//! applies them.

use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::{Sandbox, sync_line};

const MEMBERS: &str = "code,name,status\nKE,Kenya,active\nHU,Hungary,active\nFR,France,active\n";

const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>OGP news</title><id>urn:news</id><updated>2026-10-01T00:00:00Z</updated>
  <entry><id>urn:news:1</id><title>Kenya placed under procedural review</title>
    <updated>2026-09-30T10:00:00Z</updated><link href="https://example.org/1"/></entry>
  <entry><id>urn:news:2</id><title>Hungary withdraws from OGP</title>
    <updated>2016-12-05T10:00:00Z</updated></entry>
  <entry><id>urn:news:3</id><title>France hosts the Global Summit</title>
    <updated>2026-09-01T10:00:00Z</updated></entry>
</feed>"#;

#[tokio::test]
async fn status_entries_wait_for_an_admin_unless_a_pattern_is_trusted() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(ATOM))
        .mount(&server)
        .await;
    let sandbox = Sandbox::new(&format!(
        r#"
[[feeds]]
name = "members"
kind = "members-csv"
source = "members.csv"

[[feeds]]
name = "ogp-news"
kind = "status"
source = "{}/feed.atom"
patterns = [
  {{ pattern = "(?P<member>\\w+) placed under procedural review", status = "under-review" }},
  {{ pattern = "(?P<member>\\w+) withdraws", status = "withdrawn", automatic = true }},
]
"#,
        server.uri()
    ));
    sandbox.write("members.csv", MEMBERS);
    let out = sandbox.vigie(&["feeds", "sync"]).ok();
    assert!(sync_line(&out, "ogp-news").contains("3 items  3 added"), "{out}");

    // The trusted pattern applied Hungary's withdrawal; Kenya's review waits for an admin.
    let hungary = sandbox.vigie(&["member", "HU"]).ok();
    assert!(hungary.contains("Status: withdrawn"), "{hungary}");
    assert!(
        hungary.contains("active → withdrawn, effective 2016-12-05, by feed:ogp-news"),
        "{hungary}"
    );
    assert!(sandbox.vigie(&["member", "KE"]).ok().contains("Status: active"));

    let pending = sandbox.vigie(&["candidates"]).ok();
    assert!(
        pending.contains("KE → under-review") && pending.contains("Kenya placed under procedural review"),
        "{pending}"
    );
    assert!(
        pending.contains("(nothing recognised)") && pending.contains("France hosts the Global Summit"),
        "{pending}"
    );
    assert!(
        !pending.contains("Hungary"),
        "an applied proposal no longer waits: {pending}"
    );
    let id_of = |needle: &str| -> String {
        pending
            .lines()
            .find(|l| l.contains(needle))
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .to_owned()
    };
    let (kenya, france) = (id_of("Kenya"), id_of("France"));

    let confirmed = sandbox
        .vigie(&["candidates", "confirm", &kenya, "--by", "@ana:example.org"])
        .ok();
    assert!(confirmed.contains("KE is now under-review"), "{confirmed}");
    let kenya_now = sandbox.vigie(&["member", "KE"]).ok();
    assert!(kenya_now.contains("Status: under-review"), "{kenya_now}");
    assert!(
        kenya_now
            .contains("by @ana:example.org (Kenya placed under procedural review (https://example.org/1))"),
        "{kenya_now}"
    );

    let refused = sandbox.vigie(&["candidates", "confirm", &france]).fails();
    assert!(
        refused.contains("names no member and status to apply"),
        "{refused}"
    );
    sandbox.vigie(&["candidates", "dismiss", &france]).ok();
    let twice = sandbox.vigie(&["candidates", "confirm", &kenya]).fails();
    assert!(twice.contains("already"), "{twice}");
    assert!(
        sandbox
            .vigie(&["candidates"])
            .ok()
            .contains("No proposed status changes are waiting.")
    );

    // A re-sync does not bring decided entries back.
    let again = sandbox.vigie(&["feeds", "sync", "ogp-news"]).ok();
    assert!(sync_line(&again, "ogp-news").contains("(no change)"), "{again}");
    assert!(
        sandbox
            .vigie(&["candidates"])
            .ok()
            .contains("No proposed status changes are waiting.")
    );
}

#[test]
fn an_admin_corrects_a_status_by_hand_and_history_keeps_it() {
    let sandbox =
        Sandbox::new("[[feeds]]\nname = \"members\"\nkind = \"members-csv\"\nsource = \"members.csv\"\n");
    sandbox.write("members.csv", MEMBERS);
    sandbox.vigie(&["feeds", "sync"]).ok();
    let out = sandbox
        .vigie(&[
            "member",
            "FR",
            "--set-status",
            "inactive",
            "--since",
            "2026-10",
            "--note",
            "no action plan",
            "--by",
            "secretariat",
        ])
        .ok();
    assert!(out.contains("FR is now inactive."), "{out}");
    assert!(
        out.contains("active → inactive, effective 2026-10, by secretariat (no action plan)"),
        "{out}"
    );
    let bad = sandbox.vigie(&["member", "FR", "--set-status", "asleep"]).fails();
    assert!(bad.contains("\"asleep\" is not a member status"), "{bad}");
}
