//! The ballot form without I/O: `custom_id`s read and written, drafts and what each component
//! does to them, and the message that shows a draft (menus, buttons, the choices so far in words).

use serenity::all::{
    ButtonStyle, CreateActionRow, CreateButton, CreateInteractionResponseMessage, CreateSelectMenu,
    CreateSelectMenuKind, CreateSelectMenuOption,
};
use vigie_awards::campaign::rules::BallotShape;
use vigie_awards::campaign::{AwardError, Campaign};
use vigie_awards::nomination::NominationId;

use crate::award::refusal;
use crate::award::render::{self, Words};
use crate::command::locale::{Args, arg};
use crate::command::{Lang, Locales};

pub(super) const PREFIX: &str = "ballot:";
/// The most nominees a form lists: Discord's most options in one menu.
pub(super) const MAX_NOMINEES: usize = 25;
/// Menus on one page: Discord's five action rows, less the row of buttons.
const PER_PAGE: usize = 4;
/// Discord's longest option label, in characters.
const MAX_LABEL: usize = 100;
/// Discord's longest message, in characters.
pub(super) const MAX_CONTENT: usize = 2000;

/// What a `custom_id` under `ballot:` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Route<'a> {
    Category { campaign: u32 },
    Ballot { key: Key, draft: &'a str, action: Step },
}

/// Which ballot a component belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Key {
    pub(super) campaign: u32,
    pub(super) category: usize,
    /// How many nominees the ballot had when it was drawn.
    pub(super) count: usize,
}

/// What a component does to the draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    Rank(usize),
    One,
    Approve,
    Score(usize),
    Page(usize),
    Clear,
    Cast,
}

