//! The "Style Examples" table of OpenAPI 3.0.3 / 3.1.0, cell by cell in both directions, and
//! round trips of arbitrary text through every style.
//!
//! The cells are the table's as corrected in 3.0.4 / 3.1.1 where the older table was wrong:
//! `spaceDelimited` and `pipeDelimited` carry the parameter's name (`color=blue%20black%20brown`,
//! without which no server could find it), a non-exploded label list is comma-separated as RFC
//! 6570 says (`.blue,black,brown`, not `.blue.black.brown`), and the pipe-delimited object has its
//! `B`. Pipes and brackets are written unescaped, as 3.0.3 shows them (3.1.1 escapes them; both
//! are read).

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;
use ParamValue::{List, Object, Scalar};

/// Where a parameter travels, for rendering and reading it the way that location does.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Location {
    Query,
    Path,
    Header,
    Cookie,
}

fn render(location: Location, value: &ParamValue, encoding: Encoding) -> String {
    match location {
        Location::Query => query("color", value, encoding).join("&"),
        Location::Path => path("color", value, encoding).unwrap_or_default(),
        Location::Header => header(value, encoding).unwrap_or_default(),
        Location::Cookie => cookie("color", value, encoding).join("; "),
    }
}

fn read(location: Location, wire: &str, shape: Shape, encoding: Encoding) -> Result<ParamValue, ParamError> {
    match location {
        Location::Query => Pairs::query(wire).value("color", shape, encoding),
        Location::Path => read_path(wire, "color", shape, encoding),
        Location::Header => read_header(wire, "color", shape, encoding),
        Location::Cookie => Pairs::cookie(wire).value("color", shape, encoding),
    }
}

#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[allow(non_snake_case)]
struct Color {
    R: u8,
    G: u8,
    B: u8,
}

/// One row: style, explode, and the cells for an empty string, `"blue"`, `["blue", "black",
/// "brown"]` and `{"R": 100, "G": 200, "B": 150}` (`None`: n/a).
type Row = (Location, Style, bool, [Option<&'static str>; 4]);

const TABLE: [Row; 11] = [
    (Location::Path, Style::Matrix, false, [Some(";color"), Some(";color=blue"), Some(";color=blue,black,brown"), Some(";color=R,100,G,200,B,150")]),
    (Location::Path, Style::Matrix, true, [Some(";color"), Some(";color=blue"), Some(";color=blue;color=black;color=brown"), Some(";R=100;G=200;B=150")]),
    (Location::Path, Style::Label, false, [Some("."), Some(".blue"), Some(".blue,black,brown"), Some(".R,100,G,200,B,150")]),
    (Location::Path, Style::Label, true, [Some("."), Some(".blue"), Some(".blue.black.brown"), Some(".R=100.G=200.B=150")]),
    (Location::Query, Style::Form, false, [Some("color="), Some("color=blue"), Some("color=blue,black,brown"), Some("color=R,100,G,200,B,150")]),
    (Location::Query, Style::Form, true, [Some("color="), Some("color=blue"), Some("color=blue&color=black&color=brown"), Some("R=100&G=200&B=150")]),
    (Location::Path, Style::Simple, false, [None, Some("blue"), Some("blue,black,brown"), Some("R,100,G,200,B,150")]),
    (Location::Path, Style::Simple, true, [None, Some("blue"), Some("blue,black,brown"), Some("R=100,G=200,B=150")]),
    (Location::Query, Style::SpaceDelimited, false, [None, None, Some("color=blue%20black%20brown"), Some("color=R%20100%20G%20200%20B%20150")]),
    (Location::Query, Style::PipeDelimited, false, [None, None, Some("color=blue|black|brown"), Some("color=R|100|G|200|B|150")]),
    (Location::Query, Style::DeepObject, true, [None, None, None, Some("color[R]=100&color[G]=200&color[B]=150")]),
];

fn column_values() -> [(ParamValue, Shape); 4] {
    let object = ParamValue::of(&Color { R: 100, G: 200, B: 150 }).expect("an object");
    let array = ParamValue::of(&["blue", "black", "brown"]).expect("a list");
    [(Scalar(String::new()), Shape::Scalar), (Scalar("blue".into()), Shape::Scalar), (array, Shape::List), (object, Shape::Object)]
}

#[test]
fn every_cell_of_the_style_examples_is_rendered_exactly() {
    for (location, style, explode, cells) in TABLE {
        let encoding = Encoding::new(style, explode);
        for ((value, _), cell) in column_values().iter().zip(cells) {
            let Some(cell) = cell else { continue };
            assert_eq!(render(location, value, encoding), cell, "{style:?} explode={explode} {value:?}");
            if style == Style::Simple {
                assert_eq!(render(Location::Header, value, encoding), cell, "header {style:?} explode={explode} {value:?}");
            }
        }
    }
}

#[test]
fn every_cell_of_the_style_examples_reads_back_its_value() {
    for (location, style, explode, cells) in TABLE {
        let encoding = Encoding::new(style, explode);
        for ((value, shape), cell) in column_values().into_iter().zip(cells) {
            let Some(cell) = cell else { continue };
            assert_eq!(read(location, cell, shape, encoding).as_ref(), Ok(&value), "{style:?} explode={explode} `{cell}`");
            if style == Style::Simple {
                assert_eq!(read(Location::Header, cell, shape, encoding).as_ref(), Ok(&value), "header `{cell}`");
            }
            // And on to typed values, the way a server handler gets them.
            match shape {
                Shape::Object => assert_eq!(deserialize::<Color>(value), Ok(Color { R: 100, G: 200, B: 150 }), "`{cell}`"),
                Shape::List => assert_eq!(deserialize::<Vec<String>>(value), Ok(vec!["blue".into(), "black".into(), "brown".into()])),
                Shape::Scalar | Shape::ScalarOrList => {}
            }
        }
    }
}

#[test]
fn the_escaped_cells_of_openapi_3_1_1_read_the_same() {
    let pipes = Encoding::new(Style::PipeDelimited, false);
    let list = read(Location::Query, "color=blue%7Cblack%7Cbrown", Shape::List, pipes).expect("a list");
    assert_eq!(deserialize::<Vec<String>>(list), Ok(vec!["blue".into(), "black".into(), "brown".into()]));
    let deep = Encoding::new(Style::DeepObject, true);
    let object = read(Location::Query, "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150", Shape::Object, deep).expect("an object");
    assert_eq!(deserialize::<Color>(object), Ok(Color { R: 100, G: 200, B: 150 }));
}

/// Every location and encoding a parameter can have.
fn encodings() -> Vec<(Location, Encoding)> {
    let mut all = Vec::new();
    for explode in [false, true] {
        for style in [Style::Form, Style::SpaceDelimited, Style::PipeDelimited, Style::DeepObject] {
            all.push((Location::Query, Encoding::new(style, explode)));
        }
        for style in [Style::Simple, Style::Label, Style::Matrix] {
            all.push((Location::Path, Encoding::new(style, explode)));
        }
        all.push((Location::Header, Encoding::new(Style::Simple, explode)));
        all.push((Location::Cookie, Encoding::new(Style::Form, explode)));
    }
    all
}

/// Text that a location cannot carry unambiguously, made so: headers are not escaped (so no
/// delimiters, controls or non-ASCII, and no spaces at the ends, which HTTP trims), and the
/// space- and pipe-delimited styles cannot tell their delimiter inside an item from between items.
fn representable(location: Location, encoding: Encoding, text: &str) -> String {
    match (location, encoding.style, encoding.explode) {
        (Location::Header, ..) => text.chars().filter(|c| c.is_ascii_graphic() && !matches!(c, ',' | '=')).collect(),
        (_, Style::SpaceDelimited, false) => text.replace(' ', "_"),
        (_, Style::PipeDelimited, false) => text.replace('|', "_"),
        _ => text.to_owned(),
    }
}

/// Whether a style sends nothing at all for an empty list or object, which then reads as absent.
fn empty_is_absent(location: Location, encoding: Encoding) -> bool {
    match location {
        Location::Query => encoding.explode || encoding.style == Style::DeepObject,
        Location::Cookie => encoding.explode,
        Location::Path => encoding.explode && encoding.style == Style::Matrix,
        Location::Header => false,
    }
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), "[ a-z0-9%+&=;,.|#?/:@!$'()*~\"\\\\\\[\\]é漢🎨-]{0,10}"]
}

