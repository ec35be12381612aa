//! `#[derive(TokenEndpoint)]`: turns an annotated struct into an OAuth token
//! endpoint client. Use it through `oauth_core`, which re-exports it beside the
//! trait of the same name; [`TokenEndpoint`](derive@TokenEndpoint) documents every attribute.

mod ast;
mod attr;
mod errors;
mod expand;
mod http;
mod meta;
mod path;
mod suggest;
mod template;
mod valid;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Derives `oauth_core::TokenEndpoint` from `#[token(...)]` attributes: the
/// request the provider's token endpoint expects, and how to read its answer.
///
/// ```
/// use oauth_core::{Secret, TokenEndpoint};
///
/// /// Acme's token endpoint: JSON in, the token under `data.token`.
/// #[derive(TokenEndpoint)]
/// #[token(base_url = "https://{tenant}.auth.acme.example", path = "/oauth/token", body = "json")]
/// #[token(param(grant_type = "client_credentials"), response(access_token = "data.token"))]
/// struct Acme {
///     /// The tenant, the first label of the host.
///     #[token(url)]
///     tenant: String,
///     client_id: String,
///     client_secret: Secret,
///     /// The scopes to ask for, space-separated.
///     scope: Option<String>,
///     /// Sent as the `x-api-version` header.
///     #[token(header = "x-api-version", default = "2")]
///     api_version: String,
/// }
///
/// # fn main() -> Result<(), oauth_core::Error> {
/// let acme = Acme::new("eu", "my-client", "my-secret").with_scope("read");
/// let request = acme.build_request()?;
/// assert_eq!(request.url().as_str(), "https://eu.auth.acme.example/oauth/token");
/// assert_eq!(request.headers()["x-api-version"], "2");
/// assert_eq!(
///     request.body(),
///     Some(&br#"{"client_id":"my-client","client_secret":"my-secret","scope":"read","grant_type":"client_credentials"}"#[..])
/// );
/// # Ok(())
/// # }
/// ```
///
/// # What it emits
///
/// - `impl TokenEndpoint`: the request as data (`build_request`) and the
///   response parsed into a `Token` (`parse_response`).
/// - `new(...)`, taking each required field (not `Option`, no `default`) as
///   `impl Into<FieldType>`, and a `with_<field>` setter for each other field,
///   documented with the field's own docs. `#[token(constructor = false)]`
///   leaves both out, for a struct that writes its own.
/// - `impl FromSettings`: the provider's metadata and building it from named
///   settings such as environment variables. `#[token(settings = false)]`
///   leaves it out; it is never emitted for a struct with lifetime parameters.
/// - Compile-time checks on field types (below). Nothing else: no other
///   items, and generated code reaches `oauth_core` only by absolute paths.
///
/// # On the struct
///
/// Keys may be spread over several `#[token(...)]` attributes.
///
/// - `base_url = "https://..."` (required): the default server. `{field}`
///   *template parts* are filled from `url` fields: a part that opens the URL
///   holds a whole origin `https://host[:port]`; any other part fills one host
///   label or path segment. `https://` only; plain-http test servers are
///   reached at run time with `with_base_url`.
/// - `path = "/..."` (required): the token endpoint under the base URL.
/// - `method = "POST" | "GET"`: POST by default.
/// - `body = "form" | "json" | "none"`: the *body encoding*; form by default,
///   none for GET (body parameters then travel in the query).
/// - `content_type = "type/subtype"`: another media type for the body
///   (`text/plain` for JSON); it must not contradict the encoding.
/// - `param(name = value, ...)`: constant *parameters* (string, integer, boolean).
/// - `header(name = "value", ...)`: constant headers; `_` in a name becomes
///   `-` (`header(x_api_version = "2")` sends `x-api-version`).
/// - `client_auth = "body" | "basic" | "private_key_jwt" | "client_secret_jwt" | "tls_client_auth"`:
///   how the client authenticates. `body` sends `client_id` and `client_secret`
///   as parameters, `basic` as HTTP Basic credentials (RFC 6749 section
///   2.3.1); `private_key_jwt` sends a JWT assertion signed with the
///   `private_key` field, `client_secret_jwt` one signed HS256 with
///   `client_secret`, which is then not sent (RFC 7523 section 2.2);
///   `tls_client_auth` sends only `client_id` (RFC 8705).
/// - `assertion(grant, lifetime = 60, claims(name = value, ...))`: the signed
///   JWT. `grant` sends it as the JWT bearer grant (RFC 7523 section 2.1);
///   `lifetime` is its validity in seconds (60 by default); `claims` are
///   constant claims (`aud` replaces the default audience, the token URL).
///   `iat`, `exp` and a fresh `jti` are set for every request.
/// - `dpop` or `dpop = "ES256" | "ES384" | "EdDSA"`: DPoP-bound tokens (RFC
///   9449). Each new token gets a key pair of that algorithm (ES256 by
///   default), kept with the token; every token and refresh request carries a
///   `DPoP` proof signed with it, retried once with the server's nonce when
///   asked.
/// - `name = "..."`: the provider name in errors and logs; the struct name in
///   kebab-case by default.
/// - `crate = "path::to::oauth_core"`: the path to the runtime, for crates that re-export it.
/// - `response(access_token = "path", token_type = .., expires_in = .., expires_at = .., refresh_token = .., scope = .., expiry_from_jwt, format = "json" | "form")`:
///   where the token's parts are in the success body. `expires_at` is an
///   absolute expiry; `expiry_from_jwt` reads the access token's `exp` claim;
///   `format` overrides the content type.
/// - `success(field = "path", equals = 0 | "text" | true, message = "path", codes = ["OK", ...])`:
///   the *success condition* a 2xx body must meet; otherwise the response is a
///   reported failure whose code is the value (named by `codes` for integers).
/// - `error(code = "path", description = "path")`: where a rejection body
///   keeps its code and description (RFC 6749's `error` and
///   `error_description` by default).
/// - `refresh(grant, path = "/...", body = "json", send = ["client_id", ...])`:
///   how the provider renews a token: the refresh grant (RFC 6749 section 6),
///   a separate endpoint, or both; `send` names the body fields that go along.
/// - `constructor = false`, `settings = false`: leave out the generated
///   constructor and setters, or `FromSettings`.
///
/// A *response path* is a field name, or nested names joined by dots
/// (`data.token`); a segment of digits indexes an array (`errors.0.code`).
///
/// # On a field
///
/// Without attributes a field is a body parameter sent under its own name.
///
/// - `rename = "..."`: the *wire name* of a body or query parameter.
/// - `header = "name"`: send as that header.
/// - `bearer`: send as `Authorization: Bearer <value>`; one per struct.
/// - `url`: fill the template part of the same name.
/// - `query`: send in the query string.
/// - `default = ...`: the initial value, so `new` does not take the field: a
///   string for text and `Secret` fields, a number or `true`/`false` for others.
/// - `secret`: assert that the field holds a credential.
/// - `not_secret`: the field is named like a credential but holds none (below).
/// - `private_key`: the `oauth_core::PrivateKey` that signs the assertion; never sent.
/// - `claim` or `claim = "name"`: a claim of the signed assertion instead of a parameter.
///
/// A field goes to one place (its *role*: body, query, header, bearer, URL,
/// private key or claim).
/// `Option<T>` fields are optional and left out while `None`. A field's type
/// must implement `oauth_core::Param`; a private key's is `oauth_core::PrivateKey`.
///
/// # Secrets
///
/// A type is a secret when its `Param` impl says so (`Param::SECRET`):
/// `Secret`, `Option<Secret>`, an alias of either, or your own type. The
/// derive refuses to compile a field that would leak one:
///
/// - a field named like a credential (`client_secret`, `password`, `*_secret`,
///   `*_token`, `*_password`, `api_key`, `private_key`, `assertion`) or the
///   bearer token, whose type is not a secret. For a true false positive, such
///   as a `page_token` that grants nothing, write `#[token(not_secret)]`;
///   with `client_auth = "basic"`, `client_secret` is always a secret.
/// - a `secret` field whose type is not a secret;
/// - a `url` field whose type is a secret: URLs end up in logs.
///
/// # Errors
///
/// Every mistake in a struct is reported in one build, on the tokens that
/// cause it, with what to write instead. Type parameters are not supported;
/// lifetime parameters are.
#[proc_macro_derive(TokenEndpoint, attributes(token))]
pub fn derive_token_endpoint(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive(&input).into()
}
