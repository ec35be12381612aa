//! `#[token(...)]` on the struct.

use syn::{Attribute, Ident, Lit, LitStr};

use super::field::{BodyPath, body_path};
use super::value::named;
use super::{
    BasicEncoding, ClientAuth, DpopAlgorithm, Encoding, Format, Method, Slot, Spanned,
    ZeroLifetime, choice, key,
};
use crate::errors::Errors;
use crate::meta::{self, Entry, Expect, Place};
use crate::path;
use crate::template::{self, Piece};

named! {
    /// The keys of `#[token(...)]` on the struct.
    ContainerKey {
        BaseUrl = "base_url",
        Path = "path",
        Method = "method",
        Body = "body",
        ContentType = "content_type",
        Param = "param",
        Header = "header",
        ClientAuth = "client_auth",
        Name = "name",
        Crate = "crate",
        Response = "response",
        Success = "success",
        Error = "error",
        Refresh = "refresh",
        Constructor = "constructor",
        Settings = "settings",
        Constant = "constant",
        Basic = "basic",
        Assertion = "assertion",
        Dpop = "dpop",
    }
}

named! {
    /// The keys of `response(...)`.
    ResponseKey {
        AccessToken = "access_token",
        TokenType = "token_type",
        ExpiresIn = "expires_in",
        ExpiresAt = "expires_at",
        RefreshToken = "refresh_token",
        Scope = "scope",
        ExpiryFromJwt = "expiry_from_jwt",
        Format = "format",
        IssuedAt = "issued_at",
        ZeroLifetime = "zero_lifetime",
    }
}

named! {
    /// The keys of `constant(...)`.
    ConstantKey {
        At = "at",
        Value = "value",
    }
}

named! {
    /// The keys of `basic(...)`.
    BasicKey {
        User = "user",
        Password = "password",
        Encoding = "encoding",
    }
}

named! {
    /// The keys of `success(...)`.
    SuccessKey {
        Field = "field",
        Equals = "equals",
        Message = "message",
        Codes = "codes",
    }
}

named! {
    /// The keys of `error(...)`.
    ErrorKey {
        Code = "code",
        Description = "description",
    }
}

named! {
    /// The keys of `refresh(...)`.
    RefreshKey {
        Grant = "grant",
        Path = "path",
        Body = "body",
        Send = "send",
    }
}

named! {
    /// The keys of `assertion(...)`.
    AssertionKey {
        Grant = "grant",
        Lifetime = "lifetime",
        Claims = "claims",
    }
}

/// `base_url`: the literal and the template it holds.
pub(crate) struct BaseUrl {
    pub(crate) lit: LitStr,
    pub(crate) pieces: Vec<Piece>,
}

/// A constant declared with `param(name = value)`.
pub(crate) struct Constant {
    pub(crate) name: Ident,
    pub(crate) value: Lit,
}

/// A constant placed in a nested JSON body: `constant(at = "a.b", value = ...)`.
pub(crate) struct NestedConstant {
    pub(crate) at: BodyPath,
    pub(crate) value: NestedValue,
}

/// What a nested constant holds.
pub(crate) enum NestedValue {
    One(Lit),
    List(Vec<LitStr>),
}

/// `basic(user = "...", password = "...", encoding = "...")`: HTTP Basic from any two fields.
#[derive(Default)]
pub(crate) struct BasicAttrs {
    pub(crate) user: Slot<LitStr>,
    pub(crate) password: Slot<LitStr>,
    pub(crate) encoding: Slot<BasicEncoding>,
}

/// A header declared with `header(name = "value")`.
pub(crate) struct StaticHeader {
    pub(crate) ident: Ident,
    /// The name on the wire: `_` in the identifier becomes `-`.
    pub(crate) name: String,
    pub(crate) value: LitStr,
}

/// A response path, split into its segments.
pub(crate) struct PathAttr {
    pub(crate) segments: Vec<String>,
}

