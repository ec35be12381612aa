//! Short text kept in place: a request's secret values and a filled URL template
//! cost no allocation in the usual case, and spill to the heap beyond it.

use std::borrow::Cow;

/// Text of up to `N` bytes (`N` at most 255) stored inline, or a `String` once it outgrows that.
#[derive(Clone)]
pub(crate) enum InlineText<const N: usize> {
    Inline { len: u8, bytes: [u8; N] },
    Spilled(String),
}

impl<const N: usize> InlineText<N> {
    /// No text.
    pub(crate) const EMPTY: Self = {
        assert!(N <= u8::MAX as usize, "an inline length is one byte");
        Self::Inline {
            len: 0,
            bytes: [0; N],
        }
    };

    pub(crate) fn push_str(&mut self, text: &str) {
        if let Self::Inline { len, bytes } = self {
            let start = usize::from(*len);
            let end = start + text.len();
            if let (Some(slot), Ok(new_len)) = (bytes.get_mut(start..end), u8::try_from(end)) {
                slot.copy_from_slice(text.as_bytes());
                *len = new_len;
                return;
            }
            let mut spilled = String::with_capacity(end.max(2 * N));
            spilled.push_str(&self.as_str());
            *self = Self::Spilled(spilled);
        }
        if let Self::Spilled(spilled) = self {
            spilled.push_str(text);
        }
    }

    pub(crate) fn len(&self) -> usize {
        match self {
            Self::Inline { len, .. } => usize::from(*len),
            Self::Spilled(spilled) => spilled.len(),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Keeps the first `len` bytes; `len` must fall on a character boundary, as an ASCII suffix's does.
    pub(crate) fn truncate(&mut self, new_len: usize) {
        match self {
            Self::Inline { len, .. } => *len = (*len).min(u8::try_from(new_len).unwrap_or(u8::MAX)),
            Self::Spilled(spilled) => spilled.truncate(new_len),
        }
    }

    /// The text. Only whole `&str`s are copied in, so the inline bytes are UTF-8 and this borrows.
    pub(crate) fn as_str(&self) -> Cow<'_, str> {
        let bytes = self.as_bytes();
        std::str::from_utf8(bytes).map_or_else(|_| String::from_utf8_lossy(bytes), Cow::Borrowed)
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            Self::Inline { len, bytes } => bytes.get(..usize::from(*len)).unwrap_or_default(),
            Self::Spilled(spilled) => spilled.as_bytes(),
        }
    }
}

impl<const N: usize> Default for InlineText<N> {
    fn default() -> Self {
        Self::EMPTY
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stays_inline_until_full_then_spills_whole() {
        let mut text = InlineText::<8>::EMPTY;
        text.push_str("abc");
        text.push_str("défg");
        assert!(matches!(text, InlineText::Inline { len: 8, .. }));
        assert_eq!(text.as_str(), "abcdéfg");
        text.push_str("h");
        assert!(matches!(text, InlineText::Spilled(_)));
        assert_eq!(text.as_str(), "abcdéfgh");
        text.truncate(3);
        assert_eq!(text.as_str(), "abc");
    }

    #[test]
    fn truncating_inline_text_keeps_its_prefix() {
        let mut text = InlineText::<16>::EMPTY;
        text.push_str("https://a.b/");
        text.truncate(11);
        assert_eq!(text.as_str(), "https://a.b");
        assert_eq!(text.len(), 11);
        assert!(!text.is_empty());
    }
}
