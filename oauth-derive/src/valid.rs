//! Rules that span keys and fields: every mistake is reported, on the tokens that make it.

use std::collections::HashSet;

use proc_macro2::Span;
use quote::ToTokens;
use syn::{GenericParam, Lit};

use crate::ast::{Field, Provider, Role};
use crate::attr::{ClientAuth, Encoding, Method};
use crate::errors::Errors;
use crate::suggest;
use crate::template::Piece;

pub(crate) fn check(provider: &Provider<'_>, errors: &mut Errors) {
    check_required(provider, errors);
    check_generics(provider, errors);
    check_template(provider, errors);
    check_path_templates(provider, errors);
    for field in &provider.fields {
        check_field(provider, field, errors);
    }
    check_bearer(provider, errors);
    check_headers(provider, errors);
    check_wire_names(provider, errors);
    check_encoding(provider, errors);
    check_success(provider, errors);
    check_refresh(provider, errors);
    check_client_auth(provider, errors);
    check_basic(provider, errors);
    check_body_paths(provider, errors);
    check_token_source(provider, errors);
    check_assertion(provider, errors);
}

fn check_required(provider: &Provider<'_>, errors: &mut Errors) {
    let declared = &provider.declared;
    let ident = &provider.input.ident;
    let meant = |key: &str| declared.meant.contains(&key);
    if !declared.base_url.is_written() && !meant("base_url") {
        errors.spanned(
            ident,
            "missing #[token(base_url = \"...\")]: the provider's default server, such as \"https://auth.example.com\"",
        );
    }
    if !declared.path.is_written() && !meant("path") {
        errors.spanned(
            ident,
            "missing #[token(path = \"...\")]: the token endpoint's path, such as \"/oauth/token\"",
        );
    }
}

fn check_generics(provider: &Provider<'_>, errors: &mut Errors) {
    for param in &provider.input.generics.params {
        if !matches!(param, GenericParam::Lifetime(_)) {
            errors.spanned(
                param,
                "#[derive(TokenEndpoint)] does not support type or const parameters; \
                 declare a concrete struct (lifetime parameters are fine)",
            );
        }
    }
}

fn check_template(provider: &Provider<'_>, errors: &mut Errors) {
    let Some(base_url) = &provider.base_url else {
        return;
    };
    let mut filled: HashSet<String> = path_templates(provider)
        .flat_map(|(_, names)| names)
        .collect();
    for piece in &base_url.pieces {
        let (Piece::Origin(name) | Piece::Part(name)) = piece else {
            continue;
        };
        let Some(field) = provider.field(name) else {
            let meant = did_you_mean(provider, name);
            errors.spanned(
                &base_url.lit,
                format!(
                    "base_url names {{{name}}}, but the struct has no field `{name}`{}",
                    meant.map_or_else(String::new, |meant| {
                        filled.insert(meant.clone());
                        format!(", did you mean `{meant}`?")
                    })
                ),
            );
            continue;
        };
        filled.insert(name.clone());
        check_template_field(field, matches!(piece, Piece::Origin(_)), errors);
    }
    for field in &provider.fields {
        if let Some(span) = field.declared.url.key_span()
            && !filled.contains(&field.name)
        {
            errors.at(
                span,
                format!(
                    "`{}` is marked #[token(url)], but base_url has no {{{}}} for it to fill",
                    field.name, field.name
                ),
            );
        }
    }
}

/// Each path that holds `{part}`s, with their names.
fn path_templates<'p>(
    provider: &'p Provider<'_>,
) -> impl Iterator<Item = (&'p syn::LitStr, Vec<String>)> {
    let refresh = provider
        .refresh
        .as_ref()
        .and_then(|refresh| refresh.path.as_ref());
    provider.path.iter().chain(refresh).filter_map(|path| {
        let text = path.value();
        let names: Vec<String> = text
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
            .collect();
        (text.contains(['{', '}'])).then_some((path, names))
    })
}

