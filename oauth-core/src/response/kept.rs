//! The unmapped part of a success body, kept as the JSON text it arrived in.
//!
//! Values are captured by a skim, which accepts three things the full parse
//! that reads the extras later refuses: nesting past serde_json's limit, an
//! escape that names a lone surrogate, and a number beyond `f64`. A kept value
//! that might hold one of them is parsed at once, so a body is accepted or
//! refused exactly as if it had been parsed whole.

use serde_json::Value;

/// The most containers a value may sit in, the body itself included: serde_json's recursion limit.
const NESTING_LIMIT: usize = 127;

/// Integer digits past which a number may overflow `f64`, which the full parse refuses.
const LONG_NUMBER: usize = 300;

/// A JSON object being written, member by member, from raw values.
#[derive(Default)]
pub(crate) struct KeptText {
    text: String,
}

impl KeptText {
    /// Starts a member of the body's own object: its opening brace first, a comma after.
    pub(crate) fn open_top_level(&mut self, capacity: usize) {
        if self.text.is_empty() {
            self.text.reserve(capacity);
            self.text.push('{');
        } else {
            self.text.push(',');
        }
    }

    /// Writes text as it is: a raw value, a bracket, a comma.
    pub(crate) fn push(&mut self, raw: &str) {
        self.text.push_str(raw);
    }

    /// Writes `text` as a JSON string.
    pub(crate) fn push_string(&mut self, text: &str) {
        if text
            .bytes()
            .all(|byte| byte >= 0x20 && byte != b'"' && byte != b'\\')
        {
            self.text.push('"');
            self.text.push_str(text);
            self.text.push('"');
        } else {
            self.text.push_str(&Value::from(text).to_string());
        }
    }

    /// The body's object of kept members, empty when nothing was kept.
    pub(crate) fn finish(mut self) -> String {
        if !self.text.is_empty() {
            self.text.push('}');
        }
        self.text
    }
}

/// Where a kept value fails the full parse, as an offset into it and the parser's description.
#[derive(Debug, PartialEq)]
pub(crate) struct Refusal {
    /// Line and column within the value, both from 1.
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) kind: &'static str,
}

/// Checks that `raw`, a value inside `depth` containers, parses as the extras will be parsed.
pub(crate) fn check(raw: &str, depth: usize) -> Result<(), Refusal> {
    let bytes = raw.as_bytes();
    let doubtful = match bytes.first() {
        Some(b'"') => bytes.contains(&b'\\'),
        // Too short to nest past the limit or to hold a long number: only an escape or an exponent can fail.
        Some(b'{' | b'[') if bytes.len() + depth <= NESTING_LIMIT => {
            bytes.contains(&b'\\') || has_exponent(bytes)
        }
        Some(b'{' | b'[') => skim_containers(bytes, depth)?,
        Some(b't' | b'f' | b'n') => false,
        _ => bytes.len() > LONG_NUMBER || has_exponent(bytes),
    };
    if !doubtful {
        return Ok(());
    }
    serde_json::from_str::<Value>(raw)
        .map(drop)
        .map_err(|error| Refusal {
            line: error.line(),
            column: error.column(),
            kind: super::body::category(&error),
        })
}

/// Whether a digit is followed by `e` or `E` anywhere, strings included: no branch per byte.
fn has_exponent(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .zip(bytes.iter().skip(1))
        .fold(false, |found, (before, byte)| {
            found | (before.is_ascii_digit() & ((byte | 0x20) == b'e'))
        })
}

/// Walks a container's text: refuses nesting past the limit, and says whether the
/// full parse might refuse something else (an escape, an exponent, a long number).
fn skim_containers(bytes: &[u8], depth: usize) -> Result<bool, Refusal> {
    let mut nesting = depth;
    let mut in_string = false;
    let mut escaped = false;
    let mut doubtful = false;
    let mut digits = 0;
    let (mut line, mut column) = (1, 0);
    for &byte in bytes {
        column += 1;
        if byte == b'\n' {
            (line, column) = (line + 1, 0);
        }
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => (escaped, doubtful) = (true, true),
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => {
                nesting += 1;
                if nesting > NESTING_LIMIT {
                    return Err(Refusal {
                        line,
                        column,
                        kind: "syntax error",
                    });
                }
            }
            b'}' | b']' => nesting = nesting.saturating_sub(1),
            b'e' | b'E' if digits > 0 => doubtful = true,
            _ => {}
        }
        digits = if byte.is_ascii_digit() { digits + 1 } else { 0 };
        doubtful |= digits > LONG_NUMBER;
    }
    Ok(doubtful)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What parsing `{"x": <raw>}` whole says: the reference the check must agree with.
    fn whole_parse_accepts(raw: &str) -> bool {
        serde_json::from_str::<Value>(&format!(r#"{{"x": {raw}}}"#)).is_ok()
    }

    #[test]
    fn the_check_agrees_with_a_whole_parse() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        let cases = [
            String::from("0"),
            String::from("-1.5"),
            String::from("1e308"),
            String::from("1e400"),
            String::from("-1E999"),
            "9".repeat(400),
            format!("{}.5", "1".repeat(200)),
            String::from(r#""plain""#),
            String::from(r#""é\n\u00e9""#),
            String::from(r#""\ud800""#),
            String::from(r#""\ud83d\ude00""#),
            String::from(r#"{"a": "\ud800"}"#),
            String::from(r#"{"a": [1, 2e999]}"#),
            String::from(r#"{"a": "1e999"}"#),
            String::from(r#"{"a": "\\"}"#),
            String::from(r#"{"a": [2E400]}"#),
            String::from(r#"{"a\"": "]]]"}"#),
            String::from("true"),
            String::from("null"),
            deep(125),
            deep(126),
            deep(127),
            deep(10_000),
            format!(r#"{{"s": "{}", "n": {}}}"#, "[".repeat(200), deep(100)),
        ];
        for raw in cases {
            assert_eq!(
                check(&raw, 1).is_ok(),
                whole_parse_accepts(&raw),
                "{}",
                raw.get(..60).unwrap_or(&raw)
            );
        }
    }

    #[test]
    fn text_is_written_as_json_objects() {
        let mut kept = KeptText::default();
        assert_eq!(KeptText::default().finish(), "");
        kept.open_top_level(64);
        kept.push(r#""a":1"#);
        kept.open_top_level(64);
        kept.push_string("b\n");
        kept.push(":");
        kept.push_string("tab\there \"quoted\"");
        let text = kept.finish();
        assert_eq!(
            serde_json::from_str::<Value>(&text).ok(),
            Some(serde_json::json!({"a": 1, "b\n": "tab\there \"quoted\""}))
        );
    }
}
