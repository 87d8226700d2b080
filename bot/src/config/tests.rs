use super::*;

fn load_text(text: &str, env: &[(&str, &str)]) -> Result<Config, ConfigErrors> {
    let env: Vec<(String, String)> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    Loader::new(text, "config.toml".into(), PathBuf::from("/srv/vigie")).load(&env)
}

fn errors(text: &str, env: &[(&str, &str)]) -> Vec<String> {
    load_text(text, env)
        .expect_err("the configuration should be refused")
        .0
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn the_shipped_default_is_valid_and_declares_the_bundled_feeds() {
    let config = load(ConfigSource::Default, Vec::new()).unwrap();
    let names: Vec<&str> = config.feeds.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["parlgov", "ogp-members", "elections"]);
    assert_eq!(config.database_url(), "sqlite:./vigie.db");
    assert_eq!(config.http.timeout, Duration::from_secs(30));
    assert_eq!(config.http.max_body.as_u64(), 20 * 1024 * 1024);
}

#[test]
fn an_empty_file_means_every_default() {
    let config = load_text("", &[]).unwrap();
    assert!(config.feeds.is_empty());
    assert_eq!(config.database_url(), "sqlite:/srv/vigie/vigie.db");
    assert_eq!(config.log.level, "info");
}

#[test]
fn every_error_is_reported_with_file_line_column_and_key() {
    let text = r#"
[http]
tmieout = "10s"

[log]
level = "chatty"

[[feeds]]
name = "Bad Name"
kind = "events-csv"
source = "bundled:elections.csv"

[[feeds]]
name = "x"
kind = "sparkles"
source = "a.csv"

[[feeds]]
name = "y"
kind = "ics"
source = "ftp://example.org/a.ics"
refresh = "5s"
"#;
    let errs = errors(text, &[]);
    let expected = [
        "config.toml:3:1: http.tmieout: unknown field `tmieout`, expected one of `timeout`",
        "config.toml:6:9: log.level: \"chatty\" is not a log filter",
        "config.toml:9:8: feeds[0].name: \"Bad Name\" is not a feed name",
        "config.toml:15:8: feeds[1].kind: unknown variant `sparkles`, expected one of `ics`",
        "config.toml:21:10: feeds[2].source: \"ftp://example.org/a.ics\" uses an unsupported scheme",
        "config.toml:22:11: feeds[2].refresh: is shorter than a minute",
    ];
    assert_eq!(errs.len(), expected.len(), "{errs:#?}");
    for (e, x) in errs.iter().zip(expected) {
        assert!(e.starts_with(x), "{e}\n does not start with\n{x}");
    }
}

#[test]
fn a_toml_syntax_error_is_located() {
    let errs = errors("[http]\ntimeout = \"10s\nretries = 2\n", &[]);
    assert_eq!(errs.len(), 1);
    assert!(errs[0].starts_with("config.toml:2:"), "{}", errs[0]);
    assert!(errs[0].contains("not valid TOML"), "{}", errs[0]);
}

#[test]
fn environment_overrides_win_and_their_errors_name_the_variable() {
    let config = load_text(
        "[http]\ntimeout = \"30s\"\n",
        &[("VIGIE_HTTP__TIMEOUT", "5s"), ("VIGIE_HTTP__RETRIES", "7")],
    )
    .unwrap();
    assert_eq!(config.http.timeout, Duration::from_secs(5));
    assert_eq!(config.http.retries, 7);

    let errs = errors("", &[("VIGIE_HTTP__RETRIES", "many")]);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(
        errs[0].starts_with("environment variable VIGIE_HTTP__RETRIES: http.retries:"),
        "{}",
        errs[0]
    );
}

#[test]
fn a_feed_can_be_overridden_by_its_name() {
    let text = "[[feeds]]\nname = \"national-elections\"\nkind = \"events-csv\"\nsource = \"a.csv\"\n";
    let config = load_text(
        text,
        &[(
            "VIGIE_FEEDS__NATIONAL_ELECTIONS__SOURCE",
            "https://example.org/e.csv",
        )],
    )
    .unwrap();
    assert_eq!(
        config.feeds[0].source,
        Source::Url("https://example.org/e.csv".into())
    );

    let errs = errors(text, &[("VIGIE_FEEDS__NOPE__SOURCE", "x")]);
    assert!(
        errs[0].contains("VIGIE_FEEDS__NOPE__SOURCE") && errs[0].contains("no feed has this name"),
        "{errs:#?}"
    );
}

