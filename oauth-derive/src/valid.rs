//! Rules that span attributes and fields: every mistake is reported, on the tokens that make it.

use std::collections::HashMap;

use proc_macro2::Span;
use quote::ToTokens;

use crate::ast::{ClientAuth, Encoding, Field, Method, Provider, Role, unraw};
use crate::attr;
use crate::errors::Errors;
use crate::suggest;
use crate::template::Piece;

pub(crate) fn check(provider: &Provider<'_>, errors: &mut Errors) {
    check_required(provider, errors);
    check_path(provider, errors);
    check_template(provider, errors);
    check_fields(provider, errors);
    check_headers(provider, errors);
    check_wire_names(provider, errors);
    check_encoding(provider, errors);
    check_name(provider, errors);
    check_refresh(provider, errors);
    check_client_auth(provider, errors);
}

/// A header declared on the struct as `header(user_agent = "...")`: underscores become dashes.
pub(crate) fn static_header_name(name: &syn::Ident) -> String {
    unraw(name).replace('_', "-")
}

fn check_client_auth(provider: &Provider<'_>, errors: &mut Errors) {
    let Some(declared) = provider.attrs.client_auth.value() else {
        return;
    };
    if provider.client_auth != ClientAuth::Basic {
        return;
    }
    for name in ClientAuth::BASIC_FIELDS {
        let carried = provider
            .field(name)
            .is_some_and(|field| provider.in_basic_auth(field));
        if !carried {
            errors.spanned(
                declared,
                format!(
                    "client_auth = \"basic\" sends `client_id` and `client_secret` in the Authorization header; \
                     the struct needs a body field `{name}`"
                ),
            );
        }
    }
    if let Some(bearer) = provider
        .fields
        .iter()
        .find_map(|field| field.attrs.bearer.key_span())
    {
        errors.push(syn::Error::new(
            bearer,
            "a bearer field and client_auth = \"basic\" both want the Authorization header",
        ));
    }
}

fn check_required(provider: &Provider<'_>, errors: &mut Errors) {
    let ident = &provider.input.ident;
    if provider.attrs.base_url.get().is_none() && !errors.was_suggested(attr::BASE_URL) {
        errors.spanned(
            ident,
            "missing #[token(base_url = \"...\")]: the provider's default server, such as \"https://auth.example.com\"",
        );
    }
    if provider.attrs.path.get().is_none() && !errors.was_suggested(attr::PATH) {
        errors.spanned(
            ident,
            "missing #[token(path = \"...\")]: the token endpoint's path, such as \"/oauth/token\"",
        );
    }
}

fn check_path(provider: &Provider<'_>, errors: &mut Errors) {
    let Some(path) = provider.attrs.path.value() else {
        return;
    };
    let text = path.value();
    if !text.starts_with('/') {
        errors.spanned(path, "path must start with '/': \"/oauth/token\"");
    } else if text.contains(['{', '}']) {
        errors.spanned(path, "path cannot hold template parts; put them in base_url: base_url = \"https://{tenant}.example.com\"");
    } else if let Some(bad) = text
        .chars()
        .find(|c| matches!(c, '?' | '#') || c.is_whitespace())
    {
        errors.spanned(
            path,
            format!("path contains {bad:?}; declare query parameters with #[token(query)]"),
        );
    }
}

fn check_template(provider: &Provider<'_>, errors: &mut Errors) {
    let (Some(template), Some(base_url)) = (&provider.template, provider.attrs.base_url.value())
    else {
        return;
    };
    let mut named = Vec::new();
    for piece in template {
        let (Piece::Origin(name) | Piece::Part(name)) = piece else {
            continue;
        };
        named.push(name.as_str());
        let Some(field) = provider.field(name) else {
            errors.spanned(
                base_url,
                format!(
                    "base_url names {{{name}}}, but the struct has no field `{name}`{}",
                    did_you_mean(provider, name)
                ),
            );
            continue;
        };
        if field.attrs.url.get().is_none() {
            errors.spanned(
                field.ident,
                format!("`{name}` fills {{{name}}} in base_url; mark it #[token(url)]"),
            );
        }
        if field.option_of.is_some() {
            errors.spanned(
                field.ty,
                format!("`{name}` fills {{{name}}} in base_url, so it cannot be optional: the URL always needs it"),
            );
        }
        if let Some(span) = field.attrs.secret.key_span() {
            errors.push(syn::Error::new(
                span,
                "a secret cannot be part of the URL: URLs end up in logs",
            ));
        }
    }
    for field in &provider.fields {
        let Some(span) = field.attrs.url.key_span() else {
            continue;
        };
        let name = unraw(field.ident);
        if !named.contains(&name.as_str()) {
            errors.push(syn::Error::new(
                span,
                format!("`{name}` is marked #[token(url)], but base_url has no {{{name}}} for it to fill"),
            ));
        }
    }
}