/// Everything `#[token(...)]` on the struct says.
#[derive(Default)]
pub(crate) struct ContainerAttrs {
    pub(crate) base_url: Slot<BaseUrl>,
    pub(crate) path: Slot<LitStr>,
    pub(crate) method: Slot<Method>,
    pub(crate) body: Slot<Encoding>,
    pub(crate) content_type: Slot<LitStr>,
    pub(crate) params: Vec<Constant>,
    pub(crate) headers: Vec<StaticHeader>,
    pub(crate) client_auth: Slot<ClientAuth>,
    pub(crate) name: Slot<LitStr>,
    pub(crate) krate: Slot<syn::Path>,
    pub(crate) response: ResponseAttrs,
    pub(crate) success: Slot<SuccessAttrs>,
    pub(crate) error: ErrorAttrs,
    pub(crate) refresh: Slot<RefreshAttrs>,
    pub(crate) constructor: Slot<bool>,
    pub(crate) settings: Slot<bool>,
    pub(crate) constants: Vec<Spanned<NestedConstant>>,
    pub(crate) basic: Slot<BasicAttrs>,
    pub(crate) assertion: Slot<AssertionAttrs>,
    /// `dpop` alone (ES256) or `dpop = "ES384"`.
    pub(crate) dpop: Slot<DpopAlgorithm>,
    /// Keys a misspelling was taken to mean: not to be reported missing as well.
    pub(crate) meant: Vec<&'static str>,
}

/// `response(...)`: where the token's parts are in the body.
#[derive(Default)]
pub(crate) struct ResponseAttrs {
    pub(crate) access_token: Slot<PathAttr>,
    pub(crate) access_token_header: Slot<LitStr>,
    pub(crate) issued_at: Slot<PathAttr>,
    pub(crate) zero_lifetime: Slot<ZeroLifetime>,
    pub(crate) token_type: Slot<PathAttr>,
    pub(crate) expires_in: Slot<PathAttr>,
    pub(crate) expires_at: Slot<PathAttr>,
    pub(crate) refresh_token: Slot<PathAttr>,
    pub(crate) scope: Slot<PathAttr>,
    pub(crate) expiry_from_jwt: Slot<()>,
    pub(crate) format: Slot<Format>,
}

/// `success(...)`: the body field that says whether a 2xx really succeeded.
#[derive(Default)]
pub(crate) struct SuccessAttrs {
    pub(crate) field: Slot<PathAttr>,
    pub(crate) equals: Slot<Lit>,
    pub(crate) message: Slot<PathAttr>,
    pub(crate) codes: Slot<Vec<LitStr>>,
}

/// `error(...)`: where a rejection body keeps its code and description.
#[derive(Default)]
pub(crate) struct ErrorAttrs {
    pub(crate) code: Slot<PathAttr>,
    pub(crate) description: Slot<PathAttr>,
}

/// `assertion(...)`: the signed JWT a provider sends, as the grant or to authenticate the client.
#[derive(Default)]
pub(crate) struct AssertionAttrs {
    pub(crate) grant: Slot<()>,
    /// Seconds, more than zero.
    pub(crate) lifetime: Slot<u64>,
    pub(crate) claims: Vec<Constant>,
}

/// `refresh(...)`: how the provider renews a token.
#[derive(Default)]
pub(crate) struct RefreshAttrs {
    pub(crate) grant: Slot<()>,
    pub(crate) path: Slot<LitStr>,
    pub(crate) body: Slot<Encoding>,
    pub(crate) send: Slot<Vec<LitStr>>,
}

pub(crate) fn container(attrs: &[Attribute], errors: &mut Errors) -> ContainerAttrs {
    let mut parsed = ContainerAttrs::default();
    let place = Place::Attribute { literal_key };
    meta::parse_attributes(attrs, place, errors, &mut |entry, errors| {
        let key = key(
            entry,
            ContainerKey::NAMES,
            ContainerKey::from_name,
            &mut parsed.meant,
        )?;
        container_key(&mut parsed, key, entry, errors)
    });
    parsed
}

