//! An award campaign run from the terminal console, typed line by line into the real
//! `vigie run`: opened, nominated, voted (a ballot changed), closed, counted (the chart saved as
//! a file) and exported, with bad input refused in one sentence and nothing changed; and one
//! closed on its schedule, its results and their chart delivered to the console by the outbox.

use std::path::Path;
use std::time::Duration;

use crate::Sandbox;
use crate::console::Console;

#[test]
fn the_console_runs_an_award_campaign_from_nominations_to_results() {
    let sandbox = Sandbox::new("");
    std::fs::remove_file(sandbox.path("config.toml")).expect("config.toml is removed");
    let mut console = Console::start(&sandbox, &[]);

    let opened =
        console.ask(r#"award open --seconds 0 --categories "champion=Open Gov Champion" Console Awards"#);
    assert!(opened.contains("Nominations are open"), "{opened}");
    assert!(
        opened.contains("`nominate 1 CATEGORY"),
        "no prefix on the console: {opened}"
    );
    let first = console.ask(r#"nominate 1 champion KE "Jane Doe" Led the open contracting reform."#);
    assert!(first.contains("1#1"), "{first}");
    let second = console.ask(r#"nominate 1 champion NG "Musa Bello" Opened the budget."#);
    assert!(second.contains("1#2"), "{second}");
    let duplicate = console.ask(r#"nominate 1 champion KE "DOE, Jane" Again."#);
    assert!(duplicate.contains("already nominated"), "{duplicate}");
    let listed = console.ask("nominations 1");
    assert!(
        listed.contains("(2)"),
        "two nominations, the duplicate refused: {listed}"
    );

    let voting = console.ask("award close 1");
    assert!(voting.contains("Voting is open"), "{voting}");
    let cast = console.ask("vote 1 #1 > #2");
    assert!(cast.contains("is recorded."), "{cast}");
    let changed = console.ask("vote 1 #2 > #1");
    assert!(changed.contains("replacing your earlier one"), "{changed}");
    let bad = console.ask("vote 1 #2 > #3");
    assert!(bad.contains("#3 is not on the ballot"), "{bad}");
    let turnout = console.ask("turnout 1");
    assert!(turnout.contains("one person has voted"), "{turnout}");
    assert!(!turnout.contains("operator"), "no names: {turnout}");

    let closed = console.ask("award close 1");
    assert!(
        closed.contains("Elected: Musa Bello (#2)"),
        "the last ballot counts: {closed}"
    );
    let results = console.ask("award results 1");
    assert!(results.contains("Elected: Musa Bello (#2)"), "{results}");
    // The chart follows the text: saved as a file whose path is printed.
    let saved = console.reply(Duration::from_secs(30));
    assert!(saved.starts_with("Image (Results of"), "{saved}");
    assert!(saved.contains("Musa Bello (#2) one win, elected"), "{saved}");
    let path = Path::new(saved.rsplit(": ").next().unwrap_or_default().trim());
    assert!(
        path.starts_with(sandbox.dir.path()) && path.extension().is_some_and(|e| e == "png"),
        "{saved}"
    );
    let png = std::fs::read(path).expect("the chart is saved");
    let (width, _) = vigie::chart::png_size(&png).expect("the saved file is a PNG");
    assert_eq!(width, vigie::chart::WIDTH);
    crate::chart::Picture::decode(&png);
    let export = console.ask("award export 1");
    assert!(export.contains("champion.blt"), "{export}");
    assert!(export.contains("\"Musa Bello\""), "{export}");
    let late = console.ask("vote 1 #1");
    assert!(late.contains("closed for voting"), "{late}");
    console.stop();
}

#[test]
fn a_campaign_closed_on_its_schedule_prints_its_results_and_saves_their_chart() {
    let sandbox = Sandbox::new("");
    std::fs::remove_file(sandbox.path("config.toml")).expect("config.toml is removed");
    let mut console = Console::start(&sandbox, &[]);

    let opened = console.ask(
        r#"award open --seconds 0 --voting-close 60s --categories "champion=Open Gov Champion" Scheduled Awards"#,
    );
    assert!(opened.contains("Nominations are open"), "{opened}");
    let first = console.ask(r#"nominate 1 champion KE "Jane Doe" Led the reform."#);
    assert!(first.contains("1#1"), "{first}");
    let voting = console.ask("award close 1");
    assert!(voting.contains("Voting is open"), "{voting}");
    let cast = console.ask("vote 1 #1");
    assert!(cast.contains("is recorded."), "{cast}");

    // Voting closes on its schedule: the results come from the outbox, then the line saying
    // where their chart was saved, as for `award results`.
    let results = console.reply(Duration::from_secs(120));
    assert!(results.contains("Elected: Jane Doe (#1)"), "{results}");
    let saved = console.reply(Duration::from_secs(30));
    assert!(saved.starts_with("Image (Results of"), "{saved}");
    assert!(saved.contains("Jane Doe (#1)"), "{saved}");
    let path = Path::new(saved.rsplit(": ").next().unwrap_or_default().trim());
    assert!(
        path.starts_with(sandbox.dir.path()) && path.extension().is_some_and(|e| e == "png"),
        "{saved}"
    );
    let png = std::fs::read(path).expect("the chart is saved");
    let (width, _) = vigie::chart::png_size(&png).expect("the saved file is a PNG");
    assert_eq!(width, vigie::chart::WIDTH);
    console.stop();
}
