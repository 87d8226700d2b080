//! The routing tree: Alertmanager's first-match, `continue`, inheritance and anchored regexes,
//! with subscriptions as extra leaves.

use chrono::TimeDelta;
use vigie_rules::alert::route::SUBSCRIPTION_PATH;
use vigie_rules::alert::{Route, RouteSettings, Subscription, route, route_all};

use crate::alert_fixture::labels;

/// A tree as an admin would write it in config.toml.
fn tree() -> Route {
    toml::from_str(
        r#"
        receivers = ["matrix:!secretariat:ogp.org"]
        group_wait = "2m"

        [[routes]]
        matchers = ['priority="urgent"']
        receivers = ["matrix:!urgent:ogp.org"]
        continue = true

        [[routes]]
        matchers = ['region="europe"']
        receivers = ["matrix:!europe:ogp.org"]
        group_by = ["country"]

          [[routes.routes]]
          matchers = ['country=~"FR|ES"']
          receivers = ["matrix:@chair:ogp.org"]
          repeat_interval = "14d"

          [[routes.routes]]
          matchers = ['theme="climate"']

        [[routes]]
        matchers = ['region=~"africa.*"']
        receivers = ["matrix:!africa:ogp.org"]

        [[routes]]
        matchers = ['region=~"africa-middle-east|americas"']
        receivers = ["matrix:!south:ogp.org"]
        "#,
    )
    .unwrap()
}

#[test]
fn the_first_matching_child_takes_the_alert_unless_it_continues() {
    let root = tree();
    for (case, pairs, expected) in [
        (
            "one child matches",
            vec![("region", "americas")],
            vec![("0.3", "matrix:!south:ogp.org")],
        ),
        (
            "the first of two matching siblings wins",
            vec![("region", "africa-middle-east")],
            vec![("0.2", "matrix:!africa:ogp.org")],
        ),
        (
            "continue lets the next siblings be tried",
            vec![("priority", "urgent"), ("region", "africa-middle-east")],
            vec![
                ("0.0", "matrix:!urgent:ogp.org"),
                ("0.2", "matrix:!africa:ogp.org"),
            ],
        ),
        (
            "continue with no later sibling matching: the parent does not deliver as well",
            vec![("priority", "urgent"), ("region", "asia-pacific")],
            vec![("0.0", "matrix:!urgent:ogp.org")],
        ),
        (
            "a child's child takes it from its parent",
            vec![("region", "europe"), ("country", "FR")],
            vec![("0.1.0", "matrix:@chair:ogp.org")],
        ),
        (
            "no grandchild matches: the child itself delivers",
            vec![("region", "europe"), ("country", "DE")],
            vec![("0.1", "matrix:!europe:ogp.org")],
        ),
        (
            "no child matches: the root delivers",
            vec![("region", "asia-pacific")],
            vec![("0", "matrix:!secretariat:ogp.org")],
        ),
    ] {
        let got: Vec<(String, String)> = route(&root, &labels(&pairs))
            .into_iter()
            .flat_map(|m| m.receivers.iter().map(move |r| (m.route_path.clone(), r.clone())))
            .collect();
        let expected: Vec<(String, String)> =
            expected.into_iter().map(|(p, r)| (p.into(), r.into())).collect();
        assert_eq!(got, expected, "{case}");
    }
}

