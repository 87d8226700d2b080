//! Results charts, looked at as a person would: decoded by an independent PNG decoder
//! (zune-png, not the encoder's own crate) and measured pixel by pixel.

use std::io::Cursor;

use proptest::prelude::*;
use vigie::chart::{
    BACKGROUND, BAR_HEIGHT, Bar, ELECTED, MAX_BARS, OTHER, ROW, WIDTH, png_size, results_png,
};
use zune_png::PngDecoder;
use zune_png::zune_core::colorspace::ColorSpace;

/// A decoded chart: RGB pixels, row by row.
pub struct Picture {
    pub width: usize,
    pub height: usize,
    pixels: Vec<u8>,
}

impl Picture {
    pub fn decode(png: &[u8]) -> Picture {
        let mut decoder = PngDecoder::new(Cursor::new(png));
        let pixels = decoder.decode_raw().expect("the chart decodes as a PNG");
        let (width, height) = decoder.dimensions().expect("the PNG has dimensions");
        assert_eq!(decoder.colorspace(), Some(ColorSpace::RGB));
        assert_eq!(pixels.len(), width * height * 3);
        Picture {
            width,
            height,
            pixels,
        }
    }

    fn at(&self, x: usize, y: usize) -> [u8; 3] {
        let i = (y * self.width + x) * 3;
        [self.pixels[i], self.pixels[i + 1], self.pixels[i + 2]]
    }

    fn count(&self, matches: impl Fn([u8; 3]) -> bool) -> usize {
        self.pixels
            .chunks_exact(3)
            .filter(|p| matches([p[0], p[1], p[2]]))
            .count()
    }

    /// Pixels dark enough to be text, within columns `xs`.
    fn ink_in(&self, xs: std::ops::Range<usize>) -> usize {
        (0..self.height)
            .flat_map(|y| xs.clone().map(move |x| (x, y)))
            .filter(|&(x, y)| is_ink(self.at(x, y)))
            .count()
    }

    /// The bars as drawn, top to bottom: for each, its first column, its length and its height
    /// in pixels, and its colour. A bar is a run of rows whose longest run of a bar colour
    /// is the same.
    fn bars(&self) -> Vec<Measured> {
        let mut bars: Vec<Measured> = Vec::new();
        let mut previous: Option<(usize, usize, [u8; 3])> = None;
        for y in 0..self.height {
            let run = self.longest_bar_run(y);
            match (run, previous) {
                (Some(r), Some(p)) if r == p => {
                    if let Some(last) = bars.last_mut() {
                        last.height += 1;
                    }
                }
                (Some((start, length, colour)), _) => bars.push(Measured {
                    start,
                    length,
                    height: 1,
                    colour,
                }),
                (None, _) => {}
            }
            previous = run;
        }
        bars
    }