#[test]
fn a_password_in_the_file_is_refused_but_accepted_from_the_environment() {
    let errs = errors("[storage]\nurl = \"postgres://vigie:hunter2@db/vigie\"\n", &[]);
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0].starts_with("config.toml:2:7: storage.url: contains a password"),
        "{}",
        errs[0]
    );
    assert!(!errs[0].contains("hunter2"));

    let config = load_text("", &[("VIGIE_STORAGE__URL", "postgres://vigie:hunter2@db/vigie")]).unwrap();
    assert_eq!(config.database_url(), "postgres://vigie:hunter2@db/vigie");
    assert!(
        !format!("{config:?}").contains("hunter2"),
        "the secret leaks into debug output"
    );
}

#[test]
fn the_database_url_can_come_from_a_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("db-url"), "postgres://vigie:s3cret@db/vigie\n").unwrap();
    let text = "[storage]\nurl_file = \"db-url\"\n";
    let config = Loader::new(text, "config.toml".into(), dir.path().to_owned())
        .load(&[])
        .unwrap();
    assert_eq!(config.database_url(), "postgres://vigie:s3cret@db/vigie");

    let errs = errors("[storage]\nurl_file = \"missing\"\n", &[]);
    assert!(
        errs[0].starts_with("config.toml:2:12: storage.url_file: /srv/vigie/missing cannot be read"),
        "{}",
        errs[0]
    );
}

#[test]
fn options_that_do_not_fit_the_feed_kind_are_refused() {
    let text = "[[feeds]]\nname = \"m\"\nkind = \"members-csv\"\nsource = \"m.csv\"\njurisdiction = \"KE\"\n\n[[feeds]]\nname = \"p\"\nkind = \"parlgov\"\nsource = \"bundled:elections.csv\"\n";
    let errs = errors(text, &[]);
    assert_eq!(errs.len(), 2, "{errs:#?}");
    assert!(
        errs[0].contains("feeds[0].jurisdiction: only applies to ics feeds"),
        "{}",
        errs[0]
    );
    assert!(
        errs[1].contains("feeds[1].source: bundled:elections.csv is not a parlgov feed"),
        "{}",
        errs[1]
    );
}

#[test]
fn duplicate_feed_names_are_refused() {
    let text = "[[feeds]]\nname = \"a\"\nkind = \"ics\"\nsource = \"a.ics\"\n[[feeds]]\nname = \"a\"\nkind = \"ics\"\nsource = \"b.ics\"\n";
    let errs = errors(text, &[]);
    assert_eq!(
        errs,
        ["config.toml:6:8: feeds[1].name: \"a\" is already the name of feeds[0]; expected unique names"]
    );
}

#[test]
fn an_unknown_section_is_refused() {
    let errs = errors("[matrixx]\nuser = \"@vigie:example.org\"\n", &[]);
    assert_eq!(
        errs,
        [
            "config.toml:1:2: matrixx: unknown section; expected storage, log, http, rules, chat, server, matrix, discord, alerts or [[feeds]]"
        ]
    );
}

#[test]
fn a_log_filter_with_spaces_before_a_non_ascii_target_is_read_not_a_panic() {
    // tracing-subscriber 0.3.23 panicked on this (found by the property test below).
    let feeds = "[[feeds]]\nname = \"a\"\nkind = \"ics\"\nsource = \"a.ics\"\n";
    for level in [" aᾶ=", "info, aᾶ=debug", "  ᾶ"] {
        let env = [("VIGIE_LOG__LEVEL", level)];
        match load_text(feeds, &env) {
            Ok(config) => assert!(!config.log.filter().starts_with(' '), "{level:?}"),
            Err(_) => {
                let errs = errors(feeds, &env);
                assert!(errs.iter().any(|e| e.contains("log.level")), "{errs:?}");
            }
        }
    }
}

