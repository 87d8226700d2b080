//! Award results as a picture: one horizontal bar per candidate, longest for the highest value,
//! the elected ones in a colour of their own, each with its label on the left and its value
//! written after the bar. [`results_png`] gives the PNG bytes a platform posts next to the text
//! of the results.
//!
//! Text is drawn with DejaVu Sans, compiled into the binary (its licence is beside it in
//! `bot/assets/fonts/`), so a chart looks the same on every machine and needs no system font.
//! Names are normalised (NFC) so that accents typed as combining marks draw as one letter;
//! scripts that need shaping (Arabic, Indic) are drawn letter by letter, and a character the font
//! lacks shows as its empty box. Pixels are plain RGB rows; PNG encoding is the `png` crate's.
//!
//! Nothing in a chart's input can make it panic: long texts are cut with an ellipsis, control
//! characters become spaces, and a value that is negative, zero or not a number draws no bar
//! (its written value is still shown). A chart with no bar, or more than [`MAX_BARS`], is an
//! error with one sentence.

use ab_glyph::{Font, FontRef, GlyphId, PxScale, ScaleFont, point};
use anyhow::Context;
use unicode_normalization::UnicodeNormalization;

/// The most bars one chart draws: beyond this a picture is no longer readable in a chat room
/// (and its pixels would take tens of megabytes).
pub const MAX_BARS: usize = 250;

/// The colour of an elected candidate's bar.
pub const ELECTED: [u8; 3] = [0x1a, 0x7f, 0x37];
/// The colour of every other bar.
pub const OTHER: [u8; 3] = [0x9a, 0xb0, 0xc8];
/// The background.
pub const BACKGROUND: [u8; 3] = [0xff, 0xff, 0xff];
/// The colour of titles, labels and values.
pub const INK: [u8; 3] = [0x1f, 0x23, 0x28];
/// The colour of the note under the title.
const MUTED: [u8; 3] = [0x57, 0x60, 0x6a];
/// The zero line the bars start from.
const AXIS: [u8; 3] = [0xb0, 0xb7, 0xbf];

/// The width of every chart, in pixels.
pub const WIDTH: u32 = 900;
const MARGIN: u32 = 24;
/// The height of one bar's row, and of the bar inside it.
pub const ROW: u32 = 30;
pub const BAR_HEIGHT: u32 = 20;
const TITLE_SIZE: f32 = 24.0;
const NOTE_SIZE: f32 = 15.0;
const TEXT_SIZE: f32 = 16.0;
/// Space between a label and the zero line, and between a bar's end and its value.
const GAP: u32 = 10;
/// The widest a label column or a value column may be, as parts of the width.
const LABEL_SHARE: f32 = 0.35;
const VALUE_SHARE: f32 = 0.22;

const FONT: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
const ELLIPSIS: char = '…';

/// One candidate in a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// The name shown on the left (any Unicode text; cut with an ellipsis when too long).
    pub label: String,
    /// What the bar's length is proportional to (for ranked methods, the final-round value).
    pub value: f64,
    /// The value as written after the bar (`12 votes`, `1 234.5`), in the caller's language.
    pub shown: String,
    /// Elected candidates are drawn in [`ELECTED`].
    pub elected: bool,
}

