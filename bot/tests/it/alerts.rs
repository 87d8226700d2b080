//! Alerts end to end in process: real SQLite and PostgreSQL stores (a fresh database per test),
//! windows put on the board by hand, and a fake clock (`Alerts::step_at(now)`). Every test runs
//! on both backends (`alerts::sqlite::…`, `alerts::postgres::…`); the PostgreSQL ones need the
//! server of `VIGIE_TEST_POSTGRES_URL` (default postgres://postgres@127.0.0.1:5432/postgres) and
//! the `psql` client, and fail rather than skip without them.

mod support;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use tokio_util::sync::CancellationToken;
use vigie::alert::StepReport;
use vigie::alert::lead::Lead;
use vigie::config::{ConfigSource, load};
use vigie_rules::window::{Window, WindowId, WindowState};
use vigie_rules::{JurisdictionCode, Region};
use vigie_storage::{LanguageScope, NewOutbox, NewSilence, OutboxRow};

use support::{
    ALL, CONFIG, EU, Kind, World, at, config, db, deliver_all, deliver_all_as, wait_until, window,
};

/// Instantiates each test (an `async fn(Kind)`) for SQLite and PostgreSQL.
macro_rules! on_every_backend {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $test() {
                    super::$test(super::Kind::Sqlite).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $test() {
                    super::$test(super::Kind::Postgres).await;
                }
            )*
        }
    };
}

mod delivery;

on_every_backend! {
    a_new_window_queues_one_message_for_its_room_in_its_language_saying_why,
    a_silence_mutes_the_windows_it_matches_until_it_ends,
    a_resolved_window_is_announced_once_as_resolved,
    a_restart_over_the_same_store_sends_nothing_new_and_the_sender_delivers_once,
    a_digest_missed_during_downtime_runs_once_even_with_two_claimers,
    two_senders_deliver_each_of_200_messages_exactly_once,
    an_unclaimed_window_is_brought_to_its_regions_chair_once,
    quiet_hours_hold_a_message_until_they_end,
    a_message_given_up_is_reported_once_to_the_admin_receivers,
    one_instance_leads_and_another_takes_over_when_it_stops,
}

// ---------------------------------------------------------------------------------------------
// Tests

async fn a_new_window_queues_one_message_for_its_room_in_its_language_saying_why(kind: Kind) {
    let db = db(kind).await;
    db.store
        .set_language(LanguageScope::Room, EU, Some("fr"), at("2026-03-01T00:00:00Z"))
        .await
        .unwrap();
    let nl = window("NL", Region::Europe, WindowState::Open);
    let w = World::new(&db.store, CONFIG, vec![nl.clone()]);

    // The group waits a minute for more alerts before its first message.
    let first = w.step("2026-03-02T10:00:00Z").await;
    assert_eq!(first.changes, 1);
    assert!(first.queued.is_empty(), "{first:?}");
    assert_eq!(first.next, Some(at("2026-03-02T10:01:00Z")));

    let due = w.step("2026-03-02T10:01:00Z").await;
    let messages = w.messages(&due).await;
    assert_eq!(messages.len(), 1, "{messages:?}");
    let m = &messages[0];
    assert_eq!(
        (m.receiver.as_str(), m.platform.as_str(), m.reason.as_str()),
        (EU, "matrix", "new")
    );
    for expected in [
        "Nouvelle alerte",
        "NL parliamentary election",
        nl.id.as_str(),
        "Pourquoi",
        "route 0.0",
        "region=\"europe\"",
        "window claim",
    ] {
        assert!(
            m.body_markdown.contains(expected),
            "{expected} missing from:\n{}",
            m.body_markdown
        );
    }

    // The same instant again, and later within the group's interval: nothing.
    assert!(w.step("2026-03-02T10:01:00Z").await.queued.is_empty());
    assert!(w.step("2026-03-02T10:30:00Z").await.queued.is_empty());
}