    fn longest_bar_run(&self, y: usize) -> Option<(usize, usize, [u8; 3])> {
        let mut best: Option<(usize, usize, [u8; 3])> = None;
        let mut x = 0;
        while x < self.width {
            let colour = self.at(x, y);
            if colour != ELECTED && colour != OTHER {
                x += 1;
                continue;
            }
            let start = x;
            while x < self.width && self.at(x, y) == colour {
                x += 1;
            }
            let length = x - start;
            // Anti-aliased text never makes a run this long of one exact bar colour.
            if length >= 3 && best.is_none_or(|b| length > b.1) {
                best = Some((start, length, colour));
            }
        }
        best
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Measured {
    start: usize,
    length: usize,
    height: usize,
    colour: [u8; 3],
}

fn is_ink(p: [u8; 3]) -> bool {
    p.iter().all(|&c| c < 128)
}

fn bar(label: &str, value: f64, elected: bool) -> Bar {
    Bar {
        label: label.to_owned(),
        value,
        shown: format!("{value} votes"),
        elected,
    }
}

fn chart(bars: &[Bar]) -> Picture {
    let png = results_png("Open Government Champion 2026", "plurality · 120 ballots", bars).expect("a chart");
    let picture = Picture::decode(&png);
    assert_eq!(
        png_size(&png),
        Some((picture.width as u32, picture.height as u32)),
        "the size read from the header is the decoder's"
    );
    picture
}

#[test]
fn a_chart_is_a_png_of_the_fixed_width_one_row_taller_per_bar() {
    let three = chart(&[bar("a", 3.0, true), bar("b", 2.0, false), bar("c", 1.0, false)]);
    let five = chart(&[
        bar("a", 5.0, true),
        bar("b", 4.0, false),
        bar("c", 3.0, false),
        bar("d", 2.0, false),
        bar("e", 1.0, false),
    ]);
    assert_eq!(three.width, WIDTH as usize);
    assert_eq!(five.width, WIDTH as usize);
    assert_eq!(five.height - three.height, 2 * ROW as usize);
    assert_eq!(three.at(0, 0), BACKGROUND);
}

#[test]
fn elected_bars_are_in_the_highlight_colour_and_the_others_are_not() {
    let picture = chart(&[
        bar("Nairobi County", 40.0, true),
        bar("Makueni County", 30.0, false),
        bar("Elgeyo-Marakwet", 10.0, true),
    ]);
    let colours: Vec<[u8; 3]> = picture.bars().iter().map(|b| b.colour).collect();
    assert_eq!(colours, [ELECTED, OTHER, ELECTED]);

    let nobody = chart(&[bar("a", 4.0, false), bar("b", 2.0, false)]);
    assert_eq!(nobody.count(|p| p == ELECTED), 0, "no elected bar, no highlight");
    assert!(nobody.count(|p| p == OTHER) > 0);
}

#[test]
fn bar_lengths_are_proportional_to_the_values() {
    let values = [80.0, 60.0, 40.0, 20.0, 10.0, 1.0];
    let bars: Vec<Bar> = values.iter().map(|&v| bar("candidate", v, v > 50.0)).collect();
    let measured = chart(&bars).bars();
    assert_eq!(measured.len(), values.len(), "{measured:?}");
    let longest = measured[0].length as f64;
    assert!(longest > 300.0, "the longest bar uses the width: {longest} px");
    for (m, v) in measured.iter().zip(values) {
        let expected = longest * v / values[0];
        assert!(
            (m.length as f64 - expected).abs() <= 1.0,
            "a bar of {v} is {} px long, expected {expected:.1} px",
            m.length
        );
        assert_eq!(m.start, measured[0].start, "every bar starts at the zero line");
        assert_eq!(m.height, BAR_HEIGHT as usize);
    }
}

#[test]
fn values_that_are_zero_negative_or_not_numbers_draw_no_bar() {
    let picture = chart(&[
        bar("counted", 10.0, true),
        bar("zero", 0.0, false),
        bar("negative", -5.0, false),
        bar("nan", f64::NAN, false),
        bar("infinite", f64::INFINITY, false),
    ]);
    let measured = picture.bars();
    assert_eq!(
        measured.len(),
        1,
        "only the finite positive value has a bar: {measured:?}"
    );
    assert_eq!(measured[0].colour, ELECTED);
}

#[test]
fn all_values_zero_draw_a_chart_with_no_bars() {
    let picture = chart(&[bar("a", 0.0, false), bar("b", 0.0, false)]);
    assert!(picture.bars().is_empty());
    assert!(
        picture.ink_in(0..picture.width) > 0,
        "the title and labels are still there"
    );
}

#[test]
fn labels_and_values_are_drawn_as_text_left_and_right_of_the_bars() {
    let picture = chart(&[bar("Kenya", 10.0, true)]);
    let measured = picture.bars();
    let zero = measured[0].start;
    let end = zero + measured[0].length;
    assert!(picture.ink_in(0..zero) > 50, "the label is left of the bar");
    assert!(
        picture.ink_in(end..picture.width) > 50,
        "the value is right of the bar"
    );

    // Without any text, nothing is ink.
    let blank = results_png(
        "",
        "",
        &[Bar {
            label: String::new(),
            value: 1.0,
            shown: String::new(),
            elected: false,
        }],
    )
    .expect("a chart");
    assert_eq!(Picture::decode(&blank).ink_in(0..WIDTH as usize), 0);
}

#[test]
fn accented_letters_are_drawn_with_their_accents_whether_composed_or_not() {
    let ink = |label: &str| {
        let picture = chart(&[bar(label, 1.0, false)]);
        let zero = picture.bars()[0].start;
        picture.ink_in(0..zero)
    };
    let plain = ink("Jose Garcia");
    let composed = ink("José García");
    let decomposed = ink("Jose\u{301} Garci\u{301}a");
    assert!(composed > plain, "the accents add ink: {composed} vs {plain}");
    assert_eq!(
        composed, decomposed,
        "combining accents draw as the composed letters"
    );
}

#[test]
fn a_very_long_label_is_cut_and_the_bars_keep_their_room() {
    let long = "Ministère de la Fonction publique et de la Réforme administrative ".repeat(200);
    let picture = chart(&[
        Bar {
            label: long,
            value: 10.0,
            shown: "1 234 567 890 votes, counted twice by hand ".repeat(50),
            elected: true,
        },
        bar("short", 5.0, false),
    ]);
    let measured = picture.bars();
    assert_eq!(measured.len(), 2);
    assert!(measured[0].length > 250, "{measured:?}");
    let margin = picture.width - 12..picture.width;
    assert_eq!(picture.ink_in(margin), 0, "no text runs into the right margin");
}

#[test]
fn two_hundred_bars_make_one_tall_chart() {
    let bars: Vec<Bar> = (1..=200)
        .map(|i| bar(&format!("nominee {i}"), f64::from(401 - i), i <= 3))
        .collect();
    let picture = chart(&bars);
    let measured = picture.bars();
    assert_eq!(measured.len(), 200);
    assert!(measured.windows(2).all(|w| w[0].length >= w[1].length));
    assert_eq!(measured.iter().filter(|b| b.colour == ELECTED).count(), 3);
}

#[test]
fn no_bars_or_too_many_is_one_clear_sentence() {
    let none = results_png("t", "n", &[]).expect_err("no bars is an error");
    assert_eq!(
        none.to_string(),
        "a results chart needs at least one bar, and this one has none"
    );
    let bars: Vec<Bar> = (0..=MAX_BARS).map(|i| bar("x", i as f64, false)).collect();
    let many = results_png("t", "n", &bars).expect_err("too many bars is an error");
    assert!(
        many.to_string().contains(&format!("at most {MAX_BARS} bars")),
        "{many}"
    );
    assert!(many.to_string().contains(&format!("{}", MAX_BARS + 1)), "{many}");
}

fn any_value() -> impl Strategy<Value = f64> {
    prop_oneof![
        prop::num::f64::ANY,
        Just(0.0),
        Just(-1.0),
        Just(f64::NAN),
        Just(f64::MAX),
        Just(f64::MIN_POSITIVE),
        0.0..1e9f64,
    ]
}

fn any_bar() -> impl Strategy<Value = Bar> {
    (".{0,80}", any_value(), ".{0,40}", any::<bool>()).prop_map(|(label, value, shown, elected)| Bar {
        label,
        value,
        shown,
        elected,
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn any_labels_and_values_give_a_chart_that_decodes(
        title in ".{0,120}",
        note in ".{0,120}",
        bars in prop::collection::vec(any_bar(), 1..24),
    ) {
        let png = results_png(&title, &note, &bars).expect("a chart for any text and values");
        let picture = Picture::decode(&png);
        prop_assert_eq!(picture.width, WIDTH as usize);
        let drawn = picture.bars();
        prop_assert!(drawn.len() <= bars.len());
        prop_assert!(drawn.iter().all(|b| b.start + b.length <= picture.width));
    }
}
