//! Reading `#[token(...)]` into typed values, each remembering where it was
//! written. A value that is malformed on its own is reported here, on its
//! literal; rules across keys and fields are in `valid`.

mod container;
mod field;
mod value;

use proc_macro2::Span;
use syn::LitStr;

pub(crate) use container::{
    BaseUrl, Constant, ContainerAttrs, NestedConstant, NestedValue, PathAttr, StaticHeader,
    container,
};
pub(crate) use field::{DefaultValue, FieldAttrs, field};
pub(crate) use value::{
    BasicEncoding, ClientAuth, DpopAlgorithm, Encoding, Format, Method, ZeroLifetime,
};

use crate::meta::{Entry, Expect};

/// A value and the span of the key that set it.
pub(crate) struct Spanned<T> {
    pub(crate) key: Span,
    pub(crate) value: T,
}

/// A key that may be written once.
pub(crate) struct Slot<T> {
    set: Option<Spanned<T>>,
    written: Option<Span>,
}

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Self {
            set: None,
            written: None,
        }
    }
}

impl<T> Slot<T> {
    /// Stores the value read for `entry`; a second write or a malformed value is an error.
    fn set(&mut self, entry: &Entry<'_>, value: syn::Result<T>) -> syn::Result<()> {
        if self.written.is_some() {
            return Err(entry.error(format!("`{}` is already set above; keep one", entry.name())));
        }
        self.written = Some(entry.span());
        self.set = Some(Spanned {
            key: entry.span(),
            value: value?,
        });
        Ok(())
    }

    pub(crate) fn get(&self) -> Option<&Spanned<T>> {
        self.set.as_ref()
    }

    pub(crate) fn value(&self) -> Option<&T> {
        self.set.as_ref().map(|set| &set.value)
    }

    pub(crate) fn key_span(&self) -> Option<Span> {
        self.set.as_ref().map(|set| set.key)
    }

    /// Whether the key was written, even with a value that was refused.
    pub(crate) fn is_written(&self) -> bool {
        self.written.is_some()
    }

    /// The value, to move parts of it out.
    pub(crate) fn value_mut(&mut self) -> Option<&mut T> {
        self.set.as_mut().map(|set| &mut set.value)
    }

    /// Moves the value out; the slot still says the key was written.
    pub(crate) fn take_value(&mut self) -> Option<T> {
        self.set.take().map(|set| set.value)
    }
}

/// A value that is one of `T`'s names; `uppercase` for names matched in any case (methods).
fn choice<T: Copy>(
    entry: &Entry<'_>,
    names: &[&'static str],
    from_name: fn(&str) -> Option<T>,
    uppercase: bool,
) -> syn::Result<T> {
    let lit = entry.string(Expect::OneOf(names))?;
    let written = lit.value();
    let normalized = if uppercase {
        written.to_ascii_uppercase()
    } else {
        written.to_ascii_lowercase()
    };
    let accepted = if uppercase { &normalized } else { &written };
    if let Some(value) = from_name(accepted) {
        return Ok(value);
    }
    let guess = crate::suggest::closest(&normalized, names).map_or_else(String::new, |guess| {
        format!(": {}", entry.example(&format!("\"{guess}\"")))
    });
    Err(syn::Error::new_spanned(
        &lit,
        format!(
            "unknown {} \"{written}\", expected {}{guess}",
            entry.name(),
            crate::meta::quoted_list(names)
        ),
    ))
}

/// The key `entry` names among `K`'s, or an error with the closest one; a
/// misspelling's suggestion is remembered in `meant` so it is not also reported missing.
fn key<K: Copy>(
    entry: &Entry<'_>,
    names: &[&'static str],
    from_name: fn(&str) -> Option<K>,
    meant: &mut Vec<&'static str>,
) -> syn::Result<K> {
    if !entry.dashed
        && let Some(key) = from_name(&entry.name())
    {
        return Ok(key);
    }
    meant.extend(entry.meant(names));
    Err(entry.unknown(names))
}

/// A wire name, which must not be empty.
fn wire_name(entry: &Entry<'_>, example: &str) -> syn::Result<LitStr> {
    let lit = entry.string(Expect::Text(example))?;
    if lit.value().is_empty() {
        return Err(syn::Error::new_spanned(
            &lit,
            format!(
                "`{}` names the parameter on the wire, so it cannot be empty: {}",
                entry.name(),
                entry.example(&format!("\"{example}\""))
            ),
        ));
    }
    Ok(lit)
}