fn container_key(
    parsed: &mut ContainerAttrs,
    key: ContainerKey,
    entry: &Entry<'_>,
    errors: &mut Errors,
) -> syn::Result<()> {
    match key {
        ContainerKey::BaseUrl => parsed.base_url.set(entry, base_url(entry)),
        ContainerKey::Path => parsed.path.set(entry, endpoint_path(entry, "/oauth/token")),
        ContainerKey::Method => parsed
            .method
            .set(entry, choice(entry, Method::NAMES, Method::from_name, true)),
        ContainerKey::Body => parsed.body.set(entry, encoding(entry)),
        ContainerKey::ContentType => parsed.content_type.set(entry, content_type(entry)),
        ContainerKey::Param => entry.group(
            "param",
            "grant_type = \"client_credentials\"",
            errors,
            &mut |entry, _| constant(&mut parsed.params, entry),
        ),
        ContainerKey::Header => entry.group(
            "header",
            "accept = \"application/json\"",
            errors,
            &mut |entry, _| static_header(&mut parsed.headers, entry),
        ),
        ContainerKey::ClientAuth => parsed.client_auth.set(
            entry,
            choice(entry, ClientAuth::NAMES, ClientAuth::from_name, false),
        ),
        ContainerKey::Name => parsed.name.set(entry, provider_name(entry)),
        ContainerKey::Crate => parsed.krate.set(entry, runtime_path(entry)),
        ContainerKey::Response => response(&mut parsed.response, &mut parsed.meant, entry, errors),
        ContainerKey::Success => {
            let success = success(&mut parsed.meant, entry, errors);
            parsed.success.set(entry, success)
        }
        ContainerKey::Error => error_shape(&mut parsed.error, &mut parsed.meant, entry, errors),
        ContainerKey::Refresh => {
            let refresh = refresh(&mut parsed.meant, entry, errors);
            parsed.refresh.set(entry, refresh)
        }
        ContainerKey::Constructor => parsed
            .constructor
            .set(entry, entry.boolean().map(|value| value.value)),
        ContainerKey::Settings => parsed
            .settings
            .set(entry, entry.boolean().map(|value| value.value)),
        ContainerKey::Constant => {
            let constant = nested_constant(&mut parsed.meant, entry, errors)?;
            parsed.constants.extend(constant.map(|value| Spanned {
                key: entry.span(),
                value,
            }));
            Ok(())
        }
        ContainerKey::Basic => {
            let basic = basic(&mut parsed.meant, entry, errors);
            parsed.basic.set(entry, basic)
        }
        ContainerKey::Assertion => {
            let assertion = assertion(&mut parsed.meant, entry, errors);
            parsed.assertion.set(entry, assertion)
        }
        ContainerKey::Dpop => parsed.dpop.set(entry, dpop(entry)),
    }
}

/// The key a bare literal in `#[token(...)]` was most likely the value of.
fn literal_key(text: &str) -> String {
    let key = if Encoding::from_name(text).is_some() {
        "body"
    } else if Method::from_name(&text.to_ascii_uppercase()).is_some() {
        "method"
    } else if text.starts_with('/') {
        "path"
    } else if text.starts_with("http") || text.starts_with('{') {
        "base_url"
    } else if text.contains('/') {
        "content_type"
    } else {
        "name"
    };
    format!("#[token({key} = {text:?})]")
}

fn base_url(entry: &Entry<'_>) -> syn::Result<BaseUrl> {
    let lit = entry.string(Expect::Text("https://auth.example.com"))?;
    match template::parse(&lit.value()) {
        Ok(pieces) => Ok(BaseUrl { lit, pieces }),
        Err(problem) => {
            let fix = problem.meant.map_or_else(String::new, |meant| {
                format!(": {}", entry.example(&format!("{meant:?}")))
            });
            Err(syn::Error::new_spanned(
                lit,
                format!("base_url {}{fix}", problem.what),
            ))
        }
    }
}