#[test]
fn children_inherit_receivers_and_settings_from_their_parent_and_the_root_from_slow_defaults() {
    let root = tree();
    for (case, pairs, receivers, group_by, wait, interval, repeat) in [
        (
            "root: defaults with its own wait",
            vec![("region", "asia-pacific")],
            "matrix:!secretariat:ogp.org",
            "region",
            2,
            60,
            7,
        ),
        (
            "child: its own group_by",
            vec![("region", "europe")],
            "matrix:!europe:ogp.org",
            "country",
            2,
            60,
            7,
        ),
        (
            "grandchild: its own repeat, its parent's group_by",
            vec![("region", "europe"), ("country", "ES")],
            "matrix:@chair:ogp.org",
            "country",
            2,
            60,
            14,
        ),
        (
            "grandchild without receivers: its parent's",
            vec![("region", "europe"), ("country", "DE"), ("theme", "climate")],
            "matrix:!europe:ogp.org",
            "country",
            2,
            60,
            7,
        ),
    ] {
        let m = &route(&root, &labels(&pairs))[0];
        assert_eq!(m.receivers, [receivers.to_owned()], "{case}");
        let expected = RouteSettings {
            group_by: vec![group_by.to_owned()],
            group_wait: TimeDelta::minutes(wait),
            group_interval: TimeDelta::minutes(interval),
            repeat_interval: TimeDelta::days(repeat),
        };
        assert_eq!(m.settings, expected, "{case}");
    }
    let defaults = RouteSettings::default();
    assert_eq!(defaults.group_by, ["region"]);
    assert_eq!(
        (
            defaults.group_wait,
            defaults.group_interval,
            defaults.repeat_interval
        ),
        (TimeDelta::minutes(1), TimeDelta::hours(1), TimeDelta::days(7))
    );
}

#[test]
fn regex_matchers_are_anchored_like_alertmanager() {
    let root = tree();
    // `africa.*` matches the whole slug; `FR|ES` does not match `FRA` or `ESP`.
    assert_eq!(
        route(&root, &labels(&[("region", "africa-middle-east")]))[0].route_path,
        "0.2"
    );
    assert_eq!(
        route(&root, &labels(&[("region", "south-africa")]))[0].route_path,
        "0"
    );
    for country in ["FRA", "xES", "F"] {
        let m = &route(&root, &labels(&[("region", "europe"), ("country", country)]))[0];
        assert_eq!(m.route_path, "0.1", "{country}");
    }
}

#[test]
fn matched_routes_carry_every_matcher_from_the_root_for_the_why() {
    let root = tree();
    let m = &route(&root, &labels(&[("region", "europe"), ("country", "FR")]))[0];
    let written: Vec<String> = m.matchers.iter().map(ToString::to_string).collect();
    assert_eq!(written, ["region=\"europe\"", "country=~\"FR|ES\""]);
}

#[test]
fn subscriptions_are_extra_leaves_for_receivers_the_tree_does_not_reach() {
    let root = tree();
    let subs = [
        sub("matrix:!kenya-watch:ogp.org", "country", "ke"),
        sub("matrix:!kenya-watch:ogp.org", "region", "africa"),
        sub("matrix:!climate:ogp.org", "theme", "climate"),
        sub("matrix:!africa:ogp.org", "country", "KE"),
    ];
    let ke = labels(&[
        ("region", "africa-middle-east"),
        ("country", "KE"),
        ("theme", "climate"),
    ]);
    let got: Vec<(String, Vec<String>, Vec<String>)> = route_all(&root, &subs, &ke)
        .into_iter()
        .map(|m| {
            (
                m.route_path,
                m.receivers.to_vec(),
                m.matchers.iter().map(ToString::to_string).collect(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "0.2".into(),
                vec!["matrix:!africa:ogp.org".into()],
                vec!["region=~\"africa.*\"".into()]
            ),
            (
                SUBSCRIPTION_PATH.into(),
                vec!["matrix:!climate:ogp.org".into()],
                vec!["theme=\"climate\"".into()]
            ),
            (
                SUBSCRIPTION_PATH.into(),
                vec!["matrix:!kenya-watch:ogp.org".into()],
                vec!["country=\"KE\"".into(), "region=\"africa-middle-east\"".into()]
            ),
        ],
        "a room the tree reaches, or subscribed twice, hears once"
    );
    let tz = labels(&[("region", "africa-middle-east"), ("country", "TZ")]);
    assert_eq!(route_all(&root, &subs, &tz).len(), 2);
}

fn sub(receiver: &str, label: &str, value: &str) -> Subscription {
    Subscription {
        receiver: receiver.into(),
        label: label.into(),
        value: value.into(),
    }
}
