//! Reading a 2xx body in one pass: the mapped top-level fields into slots, the rest kept.

use serde_json::{Map, Value};

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

/// A success body: the mapped top-level token fields in slots, everything else
/// (nested parents included) in `rest`, which becomes the token's extras.
pub(crate) struct SuccessBody {
    slots: [Option<Value>; 7],
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
                let slots =
                    names.map(|name| (!name.is_empty()).then(|| rest.remove(name)).flatten());
                Ok(Self { slots, rest })
            }
        }
    }

    /// Takes a mapped field out of the body, so the extras never hold it:
    /// from its slot when it is top-level, from within its parent otherwise.
    pub(crate) fn take(&mut self, slot: Slot, path: FieldPath) -> Option<Value> {
        let value = match path {
            [] => return None,
            [_] => self.slots.get_mut(slot as usize)?.take()?,
            _ => remove(&mut self.rest, path)?,
        };
        (!value.is_null()).then_some(value)
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
                Some(slot) => *slot = Some(map.next_value()?),
                None => {
                    body.rest.insert(key.into_owned(), map.next_value()?);
                }
            }
        }
        Ok(body)
    }
}