/// Template parts belong in `base_url`, which every path is joined to.
fn check_path_templates(provider: &Provider<'_>, errors: &mut Errors) {
    for (path, _) in path_templates(provider) {
        let is_token_path = provider
            .path
            .as_ref()
            .is_some_and(|own| std::ptr::eq(own, path));
        let text = path.value();
        let split = text.rfind('}').and_then(|end| {
            let rest = text.get(end + 1..)?;
            let start = rest.find('/')? + end + 1;
            Some((text.get(..start)?, text.get(start..)?))
        });
        let fix = match (is_token_path, split, &provider.base_url) {
            (true, Some((moved, rest)), Some(base_url)) => format!(
                ": base_url = \"{}{moved}\", path = \"{rest}\"",
                base_url.lit.value().trim_end_matches('/')
            ),
            _ => String::from(", such as base_url = \"https://{tenant}.example.com\""),
        };
        errors.spanned(
            path,
            format!("a path cannot hold template parts; put them in base_url{fix}"),
        );
    }
}

fn check_template_field(field: &Field<'_>, origin: bool, errors: &mut Errors) {
    let name = &field.name;
    if field.declared.url.get().is_none() {
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
    if let Some(span) = field.declared.secret.key_span() {
        errors.at(
            span,
            format!("`{name}` fills {{{name}}} in base_url, and a secret cannot be part of the URL (URLs end up in logs); send it as a body field or a header"),
        );
    }
    let Some(Lit::Str(default)) = &field.default else {
        return;
    };
    let text = default.value();
    let (problem, example) = if origin {
        let meant = text.replacen("http://", "https://", 1);
        let example = if crate::http::origin_problem(&meant).is_none() {
            meant
        } else {
            String::from("https://acme.example.com")
        };
        (crate::http::origin_problem(&text), example)
    } else {
        (
            crate::http::url_part_problem(&text),
            String::from("eu-west-1"),
        )
    };
    if let Some(problem) = problem {
        let what = if origin {
            "opens base_url, so its default is a whole origin, https://host[:port]; it"
        } else {
            "fills one host label or path segment of base_url; its default"
        };
        errors.spanned(
            default,
            format!("`{name}` {what} {problem}: #[token(url, default = {example:?})]"),
        );
    }
}

fn check_field(provider: &Provider<'_>, field: &Field<'_>, errors: &mut Errors) {
    check_roles(field, errors);
    let declared = &field.declared;
    if let Some(rename) = declared.rename.get()
        && matches!(
            field.role,
            Role::Header(_) | Role::Bearer | Role::Url | Role::PrivateKey | Role::Claim(_)
        )
    {
        errors.at(
            rename.key,
            format!(
                "rename applies to body and query parameters; `{}` is {}",
                field.name,
                field.role.describe()
            ),
        );
    }
    check_at(provider, field, errors);
    if let (Some(default), Some(_)) = (declared.default.get(), field.option_of) {
        errors.at(
            default.key,
            "an Option field already defaults to None; remove `default`",
        );
    }
    if let (Some(_), Some(not_secret)) = (declared.secret.get(), declared.not_secret.get()) {
        errors.at(
            not_secret.key,
            format!(
                "`{}` cannot be both secret and not_secret; keep one",
                field.name
            ),
        );
    } else if let Some(not_secret) = declared.not_secret.get() {
        if provider.is_basic_password(field) && provider.declared.basic.is_written() {
            errors.at(
                not_secret.key,
                format!("basic(...) sends `{}` as the password, a credential: remove not_secret and declare `{}: Secret`", field.name, field.name),
            );
        } else if provider.in_basic_auth(field) && field.name == "client_secret" {
            errors.at(
                not_secret.key,
                "client_auth = \"basic\" sends `client_secret` as the client's credential, so it is a secret: remove not_secret and declare `client_secret: Secret`",
            );
        } else if !field.named_like_credential() && field.role != Role::Bearer {
            errors.at(
                not_secret.key,
                format!(
                    "not_secret is for a field named like a credential that holds none; `{}` is not named like one, so remove it",
                    field.name
                ),
            );
        }
    }
    check_default(field, errors);
}

fn check_roles(field: &Field<'_>, errors: &mut Errors) {
    let declared = &field.declared;
    let mut roles: Vec<(Role, Span)> = Vec::new();
    if let Some(header) = declared.header.get() {
        roles.push((Role::Header(header.value.value()), header.key));
    }
    let flags = [
        (&declared.bearer, Role::Bearer),
        (&declared.url, Role::Url),
        (&declared.query, Role::Query),
        (&declared.private_key, Role::PrivateKey),
    ];
    for (slot, role) in flags {
        if let Some(span) = slot.key_span() {
            roles.push((role, span));
        }
    }
    if let Some(span) = declared.claim.key_span() {
        roles.push((Role::Claim(field.name.clone()), span));
    }
    if let [(first, _), rest @ ..] = roles.as_slice() {
        for (role, span) in rest {
            errors.at(
                *span,
                format!(
                    "a field goes to one place: `{}` is already {}, it cannot also be {}",
                    field.name,
                    first.describe(),
                    role.describe()
                ),
            );
        }
    }
}

/// A default fits its field: a header's is a header value, and its literal matches the type.
fn check_default(field: &Field<'_>, errors: &mut Errors) {
    let Some(default) = &field.default else {
        return;
    };
    if let Some(Role::Header(_)) = Some(&field.role)
        && let Lit::Str(text) = default
        && !crate::http::is_header_value(&text.value())
    {
        errors.spanned(
            text,
            format!(
                "`{}` is sent as a header, which cannot hold line breaks or other control characters: default = {:?}",
                field.name,
                crate::http::clean_header_value(&text.value())
            ),
        );
    }
    if let Some(error) = field.default_mismatch() {
        errors.push(error);
    }
}

fn check_bearer(provider: &Provider<'_>, errors: &mut Errors) {
    let mut bearers = provider
        .fields
        .iter()
        .filter_map(|field| field.declared.bearer.key_span());
    if bearers.next().is_some() {
        for span in bearers {
            errors.at(span, "only one field can be the bearer token");
        }
    }
}

fn check_headers(provider: &Provider<'_>, errors: &mut Errors) {
    let mut seen = HashSet::new();
    let bearer = provider
        .fields
        .iter()
        .any(|field| field.declared.bearer.get().is_some());
    if bearer || provider.basic.is_some() {
        seen.insert(String::from("authorization"));
    }
    if provider.encoding != Encoding::Empty {
        seen.insert(String::from("content-type"));
    }
    for header in &provider.headers {
        if !seen.insert(header.name.to_ascii_lowercase()) {
            errors.spanned(
                &header.ident,
                format!(
                    "the header \"{}\" is already sent by this provider",
                    header.name
                ),
            );
        }
    }
    for field in &provider.fields {
        if let Some(header) = field.declared.header.value()
            && !seen.insert(header.value().to_ascii_lowercase())
        {
            errors.spanned(
                header,
                format!(
                    "the header \"{}\" is already sent by this provider",
                    header.value()
                ),
            );
        }
    }
}

/// Two parameters with one wire name in the same place would overwrite or repeat each other.
fn check_wire_names(provider: &Provider<'_>, errors: &mut Errors) {
    let mut seen = HashSet::new();
    let in_query = |role: &Role| *role == Role::Query || provider.encoding == Encoding::Empty;
    for field in &provider.fields {
        if !matches!(field.role, Role::Body | Role::Query)
            || provider.taken_by_client_auth(field)
            || (provider.nested && field.role == Role::Body)
        {
            continue;
        }
        let name = field.wire_name();
        if !seen.insert((in_query(&field.role), name.clone())) {
            let tokens = field
                .declared
                .rename
                .value()
                .map_or_else(|| field.ident.to_token_stream(), ToTokens::to_token_stream);
            errors.spanned(
                tokens,
                format!("the parameter \"{name}\" is already sent by another field"),
            );
        }
    }
    for constant in provider.params.iter().filter(|_| !provider.nested) {
        let name = crate::ast::unraw(&constant.name);
        if !seen.insert((in_query(&Role::Body), name.clone())) {
            errors.spanned(
                &constant.name,
                format!("the parameter \"{name}\" is already sent by a field or constant"),
            );
        }
    }
}

fn check_encoding(provider: &Provider<'_>, errors: &mut Errors) {
    let declared = &provider.declared;
    if provider.method == Method::Get
        && provider.encoding != Encoding::Empty
        && let Some(body) = declared.body.get()
    {
        errors.at(
            body.key,
            "a GET request has no body: body = \"none\" (parameters then travel in the query)",
        );
    }
    let Some(content_type) = &provider.content_type else {
        return;
    };
    let declared = content_type.value().to_ascii_lowercase();
    let essence = declared.split(';').next().unwrap_or_default().trim();
    let is_json =
        essence == "application/json" || essence == "text/json" || essence.ends_with("+json");
    let is_form = essence == "application/x-www-form-urlencoded";
    let contradiction = match provider.encoding {
        Encoding::Json if is_form => {
            Some("the body is JSON, but content_type says form data; use body = \"form\"")
        }
        Encoding::Form if is_json => {
            Some("the body is form data, but content_type says JSON; use body = \"json\"")
        }
        Encoding::Empty => Some("a request with no body has no content type; remove content_type"),
        _ => None,
    };
    if let Some(contradiction) = contradiction {
        errors.spanned(content_type, contradiction);
    }
}

fn check_success(provider: &Provider<'_>, errors: &mut Errors) {
    let Some(success) = provider.declared.success.get() else {
        return;
    };
    let condition = &success.value;
    let example = "success(field = \"status\", equals = 0)";
    if !condition.field.is_written() {
        errors.at(
            success.key,
            format!("success(...) needs the field to check: {example}"),
        );
    }
    if !condition.equals.is_written() {
        errors.at(
            success.key,
            format!("success(...) needs the value that means success: {example}"),
        );
    }
    if let (Some(codes), Some(equals)) = (condition.codes.get(), condition.equals.value())
        && !matches!(equals, Lit::Int(_))
    {
        errors.at(
            codes.key,
            "codes name integer status values; use it with an integer `equals`, or remove it",
        );
    }
}

fn check_refresh(provider: &Provider<'_>, errors: &mut Errors) {
    let (Some(refresh), Some(declared)) = (&provider.refresh, provider.declared.refresh.get())
    else {
        return;
    };
    let written = &declared.value;
    if !written.grant.is_written() && !written.path.is_written() {
        errors.at(
            declared.key,
            "refresh(...) says how to renew a token: `grant` sends grant_type=refresh_token \
             (RFC 6749 section 6), `path` names a separate endpoint; write one or both: refresh(grant)",
        );
    }
    for name in written.send.value().into_iter().flatten() {
        check_refresh_field(provider, refresh.grant, name, errors);
    }
}

fn check_refresh_field(
    provider: &Provider<'_>,
    grant: bool,
    name: &syn::LitStr,
    errors: &mut Errors,
) {
    let text = name.value();
    let Some(field) = provider.field(&text) else {
        let meant = did_you_mean(provider, &text)
            .map_or_else(String::new, |meant| format!(", did you mean `{meant}`?"));
        errors.spanned(
            name,
            format!("refresh sends fields by name, and the struct has no field `{text}`{meant}"),
        );
        return;
    };
    if field.role != Role::Body {
        errors.spanned(
            name,
            format!(
                "`{text}` is {}, which every refresh request carries already; `send` lists body fields",
                field.role.describe()
            ),
        );
    } else if grant && ["grant_type", "refresh_token"].contains(&field.wire_name().as_str()) {
        errors.spanned(
            name,
            "`grant` already sends grant_type and refresh_token; remove it from `send`",
        );
    }
}

fn check_client_auth(provider: &Provider<'_>, errors: &mut Errors) {
    let Some(declared) = provider.declared.client_auth.get() else {
        return;
    };
    if provider.client_auth != ClientAuth::Basic || provider.declared.basic.is_written() {
        return;
    }
    for name in ClientAuth::BASIC_FIELDS {
        let carried = provider
            .field(name)
            .is_some_and(|field| provider.in_basic_auth(field));
        if !carried {
            let meant = did_you_mean(provider, name)
                .filter(|meant| provider.field(name).is_none() && meant != name)
                .map_or_else(String::new, |meant| {
                    format!(" (rename `{meant}` to `{name}`?)")
                });
            errors.at(
                declared.key,
                format!(
                    "client_auth = \"basic\" sends `client_id` and `client_secret` in the Authorization header; \
                     the struct needs a body field `{name}`{meant}"
                ),
            );
        }
    }
    if let Some(bearer) = provider
        .fields
        .iter()
        .find_map(|field| field.declared.bearer.key_span())
    {
        errors.at(
            bearer,
            "a bearer field and client_auth = \"basic\" both want the Authorization header",
        );
    }
}

/// The field whose name is close to `written`, if any.
fn did_you_mean(provider: &Provider<'_>, written: &str) -> Option<String> {
    let names: Vec<&str> = provider
        .fields
        .iter()
        .map(|field| field.name.as_str())
        .collect();
    suggest::closest(written, &names).map(str::to_owned)
}

/// `at` places a body field in a nested JSON body, so it needs one; a dotted
/// `rename` in a JSON body would send the dots as part of one key.
fn check_at(provider: &Provider<'_>, field: &Field<'_>, errors: &mut Errors) {
    let declared = &field.declared;
    if let Some(rename) = declared.rename.value()
        && rename.value().contains('.')
        && provider.encoding == Encoding::Json
        && !declared.at.is_written()
    {
        errors.spanned(
            rename,
            format!(
                "rename names one key, so the dots would be part of it; to place `{}` inside nested objects write #[token(at = {:?})]",
                field.name,
                rename.value()
            ),
        );
    }
    let Some(at) = declared.at.value() else {
        return;
    };
    let problem = if field.role != Role::Body || provider.in_basic_auth(field) {
        Some(format!(
            "`at` places a body parameter in a nested JSON body; `{}` is {}",
            field.name,
            if provider.in_basic_auth(field) {
                "sent by HTTP Basic"
            } else {
                field.role.describe()
            }
        ))
    } else if declared.rename.is_written() {
        Some(String::from(
            "`at` already names the key (its last segment); remove rename",
        ))
    } else if provider.encoding != Encoding::Json {
        Some(String::from(
            "a nested body path needs a JSON body: #[token(body = \"json\")]",
        ))
    } else {
        None
    };
    if let Some(problem) = problem {
        errors.spanned(&at.lit, problem);
    }
}

/// In a nested body, no two values share a path and none sits under another.
fn check_body_paths(provider: &Provider<'_>, errors: &mut Errors) {
    if provider.encoding != Encoding::Json {
        for constant in &provider.constants {
            errors.spanned(
                &constant.at.lit,
                "constant(...) places a value in a nested JSON body, which needs #[token(body = \"json\")]",
            );
        }
        return;
    }
    if !provider.nested {
        return;
    }
    let fields = provider
        .fields
        .iter()
        .filter(|field| field.role == Role::Body && !provider.in_basic_auth(field))
        .map(|field| {
            let tokens = field.declared.at.value().map_or_else(
                || field.ident.to_token_stream(),
                |at| at.lit.to_token_stream(),
            );
            (field.body_path(), tokens)
        });
    let params = provider.params.iter().map(|constant| {
        let name = crate::ast::unraw(&constant.name);
        (vec![name], constant.name.to_token_stream())
    });
    let constants = provider.constants.iter().map(|constant| {
        (
            constant.at.segments.clone(),
            constant.at.lit.to_token_stream(),
        )
    });
    let mut placed: Vec<Vec<String>> = Vec::new();
    for (path, tokens) in fields.chain(params).chain(constants) {
        let clash = placed.iter().find(|other| {
            let shorter = other.len().min(path.len());
            other.get(..shorter) == path.get(..shorter)
        });
        if let Some(other) = clash {
            let (this, that) = (path.join("."), other.join("."));
            let message = match other.len().cmp(&path.len()) {
                std::cmp::Ordering::Equal => {
                    format!(
                        "the body path \"{this}\" is already filled by another field or constant"
                    )
                }
                std::cmp::Ordering::Less => format!(
                    "the body path \"{this}\" goes under \"{that}\", which holds a value, not an object; move one of them"
                ),
                std::cmp::Ordering::Greater => format!(
                    "the body path \"{this}\" holds a value, but \"{that}\" goes inside it; move one of them"
                ),
            };
            errors.spanned(tokens, message);
            continue;
        }
        placed.push(path);
    }
}

/// `basic(...)` names two body fields, and replaces `client_auth = "basic"`.
fn check_basic(provider: &Provider<'_>, errors: &mut Errors) {
    let Some(declared) = provider.declared.basic.get() else {
        return;
    };
    if let Some(client_auth) = provider.declared.client_auth.get()
        && provider.client_auth == ClientAuth::Basic
    {
        errors.at(
            client_auth.key,
            "basic(...) already sends HTTP Basic; for RFC 6749 section 2.3.1 write basic(user = \"client_id\", password = \"client_secret\", encoding = \"form\") and remove client_auth",
        );
    }
    for name in [&declared.value.user, &declared.value.password]
        .into_iter()
        .filter_map(|slot| slot.value())
    {
        let text = name.value();
        match provider.field(&text) {
            None => {
                let meant = did_you_mean(provider, &text)
                    .map_or_else(String::new, |meant| format!(", did you mean `{meant}`?"));
                errors.spanned(
                    name,
                    format!("basic(...) sends fields by name, and the struct has no field `{text}`{meant}"),
                );
            }
            Some(field) if field.role != Role::Body => errors.spanned(
                name,
                format!(
                    "basic(...) sends body fields; `{text}` is {}",
                    field.role.describe()
                ),
            ),
            Some(_) => {}
        }
    }
    if let Some(bearer) = provider
        .fields
        .iter()
        .find_map(|field| field.declared.bearer.key_span())
    {
        errors.at(
            bearer,
            "a bearer field and basic(...) both want the Authorization header",
        );
    }
}

/// The access token comes from one place: a body path or a header.
fn check_token_source(provider: &Provider<'_>, errors: &mut Errors) {
    let response = &provider.declared.response;
    if let (Some(_), Some(header)) = (
        response.access_token.get(),
        response.access_token_header.get(),
    ) {
        errors.at(
            header.key,
            "access_token is read from one place: a body path (access_token = \"data.token\") or a header (access_token = header(\"X-Subject-Token\")); keep one",
        );
    }
}

/// Signed assertions: the fields each style needs, a key and claims only where something signs.
fn check_assertion(provider: &Provider<'_>, errors: &mut Errors) {
    let written = provider.declared.assertion.get();
    if let Some(written) = written
        && provider.assertion.is_none()
    {
        errors.at(
            written.key,
            "assertion(...) configures a signed JWT: add `grant` for the JWT bearer grant, \
             or declare client_auth = \"private_key_jwt\" or \"client_secret_jwt\"",
        );
    }
    if let Some(grant) = written.and_then(|written| written.value.grant.key_span()) {
        if provider.client_auth.signs() {
            errors.at(
                grant,
                "assertion(grant) and a JWT client_auth would each sign an assertion; declare one",
            );
        }
        if !claim_names(provider).iter().any(|(name, _)| name == "iss") {
            errors.at(
                grant,
                "the JWT bearer grant needs an `iss` claim: a field #[token(claim = \"iss\")] or claims(iss = \"...\")",
            );
        }
    }
    if let Some(auth) = provider.declared.client_auth.get() {
        check_client_auth_fields(provider, auth.key, errors);
    }
    check_private_key(provider, errors);
    check_claims(provider, errors);
    check_reserved_params(provider, errors);
}

/// The body fields each client authentication needs, and the one `tls_client_auth` forbids.
fn check_client_auth_fields(provider: &Provider<'_>, auth: Span, errors: &mut Errors) {
    let mut needs = |style: &str, name: &str, why: &str| {
        let present = provider
            .field(name)
            .is_some_and(|field| field.role == Role::Body);
        if !present {
            errors.at(
                auth,
                format!("client_auth = \"{style}\" {why}; the struct needs a body field `{name}`"),
            );
        }
    };
    let issuer = "makes the client id the assertion's issuer";
    match provider.client_auth {
        ClientAuth::PrivateKeyJwt => needs("private_key_jwt", "client_id", issuer),
        ClientAuth::ClientSecretJwt => {
            needs("client_secret_jwt", "client_id", issuer);
            let why = "signs the assertion with the client secret";
            needs("client_secret_jwt", "client_secret", why);
        }
        ClientAuth::TlsCertificate => needs("tls_client_auth", "client_id", "sends the client id"),
        ClientAuth::Body | ClientAuth::Basic => {}
    }
    if provider.client_auth == ClientAuth::TlsCertificate
        && let Some(secret) = provider.field("client_secret")
    {
        errors.spanned(
            secret.ident,
            "client_auth = \"tls_client_auth\" authenticates with the TLS client certificate \
             and sends only `client_id`; remove `client_secret`",
        );
    }
}

/// One `#[token(private_key)]` field where something signs with it, none elsewhere.
fn check_private_key(provider: &Provider<'_>, errors: &mut Errors) {
    let mut unmarked = false;
    for field in &provider.fields {
        if field.is_private_key() && field.role == Role::Body {
            unmarked = true;
            errors.spanned(
                field.ty,
                format!(
                    "`{}` is a private key; mark it #[token(private_key)] so it signs instead of being sent",
                    field.name
                ),
            );
        }
    }
    let grant = provider
        .declared
        .assertion
        .value()
        .and_then(|written| written.grant.key_span());
    // An unmarked key field already says what to do.
    if provider.private_key().is_none() && !unmarked {
        if let Some(auth) = provider.declared.client_auth.get()
            && provider.client_auth == ClientAuth::PrivateKeyJwt
        {
            errors.at(
                auth.key,
                "client_auth = \"private_key_jwt\" signs the client assertion with a private key; \
                 mark the key field #[token(private_key)]",
            );
        }
        if let Some(grant) = grant {
            errors.at(
                grant,
                "assertion(grant) signs the grant with a private key; mark the key field #[token(private_key)]",
            );
        }
    }
    let uses_key = provider.client_auth == ClientAuth::PrivateKeyJwt || grant.is_some();
    let mut keys = provider
        .fields
        .iter()
        .filter_map(|field| field.declared.private_key.key_span());
    if let Some(first) = keys.next()
        && !uses_key
    {
        errors.at(
            first,
            "a private key signs an assertion: declare client_auth = \"private_key_jwt\" or assertion(grant)",
        );
    }
    for extra in keys {
        errors.at(extra, "only one field can be the private key");
    }
}

/// Every declared claim: its name and where it is declared.
fn claim_names(provider: &Provider<'_>) -> Vec<(String, Span)> {
    let moved = provider
        .assertion
        .iter()
        .flat_map(|assertion| &assertion.claims);
    let unmoved = provider
        .declared
        .assertion
        .value()
        .into_iter()
        .flat_map(|written| &written.claims);
    let constants = moved
        .chain(unmoved)
        .map(|constant| (crate::ast::unraw(&constant.name), constant.name.span()));
    let fields = provider.fields.iter().filter_map(|field| {
        let span = field.declared.claim.key_span()?;
        match &field.role {
            Role::Claim(name) => Some((name.clone(), span)),
            _ => None,
        }
    });
    constants.chain(fields).collect()
}

fn check_claims(provider: &Provider<'_>, errors: &mut Errors) {
    let client_assertion = provider.client_auth.signs() && !provider.jwt_bearer_grant();
    let mut seen = HashSet::new();
    for (name, span) in claim_names(provider) {
        let message = if provider.assertion.is_none() {
            if provider.declared.assertion.is_written() {
                continue;
            }
            String::from(
                "a claim goes into a signed assertion, and this provider signs none: \
                 declare assertion(grant) or a JWT client_auth",
            )
        } else if ["iat", "exp", "jti"].contains(&name.as_str()) {
            format!(
                "`{name}` is set for each request (`iat` and `exp` from the time and `lifetime`, \
                 `jti` fresh); it cannot be declared"
            )
        } else if client_assertion && (name == "iss" || name == "sub") {
            format!(
                "a client assertion's `{name}` is the client id (RFC 7523 section 3); it cannot be declared"
            )
        } else if !seen.insert(name.clone()) {
            format!("the claim `{name}` is already declared")
        } else {
            continue;
        };
        errors.at(span, message);
    }
}

/// The body parameters an assertion sends cannot also come from a field or constant.
fn check_reserved_params(provider: &Provider<'_>, errors: &mut Errors) {
    let Some(assertion) = &provider.assertion else {
        return;
    };
    let (reserved, by): (&[&str], &str) = if assertion.grant {
        (&["grant_type", "assertion"], "assertion(grant)")
    } else {
        (
            &["client_assertion_type", "client_assertion"],
            "the JWT client_auth",
        )
    };
    let message = |name: &str| format!("the parameter \"{name}\" is sent by {by}; remove it");
    for constant in &provider.params {
        let name = crate::ast::unraw(&constant.name);
        if reserved.contains(&name.as_str()) {
            errors.spanned(&constant.name, message(&name));
        }
    }
    for field in &provider.fields {
        let name = field.wire_name();
        if field.role == Role::Body && reserved.contains(&name.as_str()) {
            errors.spanned(field.ident, message(&name));
        }
    }
}
