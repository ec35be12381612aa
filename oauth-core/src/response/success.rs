//! Reading a 2xx body in one pass, as the provider's compiled [`Routes`] direct:
//! each mapped field straight into its typed slot, every other member copied,
//! as written, into the JSON text the token keeps as its extras.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::body::{BodyFormat, category, check_form, json_syntax, strip_bom, syntax_at};
use super::field::{Field, FieldSeed};
use super::kept::{self, KeptText, Refusal};
use super::spec::{Route, Routes, Slot};
use crate::error::Problem;

/// A success body as read: the mapped fields in slots, the rest as JSON text.
#[derive(Default)]
pub(crate) struct SuccessBody<'de> {
    /// In [`Slot`] order.
    slots: [Option<Field<'de>>; 7],
    /// The success condition's field.
    checked: Option<Field<'de>>,
    kept: KeptText,
}

impl<'de> SuccessBody<'de> {
    /// Reads `body` in `format`, following `routes`.
    pub(crate) fn read(
        routes: Routes,
        format: BodyFormat,
        body: &'de [u8],
    ) -> Result<Self, Problem> {
        let body = strip_bom(body);
        match format {
            BodyFormat::Json => read_json(routes, body),
            BodyFormat::Form => read_form(routes, body),
        }
    }

    /// Takes a mapped field out of its slot.
    pub(crate) fn take(&mut self, slot: Slot) -> Option<Field<'de>> {
        self.slots.get_mut(slot as usize)?.take()
    }

    /// Takes the success condition's field.
    pub(crate) fn take_checked(&mut self) -> Option<Field<'de>> {
        self.checked.take()
    }

    /// The unmapped members as a JSON object's text, empty when there are none.
    pub(crate) fn into_extras(self) -> String {
        self.kept.finish()
    }

    fn fill(&mut self, slot: Slot, value: Option<Field<'de>>) {
        if let Some(place) = self.slots.get_mut(slot as usize) {
            *place = value;
        }
    }
}

fn read_json<'de>(routes: Routes, body: &'de [u8]) -> Result<SuccessBody<'de>, Problem> {
    let mut reader = Reader {
        routes,
        body,
        read: SuccessBody::default(),
        failure: None,
    };
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let container = Container {
        reader: &mut reader,
        node: 0,
        depth: 1,
    };
    let result = de::Deserializer::deserialize_map(&mut deserializer, container)
        .and_then(|()| deserializer.end());
    match (result, reader.failure) {
        (Ok(()), _) => Ok(reader.read),
        (Err(_), Some(problem)) => Err(problem),
        (Err(error), None) => Err(match error.classify() {
            serde_json::error::Category::Data => Problem::NotAnObject,
            _ => json_syntax(&error),
        }),
    }
}

/// Form fields are all top-level text: a route that leads inside one keeps it.
fn read_form(routes: Routes, body: &[u8]) -> Result<SuccessBody<'_>, Problem> {
    check_form(body)?;
    let mut read = SuccessBody::default();
    for (name, value) in url::form_urlencoded::parse(body) {
        match (routes.key)(0, &name) {
            Route::Take(slot) => read.fill(slot, Some(Field::Text(value))),
            route => {
                read.kept.open_top_level(body.len());
                read.kept.push_string(&name);
                read.kept.push(":");
                read.kept.push_string(&value);
                if route == Route::Check {
                    read.checked = Some(Field::Text(value));
                }
            }
        }
    }
    Ok(read)
}

/// The state one JSON body is read into.
struct Reader<'de> {
    routes: Routes,
    body: &'de [u8],
    read: SuccessBody<'de>,
    /// A problem this reader found rather than serde_json, reported in place of serde_json's error.
    failure: Option<Problem>,
}