/// A whole number written in at most four digits, nothing else (no sign, no spaces).
pub(super) fn number(s: &str) -> Option<usize> {
    (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

impl<'a> Route<'a> {
    pub(super) fn read(custom_id: &'a str) -> Option<Self> {
        let rest = custom_id.strip_prefix(PREFIX)?;
        let parts: Vec<&str> = rest.split(':').collect();
        let campaign = |s: &str| -> Option<u32> {
            (!s.is_empty() && s.len() <= 10 && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
                .filter(|n| *n > 0)
        };
        match parts.as_slice() {
            [c, "cat"] => Some(Self::Category {
                campaign: campaign(c)?,
            }),
            [c, category, count, draft, action] => {
                let key = Key {
                    campaign: campaign(c)?,
                    category: number(category)?,
                    count: number(count).filter(|n| (1..=MAX_NOMINEES).contains(n))?,
                };
                let at = |prefix: &str| action.strip_prefix(prefix).and_then(number);
                let action = match *action {
                    "o" => Step::One,
                    "a" => Step::Approve,
                    "x" => Step::Clear,
                    "cast" => Step::Cast,
                    _ if action.starts_with('r') => Step::Rank(at("r").filter(|k| *k < key.count)?),
                    _ if action.starts_with('s') => Step::Score(at("s").filter(|i| *i < key.count)?),
                    _ if action.starts_with('p') => {
                        Step::Page(at("p").filter(|p| *p * PER_PAGE < key.count)?)
                    }
                    _ => return None,
                };
                Some(Self::Ballot { key, draft, action })
            }
            _ => None,
        }
    }
}

/// A ballot being filled in: nominees by their place on the ballot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Draft {
    /// In order of preference (ranked), the one chosen, or those approved.
    Picks(Vec<usize>),
    /// One per nominee: a score, or blank.
    Scores(Vec<Option<u32>>),
}

fn digit(n: usize) -> char {
    char::from_digit(u32::try_from(n).unwrap_or(u32::MAX), 36).unwrap_or('-')
}

impl Draft {
    pub(super) fn empty(shape: BallotShape, count: usize) -> Self {
        match shape {
            BallotShape::Score { .. } => Self::Scores(vec![None; count]),
            _ => Self::Picks(Vec::new()),
        }
    }

    fn encode(&self) -> String {
        match self {
            Self::Picks(picks) => picks.iter().map(|i| digit(*i)).collect(),
            Self::Scores(scores) => scores
                .iter()
                .map(|s| s.map_or('-', |s| digit(s as usize)))
                .collect(),
        }
    }

    /// The draft a `custom_id` carries, if it is one a form of this ballot could carry.
    pub(super) fn decode(raw: &str, shape: BallotShape, count: usize) -> Option<Self> {
        if raw.len() > count {
            return None;
        }
        if let BallotShape::Score { max } = shape {
            if raw.len() != count {
                return None;
            }
            let scores = raw
                .chars()
                .map(|c| match c {
                    '-' => Some(None),
                    c => c.to_digit(36).filter(|s| *s <= max).map(Some),
                })
                .collect::<Option<Vec<_>>>()?;
            return Some(Self::Scores(scores));
        }
        let picks = raw
            .chars()
            .map(|c| c.to_digit(36).map(|d| d as usize).filter(|d| *d < count))
            .collect::<Option<Vec<usize>>>()?;
        let unique = picks.iter().enumerate().all(|(i, p)| !picks[..i].contains(p));
        let fits = !matches!(shape, BallotShape::Single) || picks.len() <= 1;
        (unique && fits).then_some(Self::Picks(picks))
    }

    /// The draft after `step` with the menu's `values`, and the page to show; `None` when the
    /// step or the values are not this ballot's.
    pub(super) fn after(
        &self,
        step: Step,
        values: &[String],
        shape: BallotShape,
        count: usize,
    ) -> Option<(Self, usize)> {
        let nominee = |v: &String| number(v).filter(|i| *i < count);
        // A score menu's values are scores; every other menu's are nominees.
        let chosen: Vec<usize> = match step {
            Step::Score(_) => Vec::new(),
            _ => values.iter().map(nominee).collect::<Option<_>>()?,
        };
        match (self, step, shape) {
            (_, Step::Clear, _) => Some((Self::empty(shape, count), 0)),
            (_, Step::Page(page), _) => Some((self.clone(), page)),
            (Self::Picks(picks), Step::Rank(k), BallotShape::Ranked { .. }) if k <= picks.len() => {
                let mut picks = picks.clone();
                match (chosen.as_slice(), picks.get(k).copied()) {
                    ([], Some(_)) => {
                        picks.remove(k);
                    }
                    ([], None) => {}
                    ([x], old) => match (picks.iter().position(|p| p == x), old) {
                        // Chosen elsewhere already: the two swap places.
                        (Some(at), Some(old)) => {
                            picks[at] = old;
                            picks[k] = *x;
                        }
                        (Some(at), None) => {
                            picks.remove(at);
                            picks.push(*x);
                        }
                        (None, Some(_)) => picks[k] = *x,
                        (None, None) => picks.push(*x),
                    },
                    _ => return None,
                }
                Some((Self::Picks(picks), k / PER_PAGE))
            }
            (Self::Picks(_), Step::One, BallotShape::Single) if chosen.len() <= 1 => {
                Some((Self::Picks(chosen), 0))
            }
            (Self::Picks(_), Step::Approve, BallotShape::Approval { .. }) => {
                let mut approved = chosen;
                approved.sort_unstable();
                approved.dedup();
                Some((Self::Picks(approved), 0))
            }
            (Self::Scores(scores), Step::Score(i), BallotShape::Score { max }) => {
                let score = match values {
                    [] => None,
                    [one] => Some(
                        number(one)
                            .and_then(|s| u32::try_from(s).ok())
                            .filter(|s| *s <= max)?,
                    ),
                    _ => return None,
                };
                let mut scores = scores.clone();
                *scores.get_mut(i)? = score;
                Some((Self::Scores(scores), i / PER_PAGE))
            }
            _ => None,
        }
    }

    /// The ballot as it is typed (`#2 > #1`, `#1 #3`, `#1=5 #2=0`), `None` when it chooses
    /// nobody.
    pub(super) fn marks(&self, shape: BallotShape, nominees: &[(NominationId, String)]) -> Option<String> {
        let id = |i: &usize| nominees.get(*i).map(|(id, _)| id.to_string());
        let marks: Vec<String> = match self {
            Self::Picks(picks) => picks.iter().filter_map(id).collect(),
            Self::Scores(scores) => scores
                .iter()
                .enumerate()
                .filter_map(|(i, s)| Some(format!("{}={}", id(&i)?, (*s)?)))
                .collect(),
        };
        let separator = match shape {
            BallotShape::Ranked { .. } => " > ",
            _ => " ",
        };
        (!marks.is_empty()).then(|| marks.join(separator))
    }

    fn is_empty(&self) -> bool {
        match self {
            Self::Picks(picks) => picks.is_empty(),
            Self::Scores(scores) => scores.iter().all(Option::is_none),
        }
    }
}

/// The ballot of one category of a campaign, as the form shows it.
pub(super) struct Paper {
    pub(super) campaign: u32,
    category: usize,
    pub(super) slug: String,
    campaign_name: String,
    pub(super) shape: BallotShape,
    /// The nominees standing, in ballot order, each with its label (`#2 Musa Bello`).
    pub(super) nominees: Vec<(NominationId, String)>,
}

/// A message's text and components.
pub(super) struct Screen {
    pub(super) content: String,
    pub(super) rows: Vec<CreateActionRow>,
}

impl Screen {
    pub(super) fn message(self) -> CreateInteractionResponseMessage {
        CreateInteractionResponseMessage::new()
            .content(self.content)
            .components(self.rows)
    }

    /// The choice of a category, for a campaign with several.
    pub(super) fn categories(locales: &Locales, lang: Lang, c: &Campaign) -> Self {
        let words = Words { locales, lang };
        let options = c
            .rules()
            .categories
            .iter()
            .take(MAX_NOMINEES)
            .enumerate()
            .map(|(i, cat)| CreateSelectMenuOption::new(clip(&cat.title, MAX_LABEL), i.to_string()))
            .collect();
        let menu = CreateSelectMenu::new(
            format!("{PREFIX}{}:cat", c.id()),
            CreateSelectMenuKind::String { options },
        )
        .placeholder(clip(
            &locales.text(lang, "discord-ballot-category", &[]),
            MAX_LABEL,
        ));
        let campaign = arg(render::campaign_name(words, c));
        Self {
            content: locales.text(lang, "discord-ballot-categories", &[("campaign", campaign)]),
            rows: vec![CreateActionRow::SelectMenu(menu)],
        }
    }
}

impl Paper {
    pub(super) fn of(c: &Campaign, index: usize, words: Words<'_>) -> Result<Self, String> {
        let Some(cat) = c.rules().categories.get(index) else {
            return Err(words.t("discord-ballot-unknown", &[]));
        };
        let Some(method) = cat.method.as_ref() else {
            let e = AwardError::MethodNotDeclared {
                category: cat.slug.clone(),
            };
            return Err(refusal::sentence(words, &e));
        };
        let nominees = c
            .standing(&cat.slug)
            .into_iter()
            .map(|id| {
                let name = c
                    .nomination(id)
                    .map(|n| n.nominee.to_string())
                    .unwrap_or_default();
                (id, clip(&format!("{id} {name}"), MAX_LABEL))
            })
            .collect();
        Ok(Self {
            campaign: c.id().parse().unwrap_or_default(),
            category: index,
            slug: cat.slug.clone(),
            campaign_name: render::campaign_name(words, c),
            shape: method.ballot_shape(),
            nominees,
        })
    }

    /// Whether the form can show this ballot: its nominees in one menu, its scores in one menu.
    pub(super) fn fits(&self) -> bool {
        self.nominees.len() <= MAX_NOMINEES
            && !matches!(self.shape, BallotShape::Score { max } if max as usize >= MAX_NOMINEES)
    }

    /// Why there is no form for this ballot, and how to vote instead.
    pub(super) fn too_big(&self, locales: &Locales, lang: Lang) -> String {
        locales.text(
            lang,
            "discord-ballot-too-big",
            &[
                ("category", arg(self.slug.clone())),
                ("id", arg(self.campaign.to_string())),
            ],
        )
    }

    fn custom_id(&self, draft: &Draft, action: &str) -> String {
        format!(
            "{PREFIX}{}:{}:{}:{}:{action}",
            self.campaign,
            self.category,
            self.nominees.len(),
            draft.encode()
        )
    }

    /// The form with `draft` filled in, at `page`; `said` (the answer to a cast) above it.
    pub(super) fn screen(
        &self,
        locales: &Locales,
        lang: Lang,
        draft: &Draft,
        page: usize,
        said: Option<&str>,
    ) -> Screen {
        let t = |id: &str, args: &Args<'_>| locales.text(lang, id, args);
        let count = self.nominees.len();
        let option = |i: usize, selected: bool| {
            CreateSelectMenuOption::new(self.nominees[i].1.clone(), i.to_string()).default_selection(selected)
        };
        let menu = |action: String, placeholder: String, options: Vec<CreateSelectMenuOption>, max: usize| {
            let menu = CreateSelectMenu::new(
                self.custom_id(draft, &action),
                CreateSelectMenuKind::String { options },
            )
            .placeholder(clip(&placeholder, MAX_LABEL))
            .min_values(0)
            .max_values(u8::try_from(max.clamp(1, MAX_NOMINEES)).unwrap_or(1));
            CreateActionRow::SelectMenu(menu)
        };
        let mut rows = Vec::new();
        // How many menus the pages hold: ranks up to the first one not chosen yet, or nominees.
        let mut shown = count;
        match (self.shape, draft) {
            (BallotShape::Ranked { .. }, Draft::Picks(picks)) => {
                shown = (picks.len() + 1).min(count);
                let page = page.min(shown.saturating_sub(1) / PER_PAGE);
                for k in page * PER_PAGE..(page * PER_PAGE + PER_PAGE).min(shown) {
                    let options = (0..count)
                        .filter(|i| picks.get(k) == Some(i) || !picks.contains(i))
                        .map(|i| option(i, picks.get(k) == Some(&i)))
                        .collect();
                    let rank = t("discord-ballot-rank", &[("rank", (k + 1).into())]);
                    rows.push(menu(format!("r{k}"), rank, options, 1));
                }
            }
            (BallotShape::Single, Draft::Picks(picks)) => {
                let options = (0..count).map(|i| option(i, picks.contains(&i))).collect();
                rows.push(menu("o".into(), t("discord-ballot-choose", &[]), options, 1));
            }
            (BallotShape::Approval { max }, Draft::Picks(picks)) => {
                let options = (0..count).map(|i| option(i, picks.contains(&i))).collect();
                let max = max.map_or(count, |m| (m as usize).min(count));
                rows.push(menu("a".into(), t("discord-ballot-approve", &[]), options, max));
            }
            (BallotShape::Score { max }, Draft::Scores(scores)) => {
                let page = page.min(count.saturating_sub(1) / PER_PAGE);
                let on_page = self.nominees.iter().zip(scores).enumerate();
                for (i, ((_, nominee), score)) in on_page.skip(page * PER_PAGE).take(PER_PAGE) {
                    let options = (0..=max)
                        .map(|s| {
                            CreateSelectMenuOption::new(s.to_string(), s.to_string())
                                .default_selection(*score == Some(s))
                        })
                        .collect();
                    let label = t("discord-ballot-score-for", &[("nominee", arg(nominee.clone()))]);
                    rows.push(menu(format!("s{i}"), label, options, 1));
                }
            }
            _ => {}
        }
        let page = page.min(shown.saturating_sub(1) / PER_PAGE);
        let mut buttons = Vec::new();
        if page > 0 {
            let earlier = CreateButton::new(self.custom_id(draft, &format!("p{}", page - 1)))
                .label(t("discord-ballot-earlier", &[]))
                .style(ButtonStyle::Secondary);
            buttons.push(earlier);
        }
        if (page + 1) * PER_PAGE < shown {
            let later = CreateButton::new(self.custom_id(draft, &format!("p{}", page + 1)))
                .label(t("discord-ballot-later", &[]))
                .style(ButtonStyle::Secondary);
            buttons.push(later);
        }
        buttons.push(
            CreateButton::new(self.custom_id(draft, "x"))
                .label(t("discord-ballot-clear", &[]))
                .style(ButtonStyle::Secondary)
                .disabled(draft.is_empty()),
        );
        buttons.push(
            CreateButton::new(self.custom_id(draft, "cast"))
                .label(t("discord-ballot-cast", &[]))
                .style(ButtonStyle::Success)
                .disabled(draft.is_empty()),
        );
        rows.push(CreateActionRow::Buttons(buttons));
        let how = match self.shape {
            BallotShape::Ranked { .. } => t("discord-ballot-how-ranked", &[]),
            BallotShape::Single => t("discord-ballot-how-single", &[]),
            BallotShape::Approval { max } => t(
                "discord-ballot-how-approval",
                &[("max", max.map_or(0, |m| m as usize).min(count).into())],
            ),
            BallotShape::Score { max } => t("discord-ballot-how-score", &[("max", max.into())]),
        };
        let mut content = match said {
            Some(said) => format!("{said}\n\n"),
            None => String::new(),
        };
        content.push_str(&t(
            "discord-ballot-intro",
            &[
                ("category", arg(self.slug.clone())),
                ("campaign", arg(self.campaign_name.clone())),
                ("how", arg(how)),
            ],
        ));
        content.push('\n');
        content.push_str(&self.so_far(locales, lang, draft));
        Screen {
            content: clip(&content, MAX_CONTENT),
            rows,
        }
    }

    /// The draft in words, for the voter: the ranks and scores on other pages are not in sight.
    fn so_far(&self, locales: &Locales, lang: Lang, draft: &Draft) -> String {
        let label = |i: usize| {
            self.nominees
                .get(i)
                .map_or_else(String::new, |(_, name)| clip(name, 40))
        };
        let parts: Vec<String> = match draft {
            Draft::Picks(picks) if matches!(self.shape, BallotShape::Ranked { .. }) => picks
                .iter()
                .enumerate()
                .map(|(k, i)| format!("{}. {}", k + 1, label(*i)))
                .collect(),
            Draft::Picks(picks) => picks.iter().map(|i| label(*i)).collect(),
            Draft::Scores(scores) => scores
                .iter()
                .enumerate()
                .filter_map(|(i, s)| Some(format!("{} = {}", label(i), (*s)?)))
                .collect(),
        };
        if parts.is_empty() {
            locales.text(lang, "discord-ballot-nothing-yet", &[])
        } else {
            locales.text(
                lang,
                "discord-ballot-so-far",
                &[("choices", arg(parts.join(" · ")))],
            )
        }
    }
}

/// `text` within `max` characters, with an ellipsis when cut.
pub(super) fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use Locales;

    const RANKED: BallotShape = BallotShape::Ranked { equal_ranks: false };

    fn paper(shape: BallotShape, count: usize) -> Paper {
        Paper {
            campaign: 7,
            category: 0,
            slug: "champion".into(),
            campaign_name: "Awards (campaign 7)".into(),
            shape,
            nominees: (1..=count as u32)
                .map(|n| (NominationId(n), format!("#{n} Nominee {n}")))
                .collect(),
        }
    }

    fn json_rows(screen: &Screen) -> Vec<Value> {
        screen
            .rows
            .iter()
            .map(|r| serde_json::to_value(r).expect("a row serialises"))
            .collect()
    }

    fn values(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn custom_ids_are_read_strictly_or_not_at_all() {
        assert_eq!(
            Route::read("ballot:7:0:3:21:r2"),
            Some(Route::Ballot {
                key: Key {
                    campaign: 7,
                    category: 0,
                    count: 3
                },
                draft: "21",
                action: Step::Rank(2)
            })
        );
        assert_eq!(Route::read("ballot:7:cat"), Some(Route::Category { campaign: 7 }));
        for bad in [
            "",
            "ballot:",
            "ballot:7",
            "ballot:0:cat",
            "ballot:+7:cat",
            "ballot:7:0:3::r3",
            "ballot:7:0:3::s9",
            "ballot:7:0:3::p1",
            "ballot:7:0:0::o",
            "ballot:7:0:26::o",
            "ballot:7:0:3::zap",
            "ballot:7:0:3::r",
            "ballot:7:0:3::r-1",
            "ballot:7:0:3::cast:more",
            "ballot:99999999999:0:3::o",
            "ballot:é:0:3::o",
            "window:claim:w-1",
        ] {
            assert_eq!(Route::read(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn drafts_read_back_only_when_a_form_of_this_ballot_could_hold_them() {
        let score = BallotShape::Score { max: 5 };
        assert_eq!(Draft::decode("20", RANKED, 3), Some(Draft::Picks(vec![2, 0])));
        assert_eq!(
            Draft::decode("5-0", score, 3),
            Some(Draft::Scores(vec![Some(5), None, Some(0)]))
        );
        for (raw, shape) in [
            ("22", RANKED),
            ("3", RANKED),
            ("0123", RANKED),
            ("01", BallotShape::Single),
            ("6--", score),
            ("5-", score),
            ("é", RANKED),
        ] {
            assert_eq!(Draft::decode(raw, shape, 3), None, "{raw:?}");
        }
        let draft = Draft::Scores(vec![Some(5), None, Some(0)]);
        assert_eq!(Draft::decode(&draft.encode(), score, 3), Some(draft));
    }

    #[test]
    fn a_ranking_is_chosen_changed_and_cleared_rank_by_rank() {
        let empty = Draft::empty(RANKED, 5);
        let (d, _) = empty.after(Step::Rank(0), &values(&["2"]), RANKED, 5).unwrap();
        let (d, _) = d.after(Step::Rank(1), &values(&["0"]), RANKED, 5).unwrap();
        assert_eq!(d, Draft::Picks(vec![2, 0]));
        // A nominee chosen at another rank swaps places with the one it replaces.
        let (swapped, _) = d.after(Step::Rank(0), &values(&["0"]), RANKED, 5).unwrap();
        assert_eq!(swapped, Draft::Picks(vec![0, 2]));
        let (cleared, _) = d.after(Step::Rank(0), &[], RANKED, 5).unwrap();
        assert_eq!(cleared, Draft::Picks(vec![0]));
        // A rank beyond the first one not chosen, or a nominee not on the ballot: not this form's.
        assert_eq!(d.after(Step::Rank(3), &values(&["1"]), RANKED, 5), None);
        assert_eq!(d.after(Step::Rank(2), &values(&["5"]), RANKED, 5), None);
        assert_eq!(d.after(Step::Rank(2), &values(&["1", "3"]), RANKED, 5), None);
        assert_eq!(d.after(Step::Score(0), &values(&["1"]), RANKED, 5), None);
        let nominees = paper(RANKED, 5).nominees;
        assert_eq!(d.marks(RANKED, &nominees).as_deref(), Some("#3 > #1"));
        assert_eq!(empty.marks(RANKED, &nominees), None);
    }

    #[test]
    fn approvals_scores_and_single_choices_are_typed_as_their_methods_read_them() {
        let approval = BallotShape::Approval { max: None };
        let (d, _) = Draft::empty(approval, 3)
            .after(Step::Approve, &values(&["2", "0", "2"]), approval, 3)
            .unwrap();
        assert_eq!(
            d.marks(approval, &paper(approval, 3).nominees).as_deref(),
            Some("#1 #3")
        );
        let score = BallotShape::Score { max: 5 };
        let (d, page) = Draft::empty(score, 6)
            .after(Step::Score(5), &values(&["4"]), score, 6)
            .unwrap();
        assert_eq!(page, 1);
        assert_eq!(d.marks(score, &paper(score, 6).nominees).as_deref(), Some("#6=4"));
        // Scores are not nominees: 5 is a score here even with two nominees.
        let (two, _) = Draft::empty(score, 2)
            .after(Step::Score(0), &values(&["5"]), score, 2)
            .unwrap();
        assert_eq!(two, Draft::Scores(vec![Some(5), None]));
        assert_eq!(d.after(Step::Score(1), &values(&["6"]), score, 6), None);
        let single = BallotShape::Single;
        let (d, _) = Draft::empty(single, 3)
            .after(Step::One, &values(&["1"]), single, 3)
            .unwrap();
        assert_eq!(d.marks(single, &paper(single, 3).nominees).as_deref(), Some("#2"));
        assert_eq!(d.after(Step::One, &values(&["0", "1"]), single, 3), None);
    }

    #[test]
    fn forms_fit_discord_whatever_the_number_of_nominees() {
        let locales = Locales::new();
        let ballot = paper(RANKED, 25);
        let picks: Vec<usize> = (0..9).collect();
        let screen = ballot.screen(&locales, Lang::En, &Draft::Picks(picks.clone()), 2, None);
        let rows = json_rows(&screen);
        assert!(rows.len() <= 5);
        // Page 3 holds the 9th and the 10th choices (the first not chosen yet).
        assert_eq!(rows.len(), 3, "{rows:#?}");
        assert_eq!(rows[0]["components"][0]["placeholder"], "9th choice");
        assert_eq!(
            rows[1]["components"][0]["custom_id"],
            "ballot:7:0:25:012345678:r9"
        );
        assert!(screen.content.contains("1. #1 Nominee 1"), "{}", screen.content);
        for row in &rows {
            for c in row["components"].as_array().unwrap() {
                assert!(c["custom_id"].as_str().unwrap().len() <= 100);
                assert!(
                    c["options"]
                        .as_array()
                        .is_none_or(|o| (1..=25).contains(&o.len()))
                );
            }
        }
        let buttons = rows[2]["components"].as_array().unwrap();
        assert_eq!(buttons.len(), 3, "earlier, start over, cast: {buttons:#?}");
        let score = paper(BallotShape::Score { max: 10 }, 9);
        let screen = score.screen(&locales, Lang::Fr, &Draft::empty(score.shape, 9), 2, None);
        let rows = json_rows(&screen);
        assert_eq!(rows.len(), 2, "the 9th nominee alone on page 3: {rows:#?}");
        assert_eq!(rows[0]["components"][0]["options"].as_array().unwrap().len(), 11);
        assert_eq!(rows[1]["components"][2]["disabled"], true, "nothing to cast yet");
    }

    #[test]
    fn no_custom_id_or_value_makes_the_form_panic_or_overflow_discord() {
        let locales = Locales::new();
        let shapes = [
            RANKED,
            BallotShape::Single,
            BallotShape::Approval { max: Some(2) },
            BallotShape::Score { max: 24 },
        ];
        let drafts = [
            "",
            "0",
            "10",
            "-",
            "--",
            "o",
            "00",
            "z",
            "\u{0}",
            "é",
            "-5-",
            "0123456789",
        ];
        let actions = [
            "r0", "r9", "o", "a", "s0", "s2", "p0", "p1", "x", "cast", "", "r", "s99999",
        ];
        let menu_values: [&[&str]; 6] = [&[], &["0"], &["2", "1"], &["24"], &["-1"], &["99999999999999"]];
        for count in [1usize, 2, 3, 9, 25] {
            for raw in drafts {
                for action in actions {
                    let id = format!("ballot:1:0:{count}:{raw}:{action}");
                    let Some(Route::Ballot { key, draft, action }) = Route::read(&id) else {
                        continue;
                    };
                    for shape in shapes {
                        let ballot = paper(shape, key.count);
                        let Some(draft) = Draft::decode(draft, shape, key.count) else {
                            continue;
                        };
                        for v in menu_values {
                            let Some((next, page)) = draft.after(action, &values(v), shape, key.count) else {
                                continue;
                            };
                            let screen = ballot.screen(&locales, Lang::Es, &next, page, Some("ok"));
                            assert!(screen.rows.len() <= 5, "{id} {v:?}");
                            assert!(screen.content.chars().count() <= MAX_CONTENT);
                            let _ = next.marks(shape, &ballot.nominees);
                        }
                    }
                }
            }
        }
    }
}