/// Draws a results chart and encodes it as PNG: `title` on top, `note` (method, ballots, date)
/// under it, then one bar per item of `bars`, in the order given.
pub fn results_png(title: &str, note: &str, bars: &[Bar]) -> anyhow::Result<Vec<u8>> {
    if bars.is_empty() {
        anyhow::bail!("a results chart needs at least one bar, and this one has none");
    }
    if bars.len() > MAX_BARS {
        anyhow::bail!(
            "a results chart has at most {MAX_BARS} bars, and this one has {}; chart the leading {MAX_BARS}",
            bars.len()
        );
    }
    let font = FontRef::try_from_slice(FONT).context("the bundled chart font cannot be read")?;
    let text = Text { font: &font };
    let layout = Layout::new(&text, title, note, bars);
    let mut canvas = Canvas::new(WIDTH, layout.height);

    let mut y = MARGIN as f32;
    for (line, size, colour) in [(&layout.title, TITLE_SIZE, INK), (&layout.note, NOTE_SIZE, MUTED)] {
        if !line.is_empty() {
            text.draw(&mut canvas, line, size, MARGIN as f32, y, colour);
            y += line_height(size);
        }
    }
    let top = layout.bars_top;
    let bottom = top + ROW * bars.len() as u32;
    canvas.fill(layout.zero.saturating_sub(1), top, 1, bottom - top, AXIS);
    for (i, (bar, row)) in bars.iter().zip(&layout.rows).enumerate() {
        let row_top = top + ROW * i as u32;
        let bar_top = row_top + (ROW - BAR_HEIGHT) / 2;
        let colour = if bar.elected { ELECTED } else { OTHER };
        canvas.fill(layout.zero, bar_top, row.length, BAR_HEIGHT, colour);
        let baseline_top = row_top as f32 + (ROW as f32 - line_height(TEXT_SIZE)) / 2.0;
        let label_x = layout.zero as f32 - GAP as f32 - row.label_width;
        text.draw(&mut canvas, &row.label, TEXT_SIZE, label_x, baseline_top, INK);
        let value_x = (layout.zero + row.length + GAP) as f32;
        text.draw(&mut canvas, &row.shown, TEXT_SIZE, value_x, baseline_top, INK);
    }
    canvas.png()
}

/// The width and height of a PNG, read from its header; `None` when `png` is not a PNG.
pub fn png_size(png: &[u8]) -> Option<(u32, u32)> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    if png.get(..8)? != SIGNATURE || png.get(12..16)? != b"IHDR" {
        return None;
    }
    let word = |at: usize| Some(u32::from_be_bytes(png.get(at..at + 4)?.try_into().ok()?));
    Some((word(16)?, word(20)?))
}

/// Where everything goes, measured before anything is drawn.
struct Layout {
    title: String,
    note: String,
    rows: Vec<Row>,
    /// The image's height.
    height: u32,
    /// The y of the first bar row.
    bars_top: u32,
    /// The x where bars start.
    zero: u32,
}

struct Row {
    label: String,
    label_width: f32,
    shown: String,
    /// The bar's length in pixels.
    length: u32,
}

impl Layout {
    fn new(text: &Text<'_>, title: &str, note: &str, bars: &[Bar]) -> Self {
        let inner = (WIDTH - 2 * MARGIN) as f32;
        let title = text.fit(&clean(title), TITLE_SIZE, inner);
        let note = text.fit(&clean(note), NOTE_SIZE, inner);
        let label_max = inner * LABEL_SHARE;
        let value_max = inner * VALUE_SHARE;
        let mut rows: Vec<Row> = bars
            .iter()
            .map(|bar| {
                let label = text.fit(&clean(&bar.label), TEXT_SIZE, label_max);
                let label_width = text.width(&label, TEXT_SIZE);
                let shown = text.fit(&clean(&bar.shown), TEXT_SIZE, value_max);
                Row {
                    label,
                    label_width,
                    shown,
                    length: 0,
                }
            })
            .collect();
        let label_column = rows.iter().map(|r| r.label_width).fold(0.0, f32::max).ceil() as u32;
        let value_column = rows
            .iter()
            .map(|r| text.width(&r.shown, TEXT_SIZE))
            .fold(0.0, f32::max)
            .ceil() as u32;
        let zero = MARGIN + label_column + GAP;
        // Both columns are capped well below the width, so the bars always keep room.
        let longest = (WIDTH - MARGIN).saturating_sub(value_column + GAP + zero);
        let max = bars.iter().map(|b| drawn_value(b.value)).fold(0.0, f64::max);
        for (row, bar) in rows.iter_mut().zip(bars) {
            row.length = if max > 0.0 {
                (drawn_value(bar.value) / max * f64::from(longest)).round() as u32
            } else {
                0
            };
        }
        let mut header = MARGIN as f32;
        for (line, size) in [(&title, TITLE_SIZE), (&note, NOTE_SIZE)] {
            if !line.is_empty() {
                header += line_height(size);
            }
        }
        let bars_top = header.ceil() as u32 + GAP;
        let height = bars_top + ROW * bars.len() as u32 + MARGIN;
        Self {
            title,
            note,
            rows,
            height,
            bars_top,
            zero,
        }
    }
}

