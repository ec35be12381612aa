use std::fmt::Display;

use quote::ToTokens;

/// Gathers every error found in one pass, so a user sees all their mistakes in one build.
#[derive(Default)]
pub(crate) struct Errors {
    errors: Vec<syn::Error>,
    suggested: Vec<&'static str>,
}

impl Errors {
    /// Remembers a key offered as the fix for a misspelling, so it is not also reported missing.
    pub(crate) fn suggested(&mut self, key: &'static str) {
        self.suggested.push(key);
    }

    pub(crate) fn was_suggested(&self, key: &str) -> bool {
        self.suggested.contains(&key)
    }

    pub(crate) fn push(&mut self, error: syn::Error) {
        self.errors.push(error);
    }

    /// Records an error placed on the user's `tokens`.
    pub(crate) fn spanned(&mut self, tokens: impl ToTokens, message: impl Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    /// Records the error of a fallible step, if it failed.
    pub(crate) fn check<T>(&mut self, result: syn::Result<T>) -> Option<T> {
        result.map_err(|error| self.push(error)).ok()
    }

    /// All the errors as one, or `Ok` when there were none.
    pub(crate) fn finish(self) -> syn::Result<()> {
        let mut errors = self.errors.into_iter();
        let Some(mut combined) = errors.next() else {
            return Ok(());
        };
        for error in errors {
            combined.combine(error);
        }
        Err(combined)
    }
}