fn check_fields(provider: &Provider<'_>, errors: &mut Errors) {
    let mut bearer: Option<Span> = None;
    for field in &provider.fields {
        let roles = field.roles();
        if let [(first, _), rest @ ..] = roles.as_slice() {
            for (role, span) in rest {
                errors.push(syn::Error::new(
                    *span,
                    format!(
                        "a field goes to one place: `{}` is already {}, it cannot also be {}",
                        unraw(field.ident),
                        first.describe(),
                        role.describe()
                    ),
                ));
            }
        }
        if let Some(span) = field.attrs.bearer.key_span() {
            if bearer.is_some() {
                errors.push(syn::Error::new(
                    span,
                    "only one field can be the bearer token",
                ));
            }
            bearer = Some(span);
        }
        if let Some(rename) = field.attrs.rename.get() {
            if rename.value.value().is_empty() {
                errors.spanned(
                    &rename.value,
                    "rename needs the name to send, it cannot be empty",
                );
            }
            if matches!(field.role(), Role::Header(_) | Role::Bearer | Role::Url) {
                errors.push(syn::Error::new(
                    rename.key,
                    format!(
                        "rename applies to body and query parameters; `{}` is {}",
                        unraw(field.ident),
                        field.role().describe()
                    ),
                ));
            }
        }
        if let (Some(default), Some(_)) = (field.attrs.default.get(), field.option_of) {
            errors.push(syn::Error::new(
                default.key,
                "an Option field already defaults to None; remove `default`",
            ));
        }
    }
}

fn check_headers(provider: &Provider<'_>, errors: &mut Errors) {
    let mut seen: HashMap<String, ()> = HashMap::new();
    let bearer = provider
        .fields
        .iter()
        .any(|field| field.attrs.bearer.get().is_some());
    if bearer || provider.client_auth == ClientAuth::Basic {
        seen.insert(String::from("authorization"), ());
    }
    if provider.encoding != Encoding::Empty {
        seen.insert(String::from("content-type"), ());
    }
    for header in &provider.attrs.headers {
        let name = static_header_name(&header.name);
        if !name.bytes().all(is_header_name_byte) {
            errors.spanned(&header.name, "not a valid HTTP header name");
        } else if seen.insert(name.clone(), ()).is_some() {
            errors.spanned(
                &header.name,
                format!("the header \"{name}\" is already sent by this provider"),
            );
        }
    }
    for field in &provider.fields {
        let Some(header) = field.attrs.header.value() else {
            continue;
        };
        let name = header.value();
        if name.is_empty() || !name.bytes().all(is_header_name_byte) {
            errors.spanned(
                header,
                "not a valid HTTP header name: letters, digits and !#$%&'*+-.^_`|~ only",
            );
        } else if seen.insert(name.to_ascii_lowercase(), ()).is_some() {
            errors.spanned(
                header,
                format!("the header \"{name}\" is already sent by this provider"),
            );
        }
    }
}

fn is_header_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

/// Two parameters with one wire name in the same place would overwrite or repeat each other.
fn check_wire_names(provider: &Provider<'_>, errors: &mut Errors) {
    let mut seen: HashMap<(bool, String), ()> = HashMap::new();
    let in_query =
        |role: Role<'_>| matches!(role, Role::Query) || provider.encoding == Encoding::Empty;
    for field in &provider.fields {
        let role = field.role();
        if !matches!(role, Role::Body | Role::Query) || provider.in_basic_auth(field) {
            continue;
        }
        let name = field.wire_name();
        if seen.insert((in_query(role), name.clone()), ()).is_some() {
            errors.push(duplicate_wire_name(field, &name));
        }
    }
    for constant in &provider.attrs.params {
        let name = unraw(&constant.name);
        if seen
            .insert((in_query(Role::Body), name.clone()), ())
            .is_some()
        {
            errors.spanned(
                &constant.name,
                format!("the parameter \"{name}\" is already sent by a field or constant"),
            );
        }
    }
}

