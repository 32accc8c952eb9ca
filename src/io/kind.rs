//! What kind of file this is, told from its content: the one sniffer the window and
//! every command use, so a file is judged the same everywhere and a command given the
//! wrong kind says what it got and which command takes it.

use super::json::{GENOME_FORMAT, NET_FORMAT};
use serde::Deserialize;
use serde::de::IgnoredAny;

/// The session file's `format` (`breed::file` writes it).
pub const SESSION_FORMAT: &str = "picbreeder-session";
/// The FER scorecard's `format` (`measure::format` writes it).
pub const SCORECARD_FORMAT: &str = "picbreeder-scorecard";
/// An experiment result's `format` (`experiment::jobs` writes it).
pub const EXPERIMENT_FORMAT: &str = "picbreeder-experiment";

/// A file's kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Picbreeder XML, a zip of it, or native genome JSON.
    Genome,
    /// A trained network: native JSON or the paper's.
    Net,
    Session,
    Scorecard,
    Experiment,
    Png,
    /// A GIF animation (one this program wrote carries its genome).
    Gif,
    /// JSON with a `format` this program does not know.
    OtherFormat(String),
    /// JSON without a `format` that is not a paper network.
    UntaggedJson,
    /// Not JSON, XML, zip, PNG or GIF (or JSON that does not parse).
    Unrecognised,
}

impl Kind {
    /// The kind as a sentence names it: "a session".
    pub fn name(&self) -> String {
        match self {
            Kind::Genome => "a genome".into(),
            Kind::Net => "a trained network".into(),
            Kind::Session => "a breeding session".into(),
            Kind::Scorecard => "a FER scorecard".into(),
            Kind::Experiment => "an experiment result".into(),
            Kind::Png => "a PNG picture".into(),
            Kind::Gif => "a GIF animation".into(),
            Kind::OtherFormat(f) => format!("a '{f}' file"),
            Kind::UntaggedJson => "JSON without a 'format' field".into(),
            Kind::Unrecognised => "not a file this program reads".into(),
        }
    }

    /// The commands that take this kind of file.
    pub fn taken_by(&self) -> &'static str {
        match self {
            Kind::Genome => "use `picbreeder render`, `info`, `gallery`, `train` or `breed --from`",
            Kind::Net => "use `picbreeder render`, `info`, `gallery`, `sweep` or `measure`",
            Kind::Session => "use `picbreeder session`, `breed` or `open`",
            Kind::Scorecard => "it is what `picbreeder measure --json` writes; no command reads it",
            Kind::Experiment => "it is what `picbreeder experiment` writes",
            Kind::Png | Kind::Gif => {
                "a picture or animation this program wrote carries its genome: use `picbreeder render`, `info`, `train` or `breed --from`"
            }
            Kind::OtherFormat(_) | Kind::UntaggedJson | Kind::Unrecognised => {
                "expected Picbreeder XML, a zip of it, or picbreeder JSON"
            }
        }
    }
}

/// The top level of a JSON file, every other field skipped unread.
#[derive(Deserialize)]
struct Head {
    format: Option<String>,
    layers: Option<IgnoredAny>,
    weights_row_major_in_by_out: Option<IgnoredAny>,
}

/// The kind of a file's content. JSON is read whole (its `format` may be anywhere at
/// the top level), skipping everything but the fields that decide.
pub fn sniff(bytes: &[u8]) -> Kind {
    if bytes.starts_with(b"PK") {
        return Kind::Genome;
    }
    if bytes.starts_with(b"\x89PNG") {
        return Kind::Png;
    }
    if bytes.starts_with(b"GIF8") {
        return Kind::Gif;
    }
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF);
    match start.map(|i| bytes[i]) {
        // A figure this program writes is SVG: XML too, but no genome.
        Some(b'<') if is_svg(bytes) => Kind::Unrecognised,
        Some(b'<') => Kind::Genome,
        Some(b'{') => match serde_json::from_slice::<Head>(bytes) {
            Ok(head) => match head.format.as_deref() {
                Some(GENOME_FORMAT) => Kind::Genome,
                Some(NET_FORMAT) => Kind::Net,
                Some(SESSION_FORMAT) => Kind::Session,
                Some(SCORECARD_FORMAT) => Kind::Scorecard,
                Some(EXPERIMENT_FORMAT) => Kind::Experiment,
                Some(other) => Kind::OtherFormat(other.to_string()),
                None if head.layers.is_some() || head.weights_row_major_in_by_out.is_some() => {
                    Kind::Net
                }
                None => Kind::UntaggedJson,
            },
            Err(_) => Kind::Unrecognised,
        },
        _ => Kind::Unrecognised,
    }
}

/// When `bytes` are a file of ours of another kind than `want`, the problem that says
/// so (`wanted` names what was expected: "a genome"); `None` when they are `want` or
/// nothing this program knows (then the parser's own message says more).
pub fn wrong_kind(bytes: &[u8], want: &[Kind], wanted: &'static str) -> Option<super::Problem> {
    let found = sniff(bytes);
    let ours = !matches!(
        found,
        Kind::OtherFormat(_) | Kind::UntaggedJson | Kind::Unrecognised
    );
    (ours && !want.contains(&found)).then_some(super::Problem::WrongKind { found, wanted })
}

/// The kind of the file at `path` (a file that cannot be read is an error).
pub fn sniff_file(path: &std::path::Path) -> Result<Kind, super::FileError> {
    Ok(sniff(&super::read_bytes(path)?))
}

/// Whether XML text is an SVG picture: its root element, within the first kilobyte
/// (after any declaration, doctype or comment), is `<svg`.
fn is_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(4).any(|w| w == b"<svg")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_told_from_content() {
        assert_eq!(sniff(b"PK\x03\x04..."), Kind::Genome);
        assert_eq!(sniff(b"  <genome>"), Kind::Genome);
        // A figure written before (pareto.svg) is no genome: a report may replace it.
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\">"),
            Kind::Unrecognised
        );
        assert_eq!(sniff(b"\x89PNG\r\n"), Kind::Png);
        assert_eq!(sniff(b"GIF89a"), Kind::Gif);
        assert_eq!(
            sniff(br#"{"format":"picbreeder-net","version":1}"#),
            Kind::Net
        );
        assert_eq!(sniff(br#"{"layers":[]}"#), Kind::Net);
        assert_eq!(sniff(br#"{"a":1}"#), Kind::UntaggedJson);
        assert_eq!(sniff(br#"{"format":"x"}"#), Kind::OtherFormat("x".into()));
        assert_eq!(sniff(b"{ broken"), Kind::Unrecognised);
        assert_eq!(sniff(b"hello"), Kind::Unrecognised);
    }

    #[test]
    fn a_format_key_far_into_the_file_is_found() {
        let padding = "x".repeat(10_000);
        let text = format!(r#"{{"seed": 1, "note": "{padding}", "format": "{SESSION_FORMAT}"}}"#);
        assert_eq!(sniff(text.as_bytes()), Kind::Session);
    }
}
