//! A mapped field's value, typed as it is read from the body: text borrowed
//! where the body allows, numbers as numbers, never a `serde_json::Value`.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Number;

/// A mapped field's value; JSON `null` is no value at all.
#[derive(Debug, PartialEq)]
pub(crate) enum Field<'de> {
    Text(Cow<'de, str>),
    Number(Number),
    Bool(bool),
    /// An array of strings, joined with spaces (a scope list).
    Words(String),
    /// An object, or an array holding anything but strings.
    Other,
}

/// Reads one value into the place of a field, so the value is never moved after it is read.
pub(crate) struct Fill<'p, 'de>(pub(crate) &'p mut Option<Field<'de>>);

impl<'de> Fill<'_, 'de> {
    fn put<E>(self, field: Option<Field<'de>>) -> Result<(), E> {
        *self.0 = field;
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Fill<'_, 'de> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Fill<'_, 'de> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_borrowed_str<E>(self, text: &'de str) -> Result<(), E> {
        self.put(Some(Field::Text(Cow::Borrowed(text))))
    }

    fn visit_str<E>(self, text: &str) -> Result<(), E> {
        self.put(Some(Field::Text(Cow::Owned(text.to_owned()))))
    }

    fn visit_string<E>(self, text: String) -> Result<(), E> {
        self.put(Some(Field::Text(Cow::Owned(text))))
    }

    fn visit_u64<E>(self, number: u64) -> Result<(), E> {
        self.put(Some(Field::Number(number.into())))
    }

    fn visit_i64<E>(self, number: i64) -> Result<(), E> {
        self.put(Some(Field::Number(number.into())))
    }

    fn visit_f64<E>(self, number: f64) -> Result<(), E> {
        self.put(Number::from_f64(number).map(Field::Number))
    }

    fn visit_bool<E>(self, flag: bool) -> Result<(), E> {
        self.put(Some(Field::Bool(flag)))
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        self.put(None)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<(), A::Error> {
        let mut words = String::new();
        let mut item = None;
        let mut first = true;
        while items.next_element_seed(Fill(&mut item))?.is_some() {
            let Some(Field::Text(word)) = item.take() else {
                while items.next_element::<IgnoredAny>()?.is_some() {}
                return self.put(Some(Field::Other));
            };
            if !first {
                words.push(' ');
            }
            words.push_str(&word);
            first = false;
        }
        self.put(Some(Field::Words(words)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<(), A::Error> {
        while entries.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        self.put(Some(Field::Other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Option<Field<'_>> {
        let mut deserializer = serde_json::Deserializer::from_str(json);
        let mut field = None;
        Fill(&mut field).deserialize(&mut deserializer).ok()?;
        field
    }

    #[test]
    fn text_is_borrowed_unless_escaped() {
        assert!(matches!(
            read(r#""abc""#),
            Some(Field::Text(Cow::Borrowed("abc")))
        ));
        assert_eq!(
            read(r#""a\"b""#),
            Some(Field::Text(Cow::Owned(String::from("a\"b"))))
        );
    }

    #[test]
    fn every_shape_reads_without_a_value_tree() {
        assert_eq!(read("3600"), Some(Field::Number(3600.into())));
        assert_eq!(read("-1"), Some(Field::Number((-1).into())));
        assert_eq!(read("true"), Some(Field::Bool(true)));
        assert_eq!(read("null"), None);
        assert_eq!(
            read(r#"["read", "write"]"#),
            Some(Field::Words(String::from("read write")))
        );
        assert_eq!(read("[]"), Some(Field::Words(String::new())));
        assert_eq!(read(r#"["", "a"]"#), Some(Field::Words(String::from(" a"))));
        assert_eq!(read(r#"["read", 1, {"a": []}]"#), Some(Field::Other));
        assert_eq!(read(r#"["read", null]"#), Some(Field::Other));
        assert_eq!(read(r#"{"value": {"nested": [1]}}"#), Some(Field::Other));
    }
}