impl<'de> Reader<'de> {
    /// Writes a value the routes do not take: kept as written, read too when it is
    /// the success condition's, walked through when mapped fields lie inside.
    fn value<E: de::Error>(
        &mut self,
        route: Route,
        raw: &'de RawValue,
        depth: usize,
    ) -> Result<(), E> {
        let text = raw.get();
        match route {
            Route::Inside(node) if text.starts_with(['{', '[']) => self.inside(node, text, depth),
            Route::Check => {
                self.keep(text, depth)?;
                let mut deserializer = serde_json::Deserializer::from_str(text);
                self.read.checked = FieldSeed.deserialize(&mut deserializer).ok().flatten();
                Ok(())
            }
            _ => self.keep(text, depth),
        }
    }

    fn keep<E: de::Error>(&mut self, text: &'de str, depth: usize) -> Result<(), E> {
        if let Err(refusal) = kept::check(text, depth) {
            return Err(self.refuse(text, &refusal));
        }
        self.read.kept.push(text);
        Ok(())
    }

    /// Reads a container with mapped fields inside, from its own text.
    fn inside<E: de::Error>(&mut self, node: u16, text: &'de str, depth: usize) -> Result<(), E> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let container = Container {
            reader: self,
            node,
            depth: depth + 1,
        };
        match de::Deserializer::deserialize_any(&mut deserializer, container) {
            Ok(()) => Ok(()),
            Err(_) if self.failure.is_some() => Err(E::custom("refused")),
            Err(error) => {
                let refusal = Refusal {
                    line: error.line(),
                    column: error.column(),
                    kind: category(&error),
                };
                Err(self.refuse(text, &refusal))
            }
        }
    }

    /// Records a problem at a position within `text`, a slice of the body, and the error that stops the read.
    fn refuse<E: de::Error>(&mut self, text: &str, refusal: &Refusal) -> E {
        let offset = text
            .as_ptr()
            .addr()
            .saturating_sub(self.body.as_ptr().addr());
        let before = self.body.get(..offset).unwrap_or_default();
        let line = 1 + before.iter().filter(|byte| **byte == b'\n').count();
        let column = before
            .iter()
            .rev()
            .take_while(|byte| **byte != b'\n')
            .count();
        self.failure = Some(if refusal.line == 1 {
            syntax_at(refusal.kind, line, column + refusal.column)
        } else {
            syntax_at(refusal.kind, line + refusal.line - 1, refusal.column)
        });
        E::custom("refused")
    }
}

/// An object or array at a node of the routes, inside `depth` containers counting itself.
struct Container<'r, 'de> {
    reader: &'r mut Reader<'de>,
    node: u16,
    depth: usize,
}

impl<'de> Visitor<'de> for Container<'_, 'de> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut members: A) -> Result<(), A::Error> {
        let Self {
            reader,
            node,
            depth,
        } = self;
        // The body's own object opens with its first kept member, so a body with none keeps nothing.
        let top = depth == 1;
        if !top {
            reader.read.kept.push("{");
        }
        let mut first = true;
        while let Some(raw_key) = members.next_key::<&'de RawValue>()? {
            let raw_key = raw_key.get();
            let key = match key_name(raw_key) {
                Ok(key) => key,
                Err(error) => {
                    let refusal = Refusal {
                        line: error.line(),
                        column: error.column(),
                        kind: category(&error),
                    };
                    return Err(reader.refuse(raw_key, &refusal));
                }
            };
            match (reader.routes.key)(node, &key) {
                Route::Take(slot) => {
                    let value = members.next_value_seed(FieldSeed)?;
                    reader.read.fill(slot, value);
                }
                route => {
                    if top {
                        reader.read.kept.open_top_level(reader.body.len());
                    } else if !first {
                        reader.read.kept.push(",");
                    }
                    first = false;
                    reader.read.kept.push(raw_key);
                    reader.read.kept.push(":");
                    let raw = members.next_value::<&'de RawValue>()?;
                    reader.value(route, raw, depth)?;
                }
            }
        }
        if !top {
            reader.read.kept.push("}");
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<(), A::Error> {
        let Self {
            reader,
            node,
            depth,
        } = self;
        reader.read.kept.push("[");
        for index in 0.. {
            let route = (reader.routes.index)(node, index);
            // A mapped item leaves a null behind, so the indexes of the items after it hold.
            let item = match route {
                Route::Take(slot) => items.next_element_seed(FieldSeed)?.map(|value| {
                    reader.read.fill(slot, value);
                    None
                }),
                _ => items.next_element::<&'de RawValue>()?.map(Some),
            };
            let Some(item) = item else {
                break;
            };
            if index > 0 {
                reader.read.kept.push(",");
            }
            match item {
                Some(raw) => reader.value(route, raw, depth)?,
                None => reader.read.kept.push("null"),
            }
        }
        reader.read.kept.push("]");
        Ok(())
    }
}