/// What a bar's length is drawn from: values that cannot be a length draw none.
fn drawn_value(value: f64) -> f64 {
    if value.is_finite() && value > 0.0 {
        value
    } else {
        0.0
    }
}

fn line_height(size: f32) -> f32 {
    (size * 1.4).ceil()
}

/// `text` ready to draw: composed accents, and control characters (new lines, tabs) as spaces.
fn clean(text: &str) -> String {
    text.nfc()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Text measured and drawn with the bundled font.
struct Text<'f> {
    font: &'f FontRef<'f>,
}

impl Text<'_> {
    /// The glyphs of `text` with their x offsets from the start, and the total advance.
    fn glyphs(&self, text: &str, size: f32) -> (Vec<(GlyphId, f32)>, f32) {
        let scaled = self.font.as_scaled(PxScale::from(size));
        let mut x = 0.0;
        let mut previous: Option<GlyphId> = None;
        let mut out = Vec::with_capacity(text.len());
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(previous) = previous {
                x += scaled.kern(previous, id);
            }
            out.push((id, x));
            x += scaled.h_advance(id);
            previous = Some(id);
        }
        (out, x)
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        self.glyphs(text, size).1
    }

    /// `text`, cut at the end with an ellipsis so that it is at most `max` pixels wide.
    fn fit(&self, text: &str, size: f32, max: f32) -> String {
        if self.width(text, size) <= max {
            return text.to_owned();
        }
        let room = max - self.width(&ELLIPSIS.to_string(), size);
        let (glyphs, _) = self.glyphs(text, size);
        let scaled = self.font.as_scaled(PxScale::from(size));
        let kept = text
            .char_indices()
            .zip(&glyphs)
            .take_while(|(_, (id, x))| x + scaled.h_advance(*id) <= room)
            .last()
            .map(|((at, c), _)| at + c.len_utf8())
            .unwrap_or(0);
        let mut cut = text[..kept].trim_end().to_owned();
        cut.push(ELLIPSIS);
        cut
    }

    /// Draws `text` with its top-left corner at (`x`, `top`).
    fn draw(&self, canvas: &mut Canvas, text: &str, size: f32, x: f32, top: f32, colour: [u8; 3]) {
        let scale = PxScale::from(size);
        let scaled = self.font.as_scaled(scale);
        let baseline = top + (line_height(size) - scaled.height()) / 2.0 + scaled.ascent();
        let (glyphs, _) = self.glyphs(text, size);
        for (id, dx) in glyphs {
            let glyph = id.with_scale_and_position(scale, point(x + dx, baseline));
            let Some(outline) = self.font.outline_glyph(glyph) else {
                continue; // a space
            };
            let bounds = outline.px_bounds();
            outline.draw(|gx, gy, coverage| {
                let px = bounds.min.x as i64 + i64::from(gx);
                let py = bounds.min.y as i64 + i64::from(gy);
                canvas.blend(px, py, colour, coverage);
            });
        }
    }
}

/// RGB pixels, row by row.
struct Canvas {
    width: u32,
    height: u32,
    pixels: Vec<u8>,
}

impl Canvas {
    fn new(width: u32, height: u32) -> Self {
        let pixels = BACKGROUND
            .iter()
            .copied()
            .cycle()
            .take(width as usize * height as usize * 3)
            .collect();
        Self {
            width,
            height,
            pixels,
        }
    }

