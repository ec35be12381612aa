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

/// Derives `oauth_core::TokenEndpoint` from `#[token(...)]` attributes, and an
/// inherent `new(...)` taking the required fields plus a `with_<field>` setter
/// for each optional or defaulted one.
///
/// # On the struct
///
/// - `base_url = "https://..."` (required): the default server. `{field}`
///   *template parts* are filled from `url` fields: an *origin field* opens the
///   URL and holds a whole `https://host[:port]`; any other part fills one host
///   label or path segment.
/// - `path = "/..."` (required): the token endpoint under the base URL.
/// - `method = "POST" | "GET"`: POST by default.
/// - `body = "form" | "json" | "none"`: the *body encoding*; form by default,
///   none for GET (body parameters then travel in the query).
/// - `content_type = "..."`: another media type for the body (`text/plain` for
///   JSON); it must not contradict the encoding.
/// - `param(name = value, ...)`: constant *parameters* (string, integer, boolean).
/// - `header(name = "value", ...)`: constant headers; `_` in a name becomes `-`.
/// - `client_auth = "body" | "basic"`: where `client_id` and `client_secret` go;
///   `basic` sends them as HTTP Basic credentials (RFC 6749 section 2.3.1).
/// - `name = "..."`: the provider name in errors and logs; kebab-case of the struct name by default.
/// - `crate = "..."`: the path to the runtime, for re-exporting crates.
/// - `response(access_token = "path", token_type = .., expires_in = .., expires_at = .., refresh_token = .., scope = .., expiry_from_jwt, format = "json" | "form")`:
///   where the token's parts are in the success body; a *path* is a field name
///   or nested names joined by dots (`data.token`). `expires_at` is an absolute
///   expiry (seconds or milliseconds since the epoch); `format` overrides the content type.
/// - `success(field = "path", equals = 0 | "text" | true, message = "path", codes = ["OK", ...])`:
///   the *success condition* a 2xx body must meet; otherwise the response is a
///   reported failure whose code is the value (named by `codes` for integers).
/// - `error(code = "path", description = "path")`: where a rejection body keeps
///   its code and description (RFC 6749's `error` and `error_description` by default).
/// - `refresh(grant, path = "/...", body = "json", send = ["client_id", ...])`: how
///   the provider renews a token: the refresh grant (RFC 6749 section 6), a
///   separate endpoint, or both; `send` names the body fields that go along.
///
/// # On a field
///
/// Without attributes a field is a body parameter sent under its own name.
///
/// - `rename = "..."`: the *wire name* of a body or query parameter.
/// - `secret`: the field is a credential; its type must be `Secret` or `Option<Secret>`.
/// - `header = "name"`: send as that header.
/// - `bearer`: send as `Authorization: Bearer <value>`; one per struct.
/// - `url`: fill the template part of the same name.
/// - `query`: send in the query string.
/// - `default = "..."`: initial value of a `String`, `&'static str` or `Secret` field.
///
/// A field goes to one place (its *role*: body, query, header, bearer or URL).
/// `Option<T>` fields are optional and left out while `None`. A field's type
/// must implement `oauth_core::Param`.
///
/// # Errors
///
/// Every mistake in a struct is reported in one build, on the tokens that
/// cause it, with the fix; `tests/ui/` in the repository shows each one.
/// Type parameters are not supported; lifetime parameters are.
#[proc_macro_derive(TokenEndpoint, attributes(token))]
pub fn derive_token_endpoint(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive(&input).into()
}