proptest! {
    #[test]
    fn scalars_round_trip_in_every_style(raw in text()) {
        for (location, encoding) in encodings() {
            let text = match location {
                Location::Header => raw.chars().filter(|c| c.is_ascii_graphic() || *c == ' ').collect::<String>().trim().to_owned(),
                _ => raw.clone(),
            };
            let wire = render(location, &Scalar(text.clone()), encoding);
            prop_assert_eq!(read(location, &wire, Shape::Scalar, encoding), Ok(Scalar(text.clone())), "{:?} {:?} `{}`", location, encoding, wire);
        }
    }

    #[test]
    fn lists_round_trip_in_every_style(raw in prop::collection::vec(text(), 0..4)) {
        for (location, encoding) in encodings() {
            let items: Vec<String> = raw.iter().map(|t| representable(location, encoding, t)).collect();
            // One empty item and no items are the same text in the delimited styles.
            if items == [""] || (items.is_empty() && empty_is_absent(location, encoding)) {
                continue;
            }
            let value = List(items.into_iter().map(Scalar).collect());
            let wire = render(location, &value, encoding);
            prop_assert_eq!(read(location, &wire, Shape::List, encoding), Ok(value.clone()), "{:?} {:?} `{}`", location, encoding, wire);
        }
    }

    #[test]
    fn objects_round_trip_in_every_style(raw in prop::collection::btree_map(text(), text(), 0..4)) {
        for (location, encoding) in encodings() {
            let entries: BTreeMap<String, String> = raw.iter().map(|(k, v)| (representable(location, encoding, k), representable(location, encoding, v))).collect();
            // `color[]` is a list's item, not a property with an empty name.
            if (entries.is_empty() && empty_is_absent(location, encoding)) || (encoding.style == Style::DeepObject && entries.contains_key("")) {
                continue;
            }
            let value = Object(entries.into_iter().map(|(k, v)| (k, Scalar(v))).collect());
            let wire = render(location, &value, encoding);
            prop_assert_eq!(read(location, &wire, Shape::Object, encoding), Ok(value.clone()), "{:?} {:?} `{}`", location, encoding, wire);
        }
    }
}