/// A path under the base URL: `/` first, no query or fragment. Template parts
/// are refused in `valid`, which can say how to move them into `base_url`.
fn endpoint_path(entry: &Entry<'_>, example: &str) -> syn::Result<LitStr> {
    let lit = entry.string(Expect::Text(example))?;
    let text = lit.value();
    let refuse = |what: String, meant: Option<String>| {
        let fix = meant.map_or_else(String::new, |meant| {
            format!(": {}", entry.example(&format!("{meant:?}")))
        });
        Err(syn::Error::new_spanned(&lit, format!("{what}{fix}")))
    };
    if let Some(bad) = text
        .chars()
        .find(|c| matches!(c, '?' | '#') || c.is_whitespace())
    {
        let before = text.split(bad).next().unwrap_or_default();
        return refuse(
            format!(
                "{} contains {bad:?}; declare query parameters as fields marked #[token(query)]",
                entry.name()
            ),
            Some(before.to_owned()).filter(|before| before.starts_with('/')),
        );
    }
    if !text.starts_with('/') {
        return refuse(
            format!("{} starts with '/'", entry.name()),
            Some(format!("/{text}")),
        );
    }
    Ok(lit)
}

fn encoding(entry: &Entry<'_>) -> syn::Result<Encoding> {
    choice(entry, Encoding::NAMES, Encoding::from_name, false)
}

fn content_type(entry: &Entry<'_>) -> syn::Result<LitStr> {
    let lit = entry.string(Expect::Text("text/plain"))?;
    // The runtime makes it a header value at compile time, which takes ASCII only.
    if !lit.value().is_ascii() {
        return Err(syn::Error::new_spanned(
            &lit,
            "content_type is sent as a header value, which holds ASCII only: write any parameter in ASCII",
        ));
    }
    if crate::http::is_media_type(&lit.value()) {
        return Ok(lit);
    }
    let meant = crate::http::guess_media_type(&lit.value());
    let example = if meant.is_empty() {
        "text/plain"
    } else {
        &meant
    };
    Err(syn::Error::new_spanned(
        &lit,
        format!(
            "content_type is a media type, type/subtype: {}",
            entry.example(&format!("{example:?}"))
        ),
    ))
}