fn duplicate_wire_name(field: &Field<'_>, name: &str) -> syn::Error {
    let tokens = field
        .attrs
        .rename
        .value()
        .map_or_else(|| field.ident.to_token_stream(), ToTokens::to_token_stream);
    syn::Error::new_spanned(
        tokens,
        format!("the parameter \"{name}\" is already sent by another field"),
    )
}

fn check_encoding(provider: &Provider<'_>, errors: &mut Errors) {
    let attrs = &provider.attrs;
    if provider.method == Method::Get
        && let Some(body) = attrs.body.value()
        && provider.encoding != Encoding::Empty
    {
        errors.spanned(
            body,
            "a GET request has no body; use body = \"none\" (parameters then travel in the query)",
        );
    }
    let Some(content_type) = attrs.content_type.value() else {
        return;
    };
    let declared = content_type.value().to_ascii_lowercase();
    let essence = declared
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned();
    let is_json =
        essence == "application/json" || essence == "text/json" || essence.ends_with("+json");
    let is_form = essence == "application/x-www-form-urlencoded";
    let contradiction = match provider.encoding {
        Encoding::Json if is_form => Some("the body is JSON, but content_type says form data"),
        Encoding::Form if is_json => {
            Some("the body is form data, but content_type says JSON; use body = \"json\"")
        }
        Encoding::Empty => Some("a request with no body has no content type"),
        _ => None,
    };
    if let Some(contradiction) = contradiction {
        errors.spanned(content_type, contradiction);
    } else if essence.is_empty()
        || !declared
            .bytes()
            .all(|byte| byte.is_ascii_graphic() || byte == b' ')
    {
        errors.spanned(
            content_type,
            "not a valid media type, such as \"text/plain\"",
        );
    }
}

fn check_name(provider: &Provider<'_>, errors: &mut Errors) {
    let Some(name) = provider.attrs.name.value() else {
        return;
    };
    let text = name.value();
    let valid = text
        .bytes()
        .next()
        .is_some_and(|byte| byte.is_ascii_lowercase())
        && text
            .bytes()
            .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-');
    if !valid {
        errors.spanned(name, "a provider name is lowercase letters, digits and '-', starting with a letter: \"acme\"");
    }
}

fn check_refresh(provider: &Provider<'_>, errors: &mut Errors) {
    let Some(refresh) = &provider.refresh else {
        return;
    };
    if let Some(path) = &refresh.path
        && (!path.value().starts_with('/') || path.value().contains(['?', '#', '{', '}']))
    {
        errors.spanned(
            path,
            "the refresh path starts with '/' and holds no query or template: \"/oauth/refresh\"",
        );
    }
    for name in &refresh.send {
        let Some(field) = provider.field(&name.value()) else {
            errors.spanned(
                name,
                format!(
                    "refresh sends fields by name, and the struct has no field `{}`{}",
                    name.value(),
                    did_you_mean(provider, &name.value())
                ),
            );
            continue;
        };
        if !matches!(field.role(), Role::Body) {
            errors.spanned(
                name,
                format!(
                    "`{}` is {}, which every refresh request carries already; `send` lists body fields",
                    name.value(),
                    field.role().describe()
                ),
            );
        } else if refresh.grant
            && ["grant_type", "refresh_token"].contains(&field.wire_name().as_str())
        {
            errors.spanned(name, "`grant` already sends grant_type and refresh_token");
        }
    }
}

/// `, did you mean `client_secret`?` when a field is close to the name written, or nothing.
fn did_you_mean(provider: &Provider<'_>, written: &str) -> String {
    let names: Vec<String> = provider
        .fields
        .iter()
        .map(|field| unraw(field.ident))
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    suggest::closest(written, &names)
        .map_or_else(String::new, |name| format!(", did you mean `{name}`?"))
}
