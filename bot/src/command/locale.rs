//! Messages in English, French and Spanish, with Project Fluent: one `.ftl` file per language in
//! `bot/locales/`, compiled into the binary. A message missing from a language falls back to
//! English, so a half-translated release still answers; the tests make sure none is missing.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// A language Vigie speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Fr,
    Es,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Fr, Lang::Es];

    /// `en`, `fr`, `es`; region tags (`fr-CA`, `es_419`) and names (`français`) are accepted.
    pub fn parse(s: &str) -> Option<Self> {
        let t = s.trim().to_lowercase();
        let primary = t.split(['-', '_']).next().unwrap_or("");
        match primary {
            "en" | "english" | "anglais" | "inglés" | "ingles" => Some(Self::En),
            "fr" | "french" | "français" | "francais" | "francés" | "frances" => Some(Self::Fr),
            "es" | "spanish" | "espagnol" | "español" | "espanol" => Some(Self::Es),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Fr => "fr",
            Self::Es => "es",
        }
    }

    fn index(self) -> usize {
        match self {
            Self::En => 0,
            Self::Fr => 1,
            Self::Es => 2,
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// The Fluent sources, one per language, in [`Lang::ALL`] order.
pub const SOURCES: [(&str, &str); 3] = [
    ("en", include_str!("../../locales/en.ftl")),
    ("fr", include_str!("../../locales/fr.ftl")),
    ("es", include_str!("../../locales/es.ftl")),
];

/// Every language's messages, ready to format. Cheap to share (`Arc`).
pub struct Locales {
    bundles: Vec<FluentBundle<FluentResource>>,
}

impl std::fmt::Debug for Locales {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Locales").finish_non_exhaustive()
    }
}

/// Arguments of a message: `&[("id", id.into())]`.
pub type Args<'a> = [(&'a str, FluentValue<'a>)];

impl Locales {
    /// Compiles the bundled messages. A syntax error in a bundled file is a bug caught by the
    /// tests; at run time the broken entries are skipped and the rest still works.
    pub fn new() -> Self {
        let bundles = SOURCES
            .iter()
            .map(|(code, source)| {
                let lang: LanguageIdentifier = code.parse().expect("a valid language tag");
                let resource = match FluentResource::try_new((*source).to_owned()) {
                    Ok(r) => r,
                    Err((r, errors)) => {
                        tracing::error!(
                            language = code,
                            ?errors,
                            "the bundled messages have syntax errors"
                        );
                        r
                    }
                };
                let mut bundle = FluentBundle::new_concurrent(vec![lang]);
                // Chat clients show the isolation marks as boxes; our arguments are plain text.
                bundle.set_use_isolating(false);
                if let Err(errors) = bundle.add_resource(resource) {
                    tracing::error!(language = code, ?errors, "the bundled messages clash");
                }
                bundle
            })
            .collect();
        Self { bundles }
    }

    /// The message `id` in `lang` with `args`, falling back to English, then to the id itself.
    pub fn text(&self, lang: Lang, id: &str, args: &Args<'_>) -> String {
        for bundle in [&self.bundles[lang.index()], &self.bundles[0]] {
            if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
                let mut fargs = FluentArgs::new();
                for (k, v) in args {
                    fargs.set(*k, v.clone());
                }
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, Some(&fargs), &mut errors);
                if !errors.is_empty() {
                    tracing::warn!(id, language = %lang, ?errors, "a message was formatted with errors");
                }
                return text.into_owned();
            }
        }
        tracing::warn!(id, "no message with this id");
        id.to_owned()
    }

    /// Whether `lang` itself (not its fallback) has the message.
    pub fn has(&self, lang: Lang, id: &str) -> bool {
        self.bundles[lang.index()].has_message(id)
    }
}

impl Default for Locales {
    fn default() -> Self {
        Self::new()
    }
}

/// Shorthand for a string argument.
pub fn arg<'a>(s: impl Into<String>) -> FluentValue<'a> {
    FluentValue::from(s.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use fluent_syntax::ast::Entry;

    fn ids(source: &str) -> std::collections::BTreeSet<String> {
        let resource = fluent_syntax::parser::parse(source).expect("the file parses without errors");
        resource
            .body
            .iter()
            .filter_map(|e| match e {
                Entry::Message(m) => Some(m.id.name.to_owned()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_language_has_every_message_and_no_other() {
        let en = ids(SOURCES[0].1);
        for (code, source) in &SOURCES[1..] {
            let other = ids(source);
            let missing: Vec<_> = en.difference(&other).collect();
            let extra: Vec<_> = other.difference(&en).collect();
            assert!(missing.is_empty(), "{code} lacks {missing:?}");
            assert!(extra.is_empty(), "{code} has messages English lacks: {extra:?}");
        }
    }

    #[test]
    fn every_command_and_option_is_described_in_every_language() {
        let locales = Locales::new();
        for lang in Lang::ALL {
            for spec in super::super::COMMANDS {
                assert!(
                    locales.has(lang, &spec.description_id()),
                    "{lang}: {}",
                    spec.description_id()
                );
                for arg in spec.args {
                    let id = format!("opt-{}", arg.name);
                    assert!(locales.has(lang, &id), "{lang}: {id}");
                }
            }
        }
    }

    #[test]
    fn languages_are_read_from_codes_tags_and_names() {
        let cases = [
            ("fr", Some(Lang::Fr)),
            ("FR-ca", Some(Lang::Fr)),
            ("français", Some(Lang::Fr)),
            ("es_419", Some(Lang::Es)),
            ("English", Some(Lang::En)),
            ("de", None),
            ("", None),
        ];
        for (input, expected) in cases {
            assert_eq!(Lang::parse(input), expected, "{input}");
        }
    }

    #[test]
    fn a_message_is_formatted_with_its_arguments_and_without_isolation_marks() {
        let locales = Locales::new();
        let text = locales.text(
            Lang::Fr,
            "err-unknown-command",
            &[("given", arg("windwos")), ("suggestion", arg("windows"))],
        );
        assert!(text.contains("windwos") && text.contains("windows"), "{text}");
        assert!(!text.contains('\u{2068}'), "{text:?}");
    }
}
