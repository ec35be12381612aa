//! The response fields a token keeps beside its own: held as the JSON text they
//! arrived in, and parsed the first time they are read.

use std::sync::OnceLock;

use serde_json::{Map, Value};

/// A token's extras, as text until read, then as the parsed object.
#[derive(Clone, Default)]
pub(crate) struct Extras {
    /// A JSON object, or empty when there are no extras or they were given parsed.
    text: String,
    parsed: OnceLock<Map<String, Value>>,
}

impl Extras {
    /// Extras as the text of a JSON object whose values the response parser checked to parse.
    pub(crate) fn from_text(text: String) -> Self {
        Self {
            text,
            parsed: OnceLock::new(),
        }
    }

    /// Extras already parsed.
    pub(crate) fn from_map(map: Map<String, Value>) -> Self {
        Self {
            text: String::new(),
            parsed: OnceLock::from(map),
        }
    }

    /// The extras by name, parsed on the first call.
    pub(crate) fn map(&self) -> &Map<String, Value> {
        // The parser refused every body whose kept values would not parse, so nothing is lost here.
        self.parsed.get_or_init(|| {
            if self.text.is_empty() {
                Map::new()
            } else {
                serde_json::from_str(&self.text).unwrap_or_default()
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_parsed_once_when_first_read() {
        let extras = Extras::from_text(String::from(r#"{"a":1,"b":{"c":[true]},"a":2}"#));
        assert!(extras.parsed.get().is_none());
        let map = extras.map();
        assert_eq!(
            Value::Object(map.clone()),
            serde_json::json!({"a": 2, "b": {"c": [true]}}),
            "the last of duplicated names wins, as when a body is parsed whole"
        );
        assert!(std::ptr::eq(map, extras.map()));
        assert!(Extras::default().map().is_empty());
    }
}
