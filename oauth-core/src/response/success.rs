//! Reading a 2xx body in one pass: the mapped top-level fields into typed slots, the rest kept.

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::{Deserialize, de};
use serde_json::{Map, Number, Value};

use super::body::{BodyFormat, Key, decode, json_syntax, strip_bom};
use super::path::{FieldPath, remove};
use super::spec::ResponseSpec;
use crate::error::Problem;

/// The token fields a provider maps at the top level of its body, read straight into slots.
#[derive(Clone, Copy)]
pub(crate) enum Slot {
    AccessToken,
    TokenType,
    ExpiresIn,
    RefreshToken,
    Scope,
    ExpiresAt,
    IssuedAt,
}

/// A mapped field's value: text and numbers typed as read, anything else as JSON.
pub(crate) enum Field {
    Text(String),
    Number(Number),
    Other(Value),
}

impl Field {
    /// The field of a decoded value; `null` counts as absent.
    fn of(value: Value) -> Option<Self> {
        match value {
            Value::Null => None,
            Value::String(text) => Some(Self::Text(text)),
            Value::Number(number) => Some(Self::Number(number)),
            other => Some(Self::Other(other)),
        }
    }

    /// The field as a JSON value, for the readers that take any shape.
    pub(crate) fn into_value(self) -> Value {
        match self {
            Self::Text(text) => Value::String(text),
            Self::Number(number) => Value::Number(number),
            Self::Other(value) => value,
        }
    }
}

/// A success body: the mapped top-level token fields in slots, everything else
/// (nested parents included) in `rest`, which becomes the token's extras.
pub(crate) struct SuccessBody {
    slots: [Option<Field>; 7],
    pub(crate) rest: Map<String, Value>,
}

impl SuccessBody {
    /// Decodes `body` in `format`, taking the spec's top-level fields into their slots.
    pub(crate) fn read(
        spec: &ResponseSpec,
        format: BodyFormat,
        body: &[u8],
    ) -> Result<Self, Problem> {
        // In `Slot` order; a nested or undeclared path has no slot.
        let names = [
            spec.access_token,
            spec.token_type,
            spec.expires_in,
            spec.refresh_token,
            spec.scope,
            spec.expires_at,
            spec.issued_at,
        ]
        .map(|path| match path {
            [name] => *name,
            _ => "",
        });
        match format {
            BodyFormat::Json => {
                let mut deserializer = serde_json::Deserializer::from_slice(strip_bom(body));
                serde::de::DeserializeSeed::deserialize(SlotSeed { names }, &mut deserializer)
                    .and_then(|body| deserializer.end().map(|()| body))
                    .map_err(|error| match error.classify() {
                        serde_json::error::Category::Data => Problem::NotAnObject,
                        _ => json_syntax(&error),
                    })
            }
            BodyFormat::Form => {
                let mut rest = decode(BodyFormat::Form, body)?;
                let slots = names.map(|name| {
                    (!name.is_empty())
                        .then(|| rest.remove(name))
                        .flatten()
                        .and_then(Field::of)
                });
                Ok(Self { slots, rest })
            }
        }
    }

    /// Takes a mapped field out of the body, so the extras never hold it:
    /// from its slot when it is top-level, from within its parent otherwise.
    pub(crate) fn take(&mut self, slot: Slot, path: FieldPath) -> Option<Field> {
        match path {
            [] => None,
            [_] => self.slots.get_mut(slot as usize)?.take(),
            _ => Field::of(remove(&mut self.rest, path)?),
        }
    }
}

/// Deserializes a JSON object into a [`SuccessBody`] without allocating the mapped keys.
struct SlotSeed {
    names: [&'static str; 7],
}

impl<'de> serde::de::DeserializeSeed<'de> for SlotSeed {
    type Value = SuccessBody;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<SuccessBody, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for SlotSeed {
    type Value = SuccessBody;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<SuccessBody, A::Error> {
        let mut body = SuccessBody {
            slots: Default::default(),
            rest: Map::new(),
        };
        while let Some(Key(key)) = map.next_key()? {
            let slot = self
                .names
                .iter()
                .position(|name| !name.is_empty() && *name == key);
            match slot.and_then(|index| body.slots.get_mut(index)) {
                Some(slot) => *slot = map.next_value::<Slotted>()?.0,
                None => {
                    body.rest.insert(key.into_owned(), map.next_value()?);
                }
            }
        }
        Ok(body)
    }
}

/// A slot's content deserialized straight from the body: no `Value` for text or numbers.
struct Slotted(Option<Field>);

impl<'de> Deserialize<'de> for Slotted {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SlottedVisitor)
    }
}

struct SlottedVisitor;

impl<'de> de::Visitor<'de> for SlottedVisitor {
    type Value = Slotted;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_str<E>(self, text: &str) -> Result<Slotted, E> {
        Ok(Slotted(Some(Field::Text(text.to_owned()))))
    }

    fn visit_string<E>(self, text: String) -> Result<Slotted, E> {
        Ok(Slotted(Some(Field::Text(text))))
    }

    fn visit_u64<E>(self, number: u64) -> Result<Slotted, E> {
        Ok(Slotted(Some(Field::Number(number.into()))))
    }

    fn visit_i64<E>(self, number: i64) -> Result<Slotted, E> {
        Ok(Slotted(Some(Field::Number(number.into()))))
    }

    fn visit_f64<E>(self, number: f64) -> Result<Slotted, E> {
        Ok(Slotted(Number::from_f64(number).map(Field::Number)))
    }

    fn visit_bool<E>(self, flag: bool) -> Result<Slotted, E> {
        Ok(Slotted(Some(Field::Other(Value::Bool(flag)))))
    }

    fn visit_unit<E>(self) -> Result<Slotted, E> {
        Ok(Slotted(None))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Slotted, A::Error> {
        Value::deserialize(SeqAccessDeserializer::new(seq))
            .map(|value| Slotted(Some(Field::Other(value))))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Slotted, A::Error> {
        Value::deserialize(MapAccessDeserializer::new(map))
            .map(|value| Slotted(Some(Field::Other(value))))
    }
}