mod never_panics {
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn any_configuration_text_loads_or_is_refused(text in "\\PC{0,300}") {
            let _ = super::load_text(&text, &[]);
        }

        #[test]
        fn any_environment_value_loads_or_is_refused(value in "\\PC{0,40}") {
            let _ = super::load_text("[[feeds]]\nname = \"a\"\nkind = \"ics\"\nsource = \"a.ics\"\n", &[
                ("VIGIE_HTTP__TIMEOUT", value.as_str()),
                ("VIGIE_FEEDS__A__JURISDICTION", value.as_str()),
                ("VIGIE_LOG__LEVEL", value.as_str()),
            ]);
        }
    }
}

#[test]
fn chat_secrets_are_refused_in_the_file_and_taken_from_the_environment() {
    let text = r#"
[matrix]
homeserver = "https://matrix.example.org"
user = "@vigie:example.org"
password = "hunter2"
"#;
    let errs = errors(text, &[]);
    assert!(
        errs.iter().any(|e| e.contains("matrix.password")
            && e.contains("is a secret and never goes in the file: set VIGIE_MATRIX__PASSWORD")),
        "{errs:?}"
    );
    assert!(
        !errs.iter().any(|e| e.contains("hunter2")),
        "a secret was echoed: {errs:?}"
    );

    let text = "[matrix]\nhomeserver = \"https://matrix.example.org/\"\nuser = \"@vigie:example.org\"\n";
    let config = load_text(text, &[("VIGIE_MATRIX__PASSWORD", "hunter2")]).unwrap();
    let matrix = config.matrix.expect("[matrix] is configured");
    assert_eq!(matrix.homeserver, "https://matrix.example.org");
    assert!(matches!(&matrix.login, MatrixLogin::Password(p) if p == "hunter2"));
    assert_eq!(matrix.store, PathBuf::from("/srv/vigie/.vigie/matrix"));
    assert!(!format!("{matrix:?}").contains("hunter2"));
}

#[test]
fn the_discord_token_is_refused_in_the_file_and_taken_from_the_environment() {
    let errs = errors("[discord]\ntoken = \"abc.def\"\n", &[]);
    assert!(
        errs.iter().any(|e| e.contains("discord.token")
            && e.contains("is a secret and never goes in the file: set VIGIE_DISCORD__TOKEN")),
        "{errs:?}"
    );
    assert!(
        !errs.iter().any(|e| e.contains("abc.def")),
        "a secret was echoed: {errs:?}"
    );

    let text = "[discord]\nguilds = [123456789012345678, \"223456789012345678\"]\n";
    let config = load_text(text, &[("VIGIE_DISCORD__TOKEN", "abc.def")]).unwrap();
    let discord = config.discord.expect("[discord] is configured");
    assert_eq!(discord.token, "abc.def");
    assert_eq!(discord.guilds, [123456789012345678, 223456789012345678]);
    assert_eq!(discord.api_url, "https://discord.com");
    assert!(!discord.proxied());
    assert!(!format!("{discord:?}").contains("abc.def"));
    assert!(
        discord.native_polls,
        "quick polls are native Discord polls by default"
    );
    let off = load_text(
        "[discord]\nnative_polls = false\n",
        &[("VIGIE_DISCORD__TOKEN", "t")],
    )
    .unwrap();
    assert!(!off.discord.unwrap().native_polls);

    let config = load_text(
        "[discord]\napi_url = \"http://127.0.0.1:9999/\"\n",
        &[("VIGIE_DISCORD__TOKEN", "t")],
    )
    .unwrap();
    let discord = config.discord.unwrap();
    assert!(discord.guilds.is_empty(), "no guilds: global commands");
    assert_eq!(discord.api_url, "http://127.0.0.1:9999");
    assert!(discord.proxied());
    assert!(load_text("", &[]).unwrap().discord.is_none());
}