async fn a_silence_mutes_the_windows_it_matches_until_it_ends(kind: Kind) {
    let db = db(kind).await;
    let silence = db
        .store
        .create_silence(
            &NewSilence {
                matchers: vec!["country=\"NL\"".into()],
                starts_at: at("2026-03-01T00:00:00Z"),
                ends_at: at("2026-03-10T00:00:00Z"),
                author: "matrix:@amina:example.org".into(),
                comment: "handled by the secretariat".into(),
            },
            at("2026-03-01T00:00:00Z"),
        )
        .await
        .unwrap();
    let nl = window("NL", Region::Europe, WindowState::Open);
    let w = World::new(&db.store, CONFIG, vec![nl.clone()]);
    w.step("2026-03-02T10:00:00Z").await;
    assert!(w.step("2026-03-02T10:05:00Z").await.queued.is_empty());
    let why = w
        .alerts
        .explain(nl.id.as_str(), EU, at("2026-03-02T10:05:00Z"))
        .await
        .unwrap();
    assert_eq!(why.verdict, vigie_rules::alert::Verdict::Muted);

    // Ended by hand: the window is told as new.
    db.store
        .expire_silence(
            silence.id,
            "matrix:@amina:example.org",
            at("2026-03-03T00:00:00Z"),
        )
        .await
        .unwrap();
    let after = w.step("2026-03-03T00:00:00Z").await;
    let messages = w.messages(&after).await;
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert_eq!(messages[0].reason, "new");
    assert!(messages[0].body_markdown.contains(nl.id.as_str()));
}

async fn a_resolved_window_is_announced_once_as_resolved(kind: Kind) {
    let db = db(kind).await;
    let open = window("NL", Region::Europe, WindowState::Open);
    let w = World::new(&db.store, CONFIG, vec![open.clone()]);
    w.step("2026-03-02T10:00:00Z").await;
    assert_eq!(w.step("2026-03-02T10:01:00Z").await.queued.len(), 1);

    let closed = Window {
        state: WindowState::Closed,
        ..open.clone()
    };
    w.show(vec![closed]);
    let resolved = w.step("2026-03-02T12:00:00Z").await;
    assert_eq!(resolved.changes, 1);
    // Told after the group's wait.
    let told = if resolved.queued.is_empty() {
        w.step("2026-03-02T12:01:00Z").await
    } else {
        resolved
    };
    let messages = w.messages(&told).await;
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert_eq!(
        (messages[0].receiver.as_str(), messages[0].reason.as_str()),
        (EU, "resolved")
    );
    assert!(
        messages[0].body_markdown.contains("Resolved"),
        "{}",
        messages[0].body_markdown
    );
    for later in [
        "2026-03-02T12:01:00Z",
        "2026-03-03T12:00:00Z",
        "2026-03-20T12:00:00Z",
    ] {
        assert!(w.step(later).await.queued.is_empty(), "at {later}");
    }
}

async fn a_restart_over_the_same_store_sends_nothing_new_and_the_sender_delivers_once(kind: Kind) {
    let db = db(kind).await;
    let w = World::new(
        &db.store,
        CONFIG,
        vec![
            window("NL", Region::Europe, WindowState::Open),
            window("KE", Region::AfricaMiddleEast, WindowState::Open),
        ],
    );
    w.step("2026-03-02T10:00:00Z").await;
    let queued = w.step("2026-03-02T10:01:00Z").await.queued;
    // Europe to its room; Kenya to the root's room.
    let receivers: Vec<String> = w
        .messages(&StepReport {
            queued: queued.clone(),
            ..StepReport::default()
        })
        .await
        .into_iter()
        .map(|m| m.receiver)
        .collect();
    assert_eq!(receivers.len(), 2, "{receivers:?}");
    assert!(receivers.contains(&EU.to_owned()) && receivers.contains(&ALL.to_owned()));

    // The process dies before sending; a new one starts over the same store.
    let restarted = w.again();
    for now in [
        "2026-03-02T10:01:00Z",
        "2026-03-02T10:02:00Z",
        "2026-03-02T11:30:00Z",
    ] {
        let report = restarted.step_at(at(now)).await.unwrap();
        assert!(
            report.queued.is_empty() && report.changes == 0,
            "at {now}: {report:?}"
        );
    }
    // A reload that moves the Europe route (0.0 becomes 0.1) tells nobody again.
    let reloaded = w.again_with(
        "[alerts.route]\nreceivers = [\"matrix:!all:example.org\"]\n\
         [[alerts.route.routes]]\nmatchers = ['region=\"americas\"']\nreceivers = [\"matrix:!americas:example.org\"]\n\
         [[alerts.route.routes]]\nmatchers = ['region=\"europe\"']\nreceivers = [\"matrix:!eu:example.org\"]\n",
    );
    for now in ["2026-03-02T11:31:00Z", "2026-03-02T12:40:00Z"] {
        let report = reloaded.step_at(at(now)).await.unwrap();
        assert!(report.queued.is_empty(), "at {now}: {report:?}");
    }
    // Its sender delivers each queued message once.
    let calls = deliver_all(&db.store, &["restarted"]).await;
    assert_eq!(calls.len(), 2);
    assert!(calls.values().all(|n| *n == 1), "{calls:?}");
    assert!(
        restarted
            .step_at(at("2026-03-02T12:00:00Z"))
            .await
            .unwrap()
            .queued
            .is_empty()
    );
}

