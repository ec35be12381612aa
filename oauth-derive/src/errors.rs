//! Every error of one derive, gathered so a user sees all their mistakes in one build.

use std::fmt::Display;

use proc_macro2::Span;
use quote::ToTokens;

/// The errors found so far. It must end in [`Errors::finish`]: dropping it
/// unread would lose the user's errors, so that is a bug caught by any test.
#[must_use = "errors must be reported with `finish`"]
pub(crate) struct Errors {
    errors: Vec<syn::Error>,
    finished: bool,
}

impl Errors {
    pub(crate) const fn new() -> Self {
        Self {
            errors: Vec::new(),
            finished: false,
        }
    }

    pub(crate) fn push(&mut self, error: syn::Error) {
        self.errors.push(error);
    }

    /// Records an error placed on the user's `tokens`.
    pub(crate) fn spanned(&mut self, tokens: impl ToTokens, message: impl Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    /// Records an error at `span`.
    pub(crate) fn at(&mut self, span: Span, message: impl Display) {
        self.push(syn::Error::new(span, message));
    }

    /// Records the error of a fallible step, if it failed.
    pub(crate) fn check<T>(&mut self, result: syn::Result<T>) -> Option<T> {
        result.map_err(|error| self.push(error)).ok()
    }

    /// Takes over the errors of a nested pass.
    pub(crate) fn absorb(&mut self, mut other: Self) {
        other.finished = true;
        self.errors.append(&mut other.errors);
    }

    /// All the errors as one, or `Ok` when there were none.
    pub(crate) fn finish(mut self) -> syn::Result<()> {
        self.finished = true;
        let mut errors = std::mem::take(&mut self.errors).into_iter();
        let Some(mut combined) = errors.next() else {
            return Ok(());
        };
        for error in errors {
            combined.combine(error);
        }
        Err(combined)
    }
}

impl Drop for Errors {
    fn drop(&mut self) {
        // A derive that forgets its errors would compile a broken declaration silently.
        #[allow(clippy::panic)]
        if !self.finished && !std::thread::panicking() {
            panic!("oauth-derive bug: errors were dropped without being reported");
        }
    }
}