#[test]
fn the_discord_section_is_checked_with_one_sentence_per_problem() {
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);
    let token: &[(&str, &str)] = &[("VIGIE_DISCORD__TOKEN", "t")];
    let cases: &[Case] = &[
        (
            "[discord]\n",
            &[],
            "discord: has no bot token; expected VIGIE_DISCORD__TOKEN",
        ),
        (
            "[discord]\n",
            &[("VIGIE_DISCORD__TOKEN", "  ")],
            "discord.token: is empty or has spaces",
        ),
        (
            "[discord]\nguilds = [\"general\"]\n",
            token,
            "discord.guilds: entry 1 is not a server id",
        ),
        (
            "[discord]\nguilds = [-4]\n",
            token,
            "discord.guilds: entry 1 is not a server id",
        ),
        (
            "[discord]\napi_url = \"discord.com\"\n",
            token,
            "discord.api_url: expected an http(s) URL",
        ),
        ("[discord]\nbot = true\n", token, "discord.bot: unknown field"),
        (
            "[discord]\nnative_polls = \"yes\"\n",
            token,
            "config.toml:2:16: discord.native_polls: ",
        ),
    ];
    for (text, env, expected) in cases {
        let errs = errors(text, env);
        assert!(
            errs.iter().any(|e| e.contains(expected)),
            "{text}: expected {expected:?} in {errs:?}"
        );
    }
}

#[test]
fn chat_sections_are_checked_with_one_sentence_per_problem() {
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);
    let cases: &[Case] = &[
        (
            "[chat]\nlanguage = \"de\"\n",
            &[],
            "chat.language: is not a language Vigie speaks; expected en, fr or es",
        ),
        (
            "[chat]\nprefix = \"! vigie\"\n",
            &[],
            "chat.prefix: expected one word without spaces",
        ),
        (
            "[chat]\nadmins = [\"alice\"]\n",
            &[],
            "entry 1 \"alice\" is not a user id",
        ),
        (
            "[[chat.peers]]\nuser = \"@bob:example.org\"\nregion = \"atlantis\"\n",
            &[],
            "chat.peers[0].region: is not an OGP region",
        ),
        (
            "[[chat.peers]]\nuser = \"@bob:example.org\"\nrole = \"king\"\n",
            &[],
            "chat.peers[0].role: expected admin or peer",
        ),
        (
            "[matrix]\nhomeserver = \"matrix.example.org\"\nuser = \"@vigie:example.org\"\n",
            &[("VIGIE_MATRIX__ACCESS_TOKEN", "t")],
            "matrix.homeserver: expected an http(s) URL",
        ),
        (
            "[matrix]\nhomeserver = \"https://m.example.org\"\nuser = \"@vigie:example.org\"\n",
            &[],
            "has no way to log in",
        ),
        (
            "[matrix]\nhomeserver = \"https://m.example.org\"\nuser = \"@vigie:example.org\"\n",
            &[
                ("VIGIE_MATRIX__PASSWORD", "p"),
                ("VIGIE_MATRIX__ACCESS_TOKEN", "t"),
            ],
            "has both a password and an access token",
        ),
        (
            "[matrix]\nhomeserver = \"https://m.example.org\"\nuser = \"@vigie:example.org\"\nautojoin = [\"example.org\"]\n",
            &[("VIGIE_MATRIX__PASSWORD", "p")],
            "is neither a user nor a server; expected @name:server or :server",
        ),
        ("[server]\nlisten = \"nowhere\"\n", &[], "server.listen"),
        (
            "[server]\n",
            &[("VIGIE_SERVER__WINDOWS_TOKEN", "short")],
            "is shorter than 16 characters",
        ),
    ];
    for (text, env, expected) in cases {
        let errs = errors(text, env);
        assert!(
            errs.iter().any(|e| e.contains(expected)),
            "{text}: expected {expected:?} in {errs:?}"
        );
    }
}