async fn a_digest_missed_during_downtime_runs_once_even_with_two_claimers(kind: Kind) {
    let db = db(kind).await;
    let text = format!(
        "{CONFIG}\n[[alerts.digests]]\nname = \"daily-europe\"\ncron = \"0 9 * * *\"\ntz = \"Europe/Paris\"\nreceivers = [\"{EU}\"]\ncatch_up = \"run-once\"\n"
    );
    let nl = window("NL", Region::Europe, WindowState::Open);
    let w = World::new(&db.store, &text, vec![nl.clone()]);
    // Monday 07:00 in Paris: the schedule is stored, due at 09:00.
    assert!(
        w.alerts
            .digests_at(at("2026-03-02T06:00:00Z"))
            .await
            .unwrap()
            .is_empty()
    );
    let schedule = db.store.schedule("daily-europe").await.unwrap().unwrap();
    assert_eq!(schedule.next_run, at("2026-03-02T08:00:00Z"));

    // Down until Thursday noon: three runs were missed; two instances wake up at once.
    let other = w.again();
    let now = at("2026-03-05T11:00:00Z");
    let (a, b) = tokio::join!(w.alerts.digests_at(now), other.digests_at(now));
    let mut ids = a.unwrap();
    ids.extend(b.unwrap());
    assert_eq!(ids.len(), 1, "run-once sends one digest: {ids:?}");
    let m = db.store.outbox_message(ids[0]).await.unwrap().unwrap();
    assert_eq!((m.receiver.as_str(), m.reason.as_str()), (EU, "digest"));
    assert!(
        m.body_markdown.contains("Digest daily-europe"),
        "{}",
        m.body_markdown
    );
    assert!(m.body_markdown.contains(nl.id.as_str()));
    assert!(
        m.body_markdown.contains("2026-03-05 08:00 UTC"),
        "the latest run: {}",
        m.body_markdown
    );
    let schedule = db.store.schedule("daily-europe").await.unwrap().unwrap();
    assert_eq!(schedule.next_run, at("2026-03-06T08:00:00Z"));
    assert!(w.alerts.digests_at(now).await.unwrap().is_empty());
    assert!(
        other
            .digests_at(at("2026-03-05T12:00:00Z"))
            .await
            .unwrap()
            .is_empty()
    );
}

async fn two_senders_deliver_each_of_200_messages_exactly_once(kind: Kind) {
    let db = db(kind).await;
    let outbox: Vec<NewOutbox> = (0..200)
        .map(|i| NewOutbox {
            receiver: format!("matrix:!room{}:example.org", i % 20),
            platform: "matrix".into(),
            body_markdown: format!("message {i}"),
            reason: "new".into(),
            group_key: format!("0|room{}|", i % 20),
            image: None,
        })
        .collect();
    let ids = db
        .store
        .commit_notifications(&[], &[], &outbox, Utc::now())
        .await
        .unwrap();
    let calls = deliver_all(&db.store, &["sender-a", "sender-b"]).await;
    assert_eq!(calls.len(), 200);
    for id in ids {
        assert_eq!(calls.get(&id), Some(&1), "message {id}");
    }
}

