//! Where a feed's bytes come from: data bundled in the binary, a local file, or a URL.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::bundled;

/// A feed's location, as written in the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file shipped inside the binary (`bundled:elections.csv`, `bundled:parlgov`).
    Bundled(String),
    /// A local file or, for ParlGov, a folder.
    Path(PathBuf),
    /// An `http://` or `https://` URL.
    Url(String),
}

impl Source {
    /// Reads a source as written in the configuration; relative paths are taken from `base`
    /// (the configuration file's folder).
    pub fn parse(text: &str, base: &Path) -> Result<Self, String> {
        let t = text.trim();
        if t.is_empty() {
            return Err("the source is empty; expected bundled:NAME, a file path or an http(s) URL".into());
        }
        if let Some(name) = t.strip_prefix("bundled:") {
            return if bundled::exists(name) {
                Ok(Self::Bundled(name.to_owned()))
            } else {
                Err(format!(
                    "\"{name}\" is not bundled data; expected one of {}",
                    bundled::names().join(", ")
                ))
            };
        }
        let lower = t.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            return match reqwest::Url::parse(t) {
                Ok(url) if url.host_str().is_some() => Ok(Self::Url(url.to_string())),
                _ => Err(format!(
                    "\"{t}\" is not a valid URL; expected http(s)://host/path"
                )),
            };
        }
        if lower.contains("://") {
            return Err(format!(
                "\"{t}\" uses an unsupported scheme; expected bundled:NAME, a file path or an http(s) URL"
            ));
        }
        let path = Path::new(t.strip_prefix("file:").unwrap_or(t));
        Ok(Self::Path(if path.is_absolute() {
            path.to_owned()
        } else {
            base.join(path)
        }))
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Bundled(name) => write!(f, "bundled:{name}"),
            Self::Path(p) => write!(f, "{}", p.display()),
            Self::Url(u) => f.write_str(u),
        }
    }
}
