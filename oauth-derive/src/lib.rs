//! `#[derive(TokenEndpoint)]`: turns an annotated struct into an OAuth token
//! endpoint client. Use it through `oauth_core`, which re-exports it beside the
//! trait of the same name; the attribute reference is in `oauth_core`'s docs
//! and the README.

mod ast;
mod attr;
mod errors;
mod expand;
mod fallback;
mod suggest;
mod template;
mod valid;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Derives `oauth_core::TokenEndpoint` from `#[token(...)]` attributes.
///
/// See the `oauth_core` crate documentation for every attribute.
#[proc_macro_derive(TokenEndpoint, attributes(token))]
pub fn derive_token_endpoint(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive(&input).into()
}
