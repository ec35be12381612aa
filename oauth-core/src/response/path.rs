//! Paths into a response body.
//!
//! A path is dotted segments: `data.access_token`. A segment made only of
//! ASCII digits indexes an array, so `errors.0.code` is the `code` of the first
//! error; on an object, a digit segment is a key like any other. A path with an
//! empty segment (`a..b`, `.a`), a leading `$`, or brackets (`errors[0]`) is
//! malformed: the derive rejects it at compile time, and when a response
//! fails to map under a hand-built spec holding one, the runtime reports the
//! path as the configuration error it is.

use serde_json::{Map, Value};

/// A dotted path into a response body, split at compile time: `["errors", "0", "code"]`.
#[doc(hidden)]
pub type FieldPath = &'static [&'static str];

/// Why a path is malformed, if it is.
pub(crate) fn malformation(path: &[&str]) -> Option<&'static str> {
    let Some(first) = path.first() else {
        return Some("it is empty");
    };
    if first.as_bytes().first() == Some(&b'$') {
        return Some("it starts with `$`; paths start at the body's top level: \"data.token\"");
    }
    for segment in path {
        if segment.is_empty() {
            return Some("it has an empty segment");
        }
        if segment.bytes().any(|byte| byte == b'[' || byte == b']') {
            return Some(
                "it uses brackets; an array index is a segment of its own: \"errors.0.code\"",
            );
        }
    }
    None
}

/// Finds the value at `path`; JSON `null` counts as absent.
pub(crate) fn lookup<'b>(body: &'b Map<String, Value>, path: &[&str]) -> Option<&'b Value> {
    let (first, rest) = path.split_first()?;
    let mut value = body.get(*first)?;
    for segment in rest {
        value = step(value, segment)?;
    }
    (!value.is_null()).then_some(value)
}

/// One segment down: a key of an object, or an index into an array.
fn step<'v>(value: &'v Value, segment: &str) -> Option<&'v Value> {
    match value {
        Value::Object(object) => object.get(segment),
        Value::Array(items) => items.get(index(segment)?),
        _ => None,
    }
}

/// Removes the value at `path`; an array item becomes `null`, so the indexes of its siblings hold.
/// The reading of a whole body the streaming reader is checked against.
#[cfg(test)]
pub(crate) fn remove(body: &mut Map<String, Value>, path: &[&str]) -> Option<Value> {
    let (last, parents) = path.split_last()?;
    let Some((first, between)) = parents.split_first() else {
        return body.remove(*last);
    };
    let mut value = body.get_mut(*first)?;
    for segment in between {
        value = step_mut(value, segment)?;
    }
    match value {
        Value::Object(object) => object.remove(*last),
        Value::Array(_) => step_mut(value, last).map(Value::take),
        _ => None,
    }
}

#[cfg(test)]
fn step_mut<'v>(value: &'v mut Value, segment: &str) -> Option<&'v mut Value> {
    match value {
        Value::Object(object) => object.get_mut(segment),
        Value::Array(items) => items.get_mut(index(segment)?),
        _ => None,
    }
}

/// The array index a segment of ASCII digits names.
fn index(segment: &str) -> Option<usize> {
    if segment.bytes().all(|byte| byte.is_ascii_digit()) {
        segment.parse().ok()
    } else {
        None
    }
}

/// The path as it was declared: `errors.0.code`.
pub(crate) fn dotted(path: FieldPath) -> String {
    path.join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body() -> Map<String, Value> {
        let body = serde_json::json!({
            "errors": [{"code": "UNAUTHORIZED", "detail": "Not Authorized"}, {"code": "SECOND"}],
            "byStatus": {"0": "zero", "401": {"code": "by-key"}},
            "gone": null,
        });
        match body {
            Value::Object(object) => object,
            _ => Map::new(),
        }
    }

    #[test]
    fn digit_segments_index_arrays_and_name_object_keys() {
        let body = body();
        let at = |path: FieldPath| lookup(&body, path).and_then(Value::as_str);
        assert_eq!(at(&["errors", "0", "code"]), Some("UNAUTHORIZED"));
        assert_eq!(at(&["errors", "1", "code"]), Some("SECOND"));
        assert_eq!(at(&["errors", "01", "code"]), Some("SECOND"));
        assert_eq!(at(&["byStatus", "0"]), Some("zero"));
        assert_eq!(at(&["byStatus", "401", "code"]), Some("by-key"));
    }

    #[test]
    fn absent_null_and_out_of_range_are_none() {
        let body = body();
        for path in [
            &["errors", "2", "code"][..],
            &["errors", "99999999999999999999999", "code"],
            &["errors", "first"],
            &["errors", "-1"],
            &["errors", "0", "code", "deeper"],
            &["gone"],
            &["missing"],
        ] {
            assert_eq!(lookup(&body, path), None, "{path:?}");
        }
    }

    #[test]
    fn removal_takes_nested_values_and_keeps_array_indexes() {
        let mut body = body();
        let removed = remove(&mut body, &["errors", "0", "code"]);
        assert_eq!(removed, Some(Value::from("UNAUTHORIZED")));
        assert_eq!(lookup(&body, &["errors", "0", "code"]), None);
        assert_eq!(
            remove(&mut body, &["errors", "0"]),
            Some(serde_json::json!({"detail": "Not Authorized"}))
        );
        assert_eq!(
            lookup(&body, &["errors", "1", "code"]).and_then(Value::as_str),
            Some("SECOND")
        );
        assert_eq!(remove(&mut body, &["errors", "7"]), None);
        assert_eq!(remove(&mut body, &["missing", "x"]), None);
    }

    #[test]
    fn malformed_paths_are_named() {
        for path in [
            &[][..],
            &["$"],
            &["$", "errors"],
            &["errors", "", "code"],
            &["", "errors"],
            &["errors[0]", "code"],
            &["errors", "[0]"],
        ] {
            assert!(malformation(path).is_some(), "{path:?}");
        }
        assert_eq!(malformation(&["a", "0", "b$", "é"]), None);
    }
}
