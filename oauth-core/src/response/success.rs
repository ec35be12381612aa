//! Reading a 2xx body in one pass, as the provider's compiled [`Routes`] direct:
//! each mapped field straight into its typed slot, every other member copied,
//! as written, into the JSON text the token keeps as its extras.

use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::body::{BodyFormat, Key, category, check_form, json_syntax, strip_bom, syntax_at};
use super::field::{Field, Fill};
use super::kept::{self, KeptText, Refusal};
use super::locate;
use super::spec::{Route, Routes, Slot};
use crate::error::Problem;

/// A success body as read: the mapped fields in slots, the rest as JSON text.
///
/// Filled in place and read in place: its fields are never moved as a whole.
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
        &mut self,
        routes: Routes,
        format: BodyFormat,
        body: &'de [u8],
    ) -> Result<(), Problem> {
        let body = strip_bom(body);
        match format {
            BodyFormat::Json => self.read_json(routes, body),
            BodyFormat::Form => self.read_form(routes, body),
        }
    }

    /// Takes a mapped field out of its slot.
    pub(crate) fn take(&mut self, slot: Slot) -> Option<Field<'de>> {
        self.slot(slot)?.take()
    }

    /// A mapped field, read where it lies.
    pub(crate) fn get(&self, slot: Slot) -> Option<&Field<'de>> {
        self.slots.get(slot as usize)?.as_ref()
    }

    /// The success condition's field.
    pub(crate) fn checked(&self) -> Option<&Field<'de>> {
        self.checked.as_ref()
    }

    /// Takes the unmapped members as a JSON object's text, empty when there are none.
    pub(crate) fn take_extras(&mut self) -> String {
        std::mem::take(&mut self.kept).finish()
    }

    fn slot(&mut self, slot: Slot) -> Option<&mut Option<Field<'de>>> {
        self.slots.get_mut(slot as usize)
    }

    fn read_json(&mut self, routes: Routes, body: &'de [u8]) -> Result<(), Problem> {
        let mut reader = Reader {
            routes,
            body,
            read: self,
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
            (Ok(()), _) => Ok(()),
            (Err(_), Some(problem)) => Err(problem),
            (Err(error), None) => Err(match error.classify() {
                serde_json::error::Category::Data => Problem::NotAnObject,
                _ => json_syntax(&error),
            }),
        }
    }

    /// Form fields are all top-level text: a route that leads inside one keeps it.
    fn read_form(&mut self, routes: Routes, body: &'de [u8]) -> Result<(), Problem> {
        check_form(body)?;
        for (name, value) in url::form_urlencoded::parse(body) {
            match (routes.key)(0, &name) {
                Route::Take(slot) => {
                    if let Some(place) = self.slot(slot) {
                        *place = Some(Field::Text(value));
                    }
                }
                route => {
                    self.kept.open_top_level(body.len());
                    self.kept.push_string(&name);
                    self.kept.push(":");
                    self.kept.push_string(&value);
                    if route == Route::Check {
                        self.checked = Some(Field::Text(value));
                    }
                }
            }
        }
        Ok(())
    }
}

/// The state one JSON body is read with.
struct Reader<'r, 'de> {
    routes: Routes,
    body: &'de [u8],
    read: &'r mut SuccessBody<'de>,
    /// A problem this reader found rather than serde_json, reported in place of serde_json's error.
    failure: Option<Problem>,
}

impl<'de> Reader<'_, 'de> {
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
            Route::Check | Route::Peek(_) => {
                self.keep(text, depth)?;
                peek(self.routes, route, text, &mut self.read.checked);
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

/// Reads the success field out of a kept value `route` leads into.
/// The value was checked to parse, so a failure (nesting in the field itself) leaves the condition unmet.
fn peek<'de>(routes: Routes, route: Route, text: &'de str, checked: &mut Option<Field<'de>>) {
    let field = match route {
        Route::Check => Some(text),
        Route::Peek(node) => locate::success_field(routes, node, text),
        _ => None,
    };
    if let Some(field) = field {
        let mut deserializer = serde_json::Deserializer::from_str(field);
        let _ = Fill(checked).deserialize(&mut deserializer);
    }
}

/// An object or array at a node of the routes, inside `depth` containers counting itself.
struct Container<'a, 'r, 'de> {
    reader: &'a mut Reader<'r, 'de>,
    node: u16,
    depth: usize,
}