#[test]
fn a_seeded_peer_may_have_a_country_and_an_organisation_each_checked() {
    let text =
        "[[chat.peers]]\nuser = \"@bob:example.org\"\ncountry = \"ke\"\norganisation = \"Open Data Kenya\"\n";
    let config = load_text(text, &[]).expect("a peer with a country and an organisation");
    let seed = &config.chat.peers[0];
    assert_eq!(seed.country.as_deref(), Some("ke"));
    assert_eq!(seed.organisation.as_deref(), Some("Open Data Kenya"));
    let bad = [
        (
            "[[chat.peers]]\nuser = \"@bob:example.org\"\ncountry = \"KE-30\"\n",
            "chat.peers[0].country: \"KE-30\" is not a country code; expected two letters of ISO 3166-1 alpha-2",
        ),
        (
            "[[chat.peers]]\nuser = \"@bob:example.org\"\norganisation = \"  \"\n",
            "chat.peers[0].organisation: is empty or too long",
        ),
    ];
    for (text, expected) in bad {
        let errs = errors(text, &[]);
        assert!(
            errs.iter().any(|e| e.contains(expected)),
            "{text}: expected {expected:?} in {errs:?}"
        );
    }
}

#[test]
fn discord_interactions_by_http_need_a_public_key_the_listener_and_a_free_path() {
    type Case<'a> = (&'a str, &'a str);
    let token: &[(&str, &str)] = &[("VIGIE_DISCORD__TOKEN", "t")];
    let key = "67c6bd767ca099e79efac9fcce4d2022a63bf7dea780e7f3d813f694c1597089";
    let cases: &[Case] = &[
        (
            "[discord]\npublic_key = \"67c6bd76\"\n",
            "discord.public_key: is not an Ed25519 public key; expected the 64 hexadecimal characters",
        ),
        (
            "[discord]\npublic_key = \"zz\"\ninteractions = \"http\"\n",
            "discord.public_key: is not an Ed25519 public key",
        ),
        (
            "[discord]\ninteractions = \"http\"\n",
            "discord: has no public_key; interactions = \"http\" needs the application's public key",
        ),
        (
            "[discord]\ninteractions = \"websocket\"\n",
            "discord.interactions: unknown variant",
        ),
        (
            "[server]\nenabled = false\n[discord]\ninteractions = \"http\"\n",
            "discord.interactions: is \"http\", but the HTTP listener is off",
        ),
        (
            "[discord]\ninteractions = \"http\"\ninteractions_path = \"discord\"\n",
            "discord.interactions_path: expected a path such as /discord/interactions",
        ),
        (
            "[discord]\ninteractions = \"http\"\ninteractions_path = \"/a//b\"\n",
            "discord.interactions_path: expected a path",
        ),
        (
            "[discord]\ninteractions = \"http\"\ninteractions_path = \"/metrics\"\n",
            "discord.interactions_path: is one of Vigie's own endpoints",
        ),
    ];
    for (text, expected) in cases {
        let text = text.replace(
            "[discord]\ninteractions = \"http\"\n",
            &format!("[discord]\ninteractions = \"http\"\npublic_key = \"{key}\"\n"),
        );
        let text = if expected.contains("has no public_key") {
            text.replace(&format!("public_key = \"{key}\"\n"), "")
        } else {
            text
        };
        let errs = errors(&text, token);
        assert!(
            errs.iter().any(|e| e.contains(expected)),
            "{text}: expected {expected:?} in {errs:?}"
        );
    }

    let errs = errors("[discord]\npublic_key = \"67c6bd76\"\n", token);
    assert!(
        errs.len() == 1 && errs[0].starts_with("config.toml:2:"),
        "one sentence, located: {errs:?}"
    );

    let text = format!(
        "[discord]\ninteractions = \"http\"\npublic_key = \"{}\"\n",
        key.to_uppercase()
    );
    if cfg!(feature = "discord-http") {
        let discord = load_text(&text, token).unwrap().discord.unwrap();
        assert_eq!(discord.interactions, crate::config::Interactions::Http);
        assert_eq!(discord.public_key.as_deref(), Some(key));
        assert_eq!(discord.interactions_path, "/discord/interactions");
        assert!(
            format!("{discord:?}").contains(key),
            "the public key is not a secret"
        );
    } else {
        let errs = errors(&text, token);
        assert!(
            errs.iter()
                .any(|e| e.contains("build it with the `discord-http` feature")),
            "{errs:?}"
        );
    }
    let gateway = load_text("[discord]\n", token).unwrap().discord.unwrap();
    assert_eq!(gateway.interactions, crate::config::Interactions::Gateway);
    assert_eq!(gateway.public_key, None);
}