async fn an_unclaimed_window_is_brought_to_its_regions_chair_once(kind: Kind) {
    let db = db(kind).await;
    let text = format!(
        "{CONFIG}\n[alerts.escalation]\nafter = \"7d\"\nchairs = {{ europe = \"@chair:example.org\" }}\n"
    );
    let nl = window("NL", Region::Europe, WindowState::Open);
    let be = Window {
        id: WindowId::new("pre-election", "BE"),
        jurisdiction: JurisdictionCode::parse("BE").unwrap(),
        title: "BE parliamentary election".into(),
        ..nl.clone()
    };
    let w = World::new(&db.store, &text, vec![nl.clone(), be.clone()]);
    w.step("2026-03-02T10:00:00Z").await;
    assert_eq!(w.step("2026-03-02T10:01:00Z").await.queued.len(), 1);
    db.store
        .claim_window(
            be.id.as_str(),
            "matrix:@bob:example.org",
            at("2026-03-03T00:00:00Z"),
        )
        .await
        .unwrap();

    let week = w.step("2026-03-09T10:00:00Z").await;
    let messages = w.messages(&week).await;
    let escalations: Vec<&OutboxRow> = messages.iter().filter(|m| m.reason == "escalation").collect();
    assert_eq!(escalations.len(), 1, "only the unclaimed window: {messages:?}");
    let e = escalations[0];
    assert_eq!(e.receiver, EU);
    assert!(
        e.body_markdown.contains("@chair:example.org"),
        "{}",
        e.body_markdown
    );
    assert!(e.body_markdown.contains(nl.id.as_str()));
    assert!(!e.body_markdown.contains(be.id.as_str()));
    let later = w.step("2026-03-09T11:00:00Z").await;
    assert!(w.messages(&later).await.iter().all(|m| m.reason != "escalation"));
}

async fn quiet_hours_hold_a_message_until_they_end(kind: Kind) {
    let db = db(kind).await;
    let text = format!(
        "{CONFIG}\n[alerts.quiet_hours]\n\"{EU}\" = {{ tz = \"UTC\", start = \"22:00\", end = \"07:00\" }}\n"
    );
    let w = World::new(
        &db.store,
        &text,
        vec![window("NL", Region::Europe, WindowState::Open)],
    );
    w.step("2026-03-02T23:00:00Z").await;
    let night = w.step("2026-03-02T23:30:00Z").await;
    assert!(night.queued.is_empty());
    assert_eq!(night.next, Some(at("2026-03-03T07:00:00Z")));
    assert_eq!(w.step("2026-03-03T07:00:00Z").await.queued.len(), 1);
}

async fn a_message_given_up_is_reported_once_to_the_admin_receivers(kind: Kind) {
    let db = db(kind).await;
    let text = CONFIG.replace("[alerts]\n", "[alerts]\nadmin_receivers = [\"console\"]\n");
    let w = World::new(
        &db.store,
        &text,
        vec![window("NL", Region::Europe, WindowState::Open)],
    );
    w.step("2026-03-02T10:00:00Z").await;
    assert_eq!(w.step("2026-03-02T10:01:00Z").await.queued.len(), 1);
    let refused = vigie::alert::sender::Delivery::Failed("M_FORBIDDEN: Vigie is not in the room".into());
    let calls = deliver_all_as(&db.store, &["sender"], Some(refused)).await;
    assert_eq!(calls.len(), 1);

    // Failures are looked for by the time they happened: real time, as the sender records it.
    let report = w.alerts.step_at(Utc::now()).await.unwrap();
    let messages: Vec<OutboxRow> = w
        .messages(&report)
        .await
        .into_iter()
        .filter(|m| m.reason == "failure")
        .collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    let m = &messages[0];
    assert_eq!(
        (m.receiver.as_str(), m.platform.as_str(), m.reason.as_str()),
        ("console", "console", "failure")
    );
    assert!(
        m.body_markdown.contains("M_FORBIDDEN") && m.body_markdown.contains("!eu:example.org"),
        "{}",
        m.body_markdown
    );
    let again = w.alerts.step_at(Utc::now()).await.unwrap();
    assert!(
        w.messages(&again).await.iter().all(|m| m.reason != "failure"),
        "reported once"
    );
}