    fn fill(&mut self, x: u32, y: u32, w: u32, h: u32, colour: [u8; 3]) {
        let x_end = x.saturating_add(w).min(self.width);
        let y_end = y.saturating_add(h).min(self.height);
        for row in y.min(y_end)..y_end {
            let start = (row as usize * self.width as usize + x.min(x_end) as usize) * 3;
            let end = (row as usize * self.width as usize + x_end as usize) * 3;
            for pixel in self.pixels[start..end].chunks_exact_mut(3) {
                pixel.copy_from_slice(&colour);
            }
        }
    }

    /// Mixes `colour` into the pixel at (`x`, `y`) by `coverage` (0 to 1); outside is ignored.
    fn blend(&mut self, x: i64, y: i64, colour: [u8; 3], coverage: f32) {
        if x < 0 || y < 0 || x >= i64::from(self.width) || y >= i64::from(self.height) {
            return;
        }
        let at = (y as usize * self.width as usize + x as usize) * 3;
        let c = coverage.clamp(0.0, 1.0);
        for (channel, ink) in self.pixels[at..at + 3].iter_mut().zip(colour) {
            *channel = (f32::from(*channel) * (1.0 - c) + f32::from(ink) * c).round() as u8;
        }
    }

    fn png(&self) -> anyhow::Result<Vec<u8>> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, self.width, self.height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Fast);
        let mut writer = encoder
            .write_header()
            .context("the chart's PNG header cannot be written")?;
        writer
            .write_image_data(&self.pixels)
            .context("the chart's pixels cannot be encoded as PNG")?;
        writer.finish().context("the chart's PNG cannot be finished")?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text() -> Text<'static> {
        static FONT_REF: std::sync::OnceLock<FontRef<'static>> = std::sync::OnceLock::new();
        Text {
            font: FONT_REF.get_or_init(|| FontRef::try_from_slice(FONT).expect("the bundled font")),
        }
    }

    #[test]
    fn a_long_text_is_cut_with_an_ellipsis_to_fit() {
        let t = text();
        let long = "Organisation internationale de la Francophonie ".repeat(10);
        let fitted = t.fit(&long, TEXT_SIZE, 200.0);
        assert!(fitted.ends_with(ELLIPSIS), "{fitted}");
        assert!(t.width(&fitted, TEXT_SIZE) <= 200.0);
        assert!(long.starts_with(fitted.trim_end_matches(ELLIPSIS)));
        assert_eq!(t.fit("Kenya", TEXT_SIZE, 200.0), "Kenya");
    }

    #[test]
    fn a_text_too_wide_for_even_one_letter_is_an_ellipsis() {
        assert_eq!(text().fit("Wwwww", TEXT_SIZE, 1.0), ELLIPSIS.to_string());
    }

    #[test]
    fn combining_accents_are_composed_and_control_characters_become_spaces() {
        assert_eq!(clean("Jose\u{301}\tGarci\u{301}a\n"), "José García");
    }

    #[test]
    fn values_that_cannot_be_a_length_draw_no_bar() {
        for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -3.0, 0.0] {
            assert_eq!(drawn_value(v), 0.0, "{v}");
        }
        assert_eq!(drawn_value(2.5), 2.5);
    }

    #[test]
    fn the_size_is_read_from_a_png_header_and_anything_else_has_none() {
        let png = results_png(
            "t",
            "",
            &[Bar {
                label: "a".into(),
                value: 1.0,
                shown: "1".into(),
                elected: true,
            }],
        )
        .expect("a chart");
        let (w, h) = png_size(&png).expect("a PNG");
        assert_eq!(w, WIDTH);
        assert!(h > ROW);
        assert_eq!(png_size(b"GIF89a"), None);
        assert_eq!(png_size(&png[..20]), None);
    }
}
