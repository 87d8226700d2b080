//! Atom and RSS status feeds: each entry is a candidate change of a member's status.
//!
//! OGP publishes no machine-readable member status, but it does publish news. A status feed turns
//! each entry into a [`StatusCandidate`]; a declared pattern may recognise the member and the new
//! status, and may be trusted to apply it automatically. Everything else waits for an admin.

use regex::Regex;
use serde::Deserialize;
use vigie_rules::{JurisdictionCode, MemberStatus, StatusCandidate};

use crate::FeedError;

/// A pattern declared in the configuration for a status feed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusPattern {
    /// A regular expression matched against the entry's title and summary. It must have a named
    /// group `member` capturing the member's name or code.
    pub pattern: String,
    /// The status the entry announces.
    pub status: MemberStatus,
    /// Apply without an admin's confirmation.
    #[serde(default)]
    pub automatic: bool,
}

/// A status pattern, compiled.
#[derive(Debug, Clone)]
pub struct CompiledPattern {
    regex: Regex,
    status: MemberStatus,
    automatic: bool,
}

impl StatusPattern {
    pub fn compile(&self) -> Result<CompiledPattern, String> {
        let regex = Regex::new(&self.pattern).map_err(|e| {
            format!(
                "the pattern is not a valid regular expression: {}",
                e.to_string().lines().last().unwrap_or("")
            )
        })?;
        if !regex.capture_names().flatten().any(|n| n == "member") {
            return Err("the pattern has no (?P<member>…) group; expected one naming the member".into());
        }
        Ok(CompiledPattern {
            regex,
            status: self.status,
            automatic: self.automatic,
        })
    }
}

/// Reads an Atom or RSS document. `resolve` finds a member code from the text a pattern captured.
pub fn parse(
    bytes: &[u8],
    patterns: &[CompiledPattern],
    resolve: &(dyn Fn(&str) -> Option<JurisdictionCode> + Sync),
) -> Result<Vec<StatusCandidate>, FeedError> {
    let feed = feed_rs::parser::parse(bytes)
        .map_err(|e| FeedError::Invalid(vec![format!("the document is not an Atom or RSS feed: {e}")]))?;
    let mut out = Vec::with_capacity(feed.entries.len());
    for entry in feed.entries {
        let title = entry.title.map(|t| t.content).unwrap_or_default();
        let summary = entry.summary.map(|t| t.content).unwrap_or_default();
        let link = entry.links.first().map(|l| l.href.clone());
        let entry_id = if entry.id.is_empty() {
            link.clone().unwrap_or_else(|| title.clone())
        } else {
            entry.id
        };
        if entry_id.is_empty() {
            continue;
        }
        let haystack = format!("{title}\n{summary}");
        let found = patterns.iter().find_map(|p| {
            let caps = p.regex.captures(&haystack)?;
            let member = resolve(caps.name("member")?.as_str())?;
            Some((member, p.status, p.automatic))
        });
        out.push(StatusCandidate {
            entry_id,
            title: title.trim().to_owned(),
            link,
            published: entry.published.or(entry.updated),
            member: found.as_ref().map(|f| f.0.clone()),
            status: found.as_ref().map(|f| f.1),
            automatic: found.is_some_and(|f| f.2),
        });
    }
    Ok(out)
}