/// The name a key written with its quotes stands for; borrowed unless it holds an escape.
fn key_name(raw: &str) -> Result<Cow<'_, str>, serde_json::Error> {
    match raw.strip_prefix('"').and_then(|key| key.strip_suffix('"')) {
        Some(key) if !key.contains('\\') => Ok(Cow::Borrowed(key)),
        _ => serde_json::from_str(raw).map(Cow::Owned),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::{Map, Value};

    use super::*;
    use crate::response::path::{FieldPath, lookup, remove};

    /// Token parts at every kind of place: top level, nested, in an array item, under a success check.
    const MAPPED: [(Slot, FieldPath); 5] = [
        (Slot::AccessToken, &["data", "token"]),
        (Slot::TokenType, &["token_type"]),
        (Slot::ExpiresIn, &["data", "ttl"]),
        (Slot::RefreshToken, &["items", "1", "refresh"]),
        (Slot::Scope, &["scope"]),
    ];
    const CHECKED: FieldPath = &["status", "code"];

    /// The routes the derive writes for `MAPPED` and `CHECKED`.
    const ROUTES: Routes = Routes {
        key: |node, key| match (node, key) {
            (0, "data") => Route::Inside(1),
            (0, "token_type") => Route::Take(Slot::TokenType),
            (0, "items") => Route::Inside(2),
            (0, "scope") => Route::Take(Slot::Scope),
            (0, "status") => Route::Inside(4),
            (1, "token") => Route::Take(Slot::AccessToken),
            (1, "ttl") => Route::Take(Slot::ExpiresIn),
            (2, "1") => Route::Inside(3),
            (3, "refresh") => Route::Take(Slot::RefreshToken),
            (4, "code") => Route::Check,
            _ => Route::Keep,
        },
        index: |node, index| match (node, index) {
            (2, 1) => Route::Inside(3),
            _ => Route::Keep,
        },
    };

    /// A value of a whole-parsed body as the field the reader gives for it.
    fn as_field(value: &Value) -> Option<Field<'_>> {
        match value {
            Value::Null => None,
            Value::String(text) => Some(Field::Text(Cow::Borrowed(text))),
            Value::Number(number) => Some(Field::Number(number.clone())),
            Value::Bool(flag) => Some(Field::Bool(*flag)),
            Value::Array(items) => Some(
                items
                    .iter()
                    .map(Value::as_str)
                    .collect::<Option<Vec<_>>>()
                    .map_or(Field::Other, |words| Field::Words(words.join(" "))),
            ),
            Value::Object(_) => Some(Field::Other),
        }
    }

    fn body() -> impl Strategy<Value = Map<String, Value>> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            "[a-z \"\\\\é\n]{0,6}".prop_map(Value::from),
        ];
        let names = prop::sample::select(vec![
            "data",
            "token",
            "ttl",
            "items",
            "1",
            "refresh",
            "scope",
            "token_type",
            "status",
            "code",
            "x\"y",
            "é",
        ]);
        let value = leaf.prop_recursive(4, 40, 5, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                prop::collection::btree_map(names.clone(), inner, 0..5).prop_map(|map| {
                    Value::Object(map.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
                }),
            ]
        });
        let names = prop::sample::select(vec![
            "data",
            "items",
            "scope",
            "token_type",
            "status",
            "kept",
            "x\"y",
        ]);
        prop::collection::btree_map(names, value, 0..7)
            .prop_map(|map| map.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }

    proptest! {
        #[test]
        fn reading_as_routed_agrees_with_reading_the_whole_body(generated in body(), pretty in any::<bool>()) {
            let whole = Value::Object(generated);
            let text = if pretty {
                serde_json::to_string_pretty(&whole)
            } else {
                serde_json::to_string(&whole)
            }
            .unwrap_or_default();
            // The reference is the whole body parsed, which may round a float differently from how it was generated.
            let body: Map<String, Value> = serde_json::from_str(&text).unwrap_or_default();
            let mut read = SuccessBody::read(ROUTES, BodyFormat::Json, text.as_bytes())
                .map_err(|problem| TestCaseError::fail(problem.to_string()))?;
            let read = &mut read;
            for (slot, path) in MAPPED {
                prop_assert_eq!(read.take(slot), lookup(&body, path).and_then(as_field), "{:?}", path);
            }
            prop_assert_eq!(read.take_checked(), lookup(&body, CHECKED).and_then(as_field));
            let mut expected = body.clone();
            for (_, path) in MAPPED {
                remove(&mut expected, path);
            }
            let extras = std::mem::take(&mut read.kept).finish();
            let extras: Map<String, Value> = if extras.is_empty() {
                Map::new()
            } else {
                serde_json::from_str(&extras).map_err(|error| TestCaseError::fail(format!("{error}: {extras}")))?
            };
            prop_assert_eq!(extras, expected);
        }
    }

    fn read(body: &str) -> Result<SuccessBody<'_>, String> {
        SuccessBody::read(ROUTES, BodyFormat::Json, body.as_bytes())
            .map_err(|problem| problem.to_string())
    }

    #[test]
    fn a_body_with_only_mapped_fields_keeps_nothing() {
        let body =
            read(r#"{"token_type": "Bearer", "scope": ["a", "b"]}"#).map(SuccessBody::into_extras);
        assert_eq!(body.as_deref(), Ok(""));
    }

    #[test]
    fn kept_values_refused_by_a_whole_parse_refuse_the_body_where_they_are() {
        let deep = format!("{{\"kept\": {}1{}}}", "[".repeat(127), "]".repeat(127));
        assert_eq!(
            read(&deep).err().as_deref(),
            Some("the body is not valid JSON: syntax error at line 1 column 136")
        );
        let body = "{\"data\": {\"token\": \"t\",\n \"x\": [\"\\ud800\"]}}";
        let error = read(body).err();
        assert!(
            error
                .as_deref()
                .is_some_and(|error| error.contains("at line 2 column")),
            "{error:?}"
        );
        assert!(read(r#"{"status": {"code": 1e999}}"#).is_err());
        assert!(read(r#"{"kept": 1e300, "scope": "a"}"#).is_ok());
        assert!(read(r#"{"k\ud800": 1}"#).is_err());
        assert!(read(r#"{"k\u00e9": 1}"#).is_ok());
    }

    #[test]
    fn form_fields_are_kept_as_json_strings() {
        let mut read = SuccessBody::read(
            ROUTES,
            BodyFormat::Form,
            b"scope=a+b&kept=%22q%22&status=ok",
        )
        .map_err(|problem| problem.to_string());
        let scope = read.as_mut().ok().and_then(|read| read.take(Slot::Scope));
        assert_eq!(scope, Some(Field::Text(Cow::Borrowed("a b"))));
        let extras = read.map(SuccessBody::into_extras);
        assert_eq!(extras.as_deref(), Ok(r#"{"kept":"\"q\"","status":"ok"}"#));
    }
}