async fn one_instance_leads_and_another_takes_over_when_it_stops(kind: Kind) {
    let db = db(kind).await;
    let leading = Arc::new(Mutex::new(Vec::<&'static str>::new()));
    let most = Arc::new(AtomicU32::new(0));
    let run = |who: &'static str, cancel: CancellationToken| {
        let store = db.store.clone();
        let leading = leading.clone();
        let most = most.clone();
        tokio::spawn(async move {
            Lead::new(store, "test-lead")
                .while_leading(&cancel, |stop| {
                    let leading = leading.clone();
                    let most = most.clone();
                    async move {
                        let n = {
                            let mut l = leading.lock().unwrap();
                            l.push(who);
                            l.len()
                        };
                        most.fetch_max(u32::try_from(n).unwrap(), Ordering::SeqCst);
                        stop.cancelled().await;
                        leading.lock().unwrap().retain(|w| *w != who);
                    }
                })
                .await;
        })
    };
    let first = CancellationToken::new();
    let second = CancellationToken::new();
    let a = run("first", first.clone());
    wait_until(|| leading.lock().unwrap().as_slice() == ["first"]).await;
    let b = run("second", second.clone());
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        leading.lock().unwrap().as_slice(),
        ["first"],
        "the second stands by"
    );
    first.cancel();
    a.await.unwrap();
    wait_until(|| leading.lock().unwrap().as_slice() == ["second"]).await;
    second.cancel();
    b.await.unwrap();
    assert_eq!(most.load(Ordering::SeqCst), 1, "never two leaders at once");
}

#[test]
fn the_documented_alerts_example_loads() {
    let doc = vigie::config::DEFAULT_TOML;
    let start = doc.find("# [alerts]").expect("config.toml documents [alerts]");
    let end = doc[start..].find("# Feeds:").map_or(doc.len(), |e| start + e);
    let mut text = String::new();
    for line in doc[start..end].lines() {
        let Some(content) = line.strip_prefix("# ") else {
            continue;
        };
        let key = content.split_once(" = ").map(|(k, _)| k);
        if content.starts_with('[') || key.is_some_and(|k| !k.contains(' ')) {
            text.push_str(content);
            text.push('\n');
        }
    }
    let config = config(&text);
    assert_eq!(config.alerts.route.routes.len(), 2);
    assert_eq!(config.alerts.digests.len(), 1);
    assert_eq!(config.alerts.quiet_hours.len(), 1);
    assert_eq!(
        config
            .alerts
            .escalation_policy()
            .chairs
            .get("europe")
            .map(String::as_str),
        Some("matrix:@chair:example.org")
    );
}

#[test]
fn mistakes_in_the_alerts_section_are_located_at_their_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let text = "[alerts]\n[alerts.route]\nreceivers = [\"!room:example.org\"]\n\n[[alerts.digests]]\nname = \"weekly\"\ncron = \"0 25 * * *\"\nreceivers = [\"console\"]\n";
    std::fs::write(&path, text).unwrap();
    let errors = load(ConfigSource::File(&path), Vec::new())
        .unwrap_err()
        .to_string();
    assert!(
        errors.contains(":3:")
            && errors.contains("alerts.route.receivers: \"!room:example.org\" is not a receiver"),
        "{errors}"
    );
    assert!(
        errors.contains("alerts.digests[0].cron") && errors.contains("hour"),
        "{errors}"
    );
}

#[test]
fn vigie_run_prints_alerts_routed_to_the_console_and_a_second_instance_refuses_the_database() {
    let sandbox = crate::Sandbox::new(
        "[[feeds]]\nname = \"e\"\nkind = \"events-csv\"\nsource = \"e.csv\"\n\n\
         [alerts.route]\nreceivers = [\"console\"]\ngroup_wait = \"0s\"\n",
    );
    let election = (Utc::now() + chrono::TimeDelta::days(60)).date_naive();
    sandbox.write(
        "e.csv",
        &format!(
            "id,jurisdiction,kind,title,date,date_end,precision,status,caretaker,source,notes\n\
             fr-test,FR,legislative,French legislative election,{election},,,scheduled,,,\n"
        ),
    );
    let mut console = crate::console::Console::start(&sandbox, &[]);
    let end = std::time::Instant::now() + Duration::from_secs(120);
    let alert = loop {
        let left = end.saturating_duration_since(std::time::Instant::now());
        let text = console.reply(left);
        if text.contains("New alert") {
            break text;
        }
    };
    assert!(alert.contains("French legislative election"), "{alert}");
    assert!(alert.contains("route 0, which takes every alert"), "{alert}");

    // The same SQLite database: a second Vigie refuses to start, saying why.
    let mut second = std::process::Command::new(env!("CARGO_BIN_EXE_vigie"))
        .current_dir(sandbox.dir.path())
        .arg("run")
        .env("VIGIE_SERVER__ENABLED", "false")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let end = std::time::Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = second.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > end {
            let _ = second.kill();
            panic!("a second vigie run on the same database did not refuse to start");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut second.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(!status.success());
    assert!(stderr.contains("another Vigie is already running"), "{stderr}");
    console.stop();
}