fn constant(params: &mut Vec<Constant>, entry: &Entry<'_>) -> syn::Result<()> {
    let value = entry.literal("a constant parameter", "\"client_credentials\"")?;
    if entry.dashed {
        return Err(entry.error(format!(
            "a constant's name is an identifier; to send the parameter \"{}\" declare a field: #[token(rename = \"{}\", default = {})]",
            entry.name().replace('_', "-"),
            entry.name().replace('_', "-"),
            quote::quote!(#value)
        )));
    }
    params.push(Constant {
        name: entry.key.clone(),
        value,
    });
    Ok(())
}

fn static_header(headers: &mut Vec<StaticHeader>, entry: &Entry<'_>) -> syn::Result<()> {
    let value = entry.string(Expect::Text("application/json"))?;
    let shown = format!("{:?}", crate::http::clean_header_value(&value.value()));
    let dashed = entry.dashed.then(|| {
        entry.error(format!(
            "header names use _ for -: {}",
            entry.example(&shown)
        ))
    });
    if !crate::http::is_header_value(&value.value()) {
        return Err(syn::Error::new_spanned(
            &value,
            format!(
                "a header value cannot hold line breaks or other control characters: {}",
                entry.example(&shown)
            ),
        ));
    }
    headers.push(StaticHeader {
        name: crate::ast::unraw(&entry.key).replace('_', "-"),
        ident: entry.key.clone(),
        value,
    });
    dashed.map_or(Ok(()), Err)
}

/// A provider name: lowercase letters, digits and '-', starting with a letter.
fn provider_name(entry: &Entry<'_>) -> syn::Result<LitStr> {
    let lit = entry.string(Expect::Text("acme"))?;
    let text = lit.value();
    let valid = text.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if valid {
        return Ok(lit);
    }
    let meant: String = text
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let meant = if meant.starts_with(|c: char| c.is_ascii_lowercase()) {
        meant
    } else {
        format!("provider-{meant}").trim_end_matches('-').to_owned()
    };
    Err(syn::Error::new_spanned(
        &lit,
        format!(
            "a provider name is lowercase letters, digits and '-', starting with a letter: {}",
            entry.example(&format!("{meant:?}"))
        ),
    ))
}

/// `crate = "path::to::runtime"`.
fn runtime_path(entry: &Entry<'_>) -> syn::Result<syn::Path> {
    let lit = entry.string(Expect::Path("my_sdk::oauth_core"))?;
    lit.parse::<syn::Path>().map_err(|_| {
        let meant = lit
            .value()
            .replace('-', "_")
            .replace(char::is_whitespace, "");
        let meant = if meant.is_empty() {
            String::from("my_sdk::oauth_core")
        } else {
            meant
        };
        syn::Error::new_spanned(
            &lit,
            format!(
                "`crate` takes the path to the runtime, as a string: {}",
                entry.example(&format!("{meant:?}"))
            ),
        )
    })
}

fn response_path(entry: &Entry<'_>, example: &str) -> syn::Result<PathAttr> {
    let lit = entry.string(Expect::Text(example))?;
    match path::parse(&lit.value()) {
        Ok(segments) => Ok(PathAttr { segments }),
        Err(problem) => {
            let meant = problem.meant.unwrap_or_else(|| example.to_owned());
            Err(syn::Error::new_spanned(
                &lit,
                format!(
                    "the response path {:?} {}: {}",
                    lit.value(),
                    problem.what,
                    entry.example(&format!("{meant:?}"))
                ),
            ))
        }
    }
}

fn response(
    response: &mut ResponseAttrs,
    meant: &mut Vec<&'static str>,
    entry: &Entry<'_>,
    errors: &mut Errors,
) -> syn::Result<()> {
    let example = "access_token = \"data.token\"";
    entry.group("response", example, errors, &mut |entry, _| {
        let slot = match key(entry, ResponseKey::NAMES, ResponseKey::from_name, meant)? {
            ResponseKey::AccessToken => {
                if let Some(header) = entry.call("header", "X-Subject-Token") {
                    return response
                        .access_token_header
                        .set(entry, token_header(header));
                }
                &mut response.access_token
            }
            ResponseKey::IssuedAt => &mut response.issued_at,
            ResponseKey::ZeroLifetime => {
                let meaning = choice(entry, ZeroLifetime::NAMES, ZeroLifetime::from_name, false);
                return response.zero_lifetime.set(entry, meaning);
            }
            ResponseKey::TokenType => &mut response.token_type,
            ResponseKey::ExpiresIn => &mut response.expires_in,
            ResponseKey::ExpiresAt => &mut response.expires_at,
            ResponseKey::RefreshToken => &mut response.refresh_token,
            ResponseKey::Scope => &mut response.scope,
            ResponseKey::ExpiryFromJwt => {
                return response.expiry_from_jwt.set(entry, entry.flag());
            }
            ResponseKey::Format => {
                let format = choice(entry, Format::NAMES, Format::from_name, false);
                return response.format.set(entry, format);
            }
        };
        let example = format!("data.{}", entry.name());
        slot.set(entry, response_path(entry, &example))
    })
}

/// `header("X-Subject-Token")`: a valid header name.
fn token_header(header: syn::Result<LitStr>) -> syn::Result<LitStr> {
    let header = header?;
    if crate::http::is_token(&header.value()) {
        return Ok(header);
    }
    Err(syn::Error::new_spanned(
        &header,
        "not a valid HTTP header name, which is letters, digits and !#$%&'*+-.^_`|~: access_token = header(\"X-Subject-Token\")",
    ))
}

/// `constant(at = "auth.identity.methods", value = ["password"])`; `None` when a part is missing.
fn nested_constant(
    meant: &mut Vec<&'static str>,
    entry: &Entry<'_>,
    errors: &mut Errors,
) -> syn::Result<Option<NestedConstant>> {
    let example = "at = \"auth.identity.methods\", value = [\"password\"]";
    let mut at = Slot::default();
    let mut value = Slot::default();
    entry.group("constant", example, errors, &mut |entry, _| match key(
        entry,
        ConstantKey::NAMES,
        ConstantKey::from_name,
        meant,
    )? {
        ConstantKey::At => at.set(entry, body_path(entry, "auth.identity.methods")),
        ConstantKey::Value if entry.is_list() => value.set(
            entry,
            entry.string_list("\"password\"").map(NestedValue::List),
        ),
        ConstantKey::Value => value.set(
            entry,
            entry
                .literal("a constant", "\"password\"")
                .map(NestedValue::One),
        ),
    })?;
    let missing = match (at.is_written(), value.is_written()) {
        (true, true) => None,
        (false, _) => Some("the path it goes at"),
        (_, false) => Some("its value"),
    };
    if let Some(missing) = missing {
        return Err(entry.error(format!(
            "constant(...) needs {missing}: constant({example})"
        )));
    }
    Ok(at
        .take_value()
        .zip(value.take_value())
        .map(|(at, value)| NestedConstant { at, value }))
}

fn basic(
    meant: &mut Vec<&'static str>,
    entry: &Entry<'_>,
    errors: &mut Errors,
) -> syn::Result<BasicAttrs> {
    let mut basic = BasicAttrs::default();
    let example = "user = \"username\", password = \"password\", encoding = \"plain\"";
    entry.group("basic", example, errors, &mut |entry, _| match key(
        entry,
        BasicKey::NAMES,
        BasicKey::from_name,
        meant,
    )? {
        BasicKey::User => basic
            .user
            .set(entry, entry.string(Expect::Text("username"))),
        BasicKey::Password => basic
            .password
            .set(entry, entry.string(Expect::Text("password"))),
        BasicKey::Encoding => basic.encoding.set(
            entry,
            choice(entry, BasicEncoding::NAMES, BasicEncoding::from_name, false),
        ),
    })?;
    if !basic.user.is_written() || !basic.password.is_written() {
        return Err(entry.error(format!(
            "basic(...) names the fields that hold the user and the password: basic({example})"
        )));
    }
    Ok(basic)
}

fn success(
    meant: &mut Vec<&'static str>,
    entry: &Entry<'_>,
    errors: &mut Errors,
) -> syn::Result<SuccessAttrs> {
    let mut success = SuccessAttrs::default();
    let example = "field = \"status\", equals = 0";
    entry.group("success", example, errors, &mut |entry, _| match key(
        entry,
        SuccessKey::NAMES,
        SuccessKey::from_name,
        meant,
    )? {
        SuccessKey::Field => success.field.set(entry, response_path(entry, "status")),
        SuccessKey::Message => success
            .message
            .set(entry, response_path(entry, "status.message")),
        SuccessKey::Equals => success
            .equals
            .set(entry, entry.literal("the success value", "0")),
        SuccessKey::Codes => success
            .codes
            .set(entry, entry.string_list("\"OK\", \"FAILED\"")),
    })?;
    Ok(success)
}

fn error_shape(
    shape: &mut ErrorAttrs,
    meant: &mut Vec<&'static str>,
    entry: &Entry<'_>,
    errors: &mut Errors,
) -> syn::Result<()> {
    let example = "code = \"error.code\", description = \"error.message\"";
    entry.group("error", example, errors, &mut |entry, _| match key(
        entry,
        ErrorKey::NAMES,
        ErrorKey::from_name,
        meant,
    )? {
        ErrorKey::Code => shape.code.set(entry, response_path(entry, "error.code")),
        ErrorKey::Description => shape
            .description
            .set(entry, response_path(entry, "error.message")),
    })
}

fn refresh(
    meant: &mut Vec<&'static str>,
    entry: &Entry<'_>,
    errors: &mut Errors,
) -> syn::Result<RefreshAttrs> {
    let mut refresh = RefreshAttrs::default();
    entry.group("refresh", "grant", errors, &mut |entry, _| match key(
        entry,
        RefreshKey::NAMES,
        RefreshKey::from_name,
        meant,
    )? {
        RefreshKey::Grant => refresh.grant.set(entry, entry.flag()),
        RefreshKey::Path => refresh
            .path
            .set(entry, endpoint_path(entry, "/oauth/refresh")),
        RefreshKey::Body => refresh.body.set(entry, encoding(entry)),
        RefreshKey::Send => refresh
            .send
            .set(entry, entry.string_list("\"client_id\", \"client_secret\"")),
    })?;
    Ok(refresh)
}

fn assertion(
    meant: &mut Vec<&'static str>,
    entry: &Entry<'_>,
    errors: &mut Errors,
) -> syn::Result<AssertionAttrs> {
    let mut assertion = AssertionAttrs::default();
    let example = "grant, lifetime = 60";
    entry.group(
        "assertion",
        example,
        errors,
        &mut |entry, errors| match key(entry, AssertionKey::NAMES, AssertionKey::from_name, meant)?
        {
            AssertionKey::Grant => assertion.grant.set(entry, entry.flag()),
            AssertionKey::Lifetime => assertion.lifetime.set(entry, lifetime(entry)),
            AssertionKey::Claims => entry.group(
                "claims",
                "aud = \"https://auth.example.com\"",
                errors,
                &mut |entry, _| claim(&mut assertion.claims, entry),
            ),
        },
    )?;
    Ok(assertion)
}

/// `dpop` (ES256) or `dpop = "ES384"`: an algorithm a key can be generated for, in any case.
fn dpop(entry: &Entry<'_>) -> syn::Result<DpopAlgorithm> {
    if entry.is_bare() {
        return Ok(DpopAlgorithm::Es256);
    }
    let lit = entry.string(Expect::OneOf(DpopAlgorithm::NAMES))?;
    let written = lit.value();
    let known = DpopAlgorithm::NAMES
        .iter()
        .find(|name| name.eq_ignore_ascii_case(&written))
        .and_then(|name| DpopAlgorithm::from_name(name));
    if let Some(algorithm) = known {
        return Ok(algorithm);
    }
    // Algorithm names are short: any name two edits away is the likely one.
    let written_upper = written.to_ascii_uppercase();
    let guess = DpopAlgorithm::NAMES
        .iter()
        .map(|name| {
            let distance =
                crate::suggest::edit_distance(&written_upper, &name.to_ascii_uppercase());
            (distance, *name)
        })
        .filter(|(distance, _)| *distance <= 2)
        .min_by_key(|(distance, _)| *distance)
        .map_or("ES256", |(_, name)| name);
    Err(syn::Error::new_spanned(
        &lit,
        format!(
            "unknown DPoP algorithm \"{written}\", expected {} (a key of it is generated for each token): {}",
            crate::meta::quoted_list(DpopAlgorithm::NAMES),
            entry.example(&format!("\"{guess}\""))
        ),
    ))
}

/// `lifetime = 60`: seconds, more than zero.
fn lifetime(entry: &Entry<'_>) -> syn::Result<u64> {
    let value = entry.literal("an assertion lifetime", "60")?;
    let seconds = match &value {
        Lit::Int(seconds) => seconds.base10_parse::<u64>().ok(),
        _ => None,
    };
    seconds.filter(|seconds| *seconds > 0).ok_or_else(|| {
        syn::Error::new_spanned(
            &value,
            format!(
                "an assertion lifetime is a positive number of seconds: {}",
                entry.example("60")
            ),
        )
    })
}

/// `claims(name = value)`: a constant claim.
fn claim(claims: &mut Vec<Constant>, entry: &Entry<'_>) -> syn::Result<()> {
    let value = entry.literal("a constant claim", "\"https://auth.example.com\"")?;
    claims.push(Constant {
        name: entry.key.clone(),
        value,
    });
    Ok(())
}