impl<'de> Visitor<'de> for Container<'_, '_, 'de> {
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
        while let Some(Key(key)) = members.next_key()? {
            match (reader.routes.key)(node, &key) {
                Route::Take(slot) => match reader.read.slot(slot) {
                    Some(place) => members.next_value_seed(Fill(place))?,
                    None => members.next_value::<de::IgnoredAny>().map(drop)?,
                },
                route => {
                    if top {
                        reader.read.kept.open_top_level(reader.body.len());
                    } else if !first {
                        reader.read.kept.push(",");
                    }
                    first = false;
                    reader.read.kept.push_string(&key);
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
            let item = match (route, &mut *reader.read) {
                (Route::Take(slot), read) => match read.slot(slot) {
                    Some(place) => items.next_element_seed(Fill(place))?.map(|()| None),
                    None => items.next_element::<de::IgnoredAny>()?.map(|_| None),
                },
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

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

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

    /// The routes the derive writes for `MAPPED` and a success field under `status`
    /// (which holds no token part) or in `items` (which does).
    const ROUTED: [(FieldPath, Routes); 2] = [
        (
            &["status", "code"],
            Routes {
                key: |node, key| match (node, key) {
                    (0, "status") => Route::Peek(4),
                    (4, "code") => Route::Check,
                    _ => mapped(node, key),
                },
                index: mapped_item,
            },
        ),
        (
            &["items", "0", "code"],
            Routes {
                key: |node, key| match (node, key) {
                    (2, "0") => Route::Peek(4),
                    (4, "code") => Route::Check,
                    _ => mapped(node, key),
                },
                index: |node, index| match (node, index) {
                    (2, 0) => Route::Peek(4),
                    _ => mapped_item(node, index),
                },
            },
        ),
    ];

    fn mapped(node: u16, key: &str) -> Route {
        match (node, key) {
            (0, "data") => Route::Inside(1),
            (0, "token_type") => Route::Take(Slot::TokenType),
            (0, "items") => Route::Inside(2),
            (0, "scope") => Route::Take(Slot::Scope),
            (1, "token") => Route::Take(Slot::AccessToken),
            (1, "ttl") => Route::Take(Slot::ExpiresIn),
            (2, "1") => Route::Inside(3),
            (3, "refresh") => Route::Take(Slot::RefreshToken),
            _ => Route::Keep,
        }
    }

    fn mapped_item(node: u16, index: usize) -> Route {
        match (node, index) {
            (2, 1) => Route::Inside(3),
            _ => Route::Keep,
        }
    }

    const ROUTES: Routes = ROUTED[0].1;

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
        fn reading_as_routed_agrees_with_reading_the_whole_body(
            generated in body(),
            pretty in any::<bool>(),
            (checked, routes) in prop::sample::select(ROUTED.to_vec()),
        ) {
            let whole = Value::Object(generated);
            let text = if pretty {
                serde_json::to_string_pretty(&whole)
            } else {
                serde_json::to_string(&whole)
            }
            .unwrap_or_default();
            // The reference is the whole body parsed, which may round a float differently from how it was generated.
            let body: Map<String, Value> = serde_json::from_str(&text).unwrap_or_default();
            let mut read = SuccessBody::default();
            read.read(routes, BodyFormat::Json, text.as_bytes())
                .map_err(|problem| TestCaseError::fail(problem.to_string()))?;
            for (slot, path) in MAPPED {
                prop_assert_eq!(read.take(slot), lookup(&body, path).and_then(as_field), "{:?}", path);
            }
            let expected = lookup(&body, checked).and_then(as_field);
            prop_assert_eq!(read.checked(), expected.as_ref());
            let mut expected = body.clone();
            for (_, path) in MAPPED {
                remove(&mut expected, path);
            }
            let extras = read.take_extras();
            let extras: Map<String, Value> = if extras.is_empty() {
                Map::new()
            } else {
                serde_json::from_str(&extras).map_err(|error| TestCaseError::fail(format!("{error}: {extras}")))?
            };
            prop_assert_eq!(extras, expected);
        }
    }

    fn read(body: &str) -> Result<SuccessBody<'_>, String> {
        let mut read = SuccessBody::default();
        read.read(ROUTES, BodyFormat::Json, body.as_bytes())
            .map_err(|problem| problem.to_string())?;
        Ok(read)
    }

    #[test]
    fn a_body_with_only_mapped_fields_keeps_nothing() {
        let body = read(r#"{"token_type": "Bearer", "scope": ["a", "b"]}"#)
            .map(|mut read| read.take_extras());
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
        let mut read = SuccessBody::default();
        let result = read.read(
            ROUTES,
            BodyFormat::Form,
            b"scope=a+b&kept=%22q%22&status=ok",
        );
        assert_eq!(result, Ok(()));
        assert_eq!(
            read.take(Slot::Scope),
            Some(Field::Text(Cow::Borrowed("a b")))
        );
        assert_eq!(read.take_extras(), r#"{"kept":"\"q\"","status":"ok"}"#);
    }
}
