//! The typed model of a provider struct: each attribute turned into what it means,
//! still holding the user's tokens so later stages can point at them.

use proc_macro2::Span;
use syn::{
    Data, DeriveInput, Fields, GenericArgument, GenericParam, Ident, Lit, LitStr, PathArguments,
    Type,
};

use crate::attr::{self, ContainerAttrs, FieldAttrs, Slot};
use crate::errors::Errors;
use crate::template::{self, Piece};

pub(crate) struct Provider<'a> {
    pub(crate) input: &'a DeriveInput,
    pub(crate) krate: syn::Path,
    pub(crate) name: String,
    pub(crate) template: Option<Vec<Piece>>,
    pub(crate) method: Method,
    pub(crate) encoding: Encoding,
    pub(crate) response: Response,
    pub(crate) refresh: Option<Refresh>,
    pub(crate) client_auth: ClientAuth,
    pub(crate) attrs: ContainerAttrs,
    pub(crate) fields: Vec<Field<'a>>,
}

/// Where the client's credentials go (RFC 6749 section 2.3.1).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum ClientAuth {
    /// `client_id` and `client_secret` in the body, as any other field.
    Body,
    /// `client_id` and `client_secret` in an HTTP Basic `Authorization` header.
    Basic,
}

impl ClientAuth {
    /// The fields HTTP Basic authentication takes over.
    pub(crate) const BASIC_FIELDS: [&'static str; 2] = ["client_id", "client_secret"];
}

/// The declared format of response bodies, overriding their content type.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Json,
    Form,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Post,
    Get,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    Json,
    Form,
    Empty,
}

impl Encoding {
    const NAMES: &'static str = "\"json\", \"form\" or \"none\"";

    fn parse(body: &LitStr, fallback: Self, errors: &mut Errors) -> Self {
        match body.value().as_str() {
            "json" => Self::Json,
            "form" => Self::Form,
            "none" => Self::Empty,
            other => {
                errors.spanned(
                    body,
                    format!(
                        "unknown body encoding \"{other}\", expected {}",
                        Self::NAMES
                    ),
                );
                fallback
            }
        }
    }
}

pub(crate) struct Field<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) ty: &'a Type,
    /// `T` when the field is `Option<T>`: optional fields are left out when `None`.
    pub(crate) option_of: Option<&'a Type>,
    pub(crate) attrs: FieldAttrs,
    /// The first line of the field's documentation.
    pub(crate) doc: String,
}

/// Where a field's value goes.
#[derive(Clone, Copy)]
pub(crate) enum Role<'f> {
    Body,
    Query,
    Header(&'f LitStr),
    Bearer,
    Url,
}

impl Role<'_> {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Self::Body => "a body parameter",
            Self::Query => "a query parameter",
            Self::Header(_) => "a header",
            Self::Bearer => "the bearer token",
            Self::Url => "a URL template part",
        }
    }
}

impl<'a> Field<'a> {
    /// Every role the attributes give, in the order they are checked; more than one is an error.
    pub(crate) fn roles(&self) -> Vec<(Role<'_>, Span)> {
        let attrs = &self.attrs;
        let mut roles = Vec::new();
        if let Some(header) = attrs.header.get() {
            roles.push((Role::Header(&header.value), header.key));
        }
        let flags = [
            (&attrs.bearer, Role::Bearer),
            (&attrs.url, Role::Url),
            (&attrs.query, Role::Query),
        ];
        for (slot, role) in flags {
            if let Some(span) = slot.key_span() {
                roles.push((role, span));
            }
        }
        roles
    }

    pub(crate) fn role(&self) -> Role<'_> {
        self.roles().first().map_or(Role::Body, |(role, _)| *role)
    }

    /// The name on the wire: the rename, or the field's own name.
    pub(crate) fn wire_name(&self) -> String {
        self.attrs
            .rename
            .value()
            .map_or_else(|| unraw(self.ident), LitStr::value)
    }

    /// Whether the field holds a credential: declared `secret`, or written as `Secret` / `Option<Secret>`.
    pub(crate) fn is_secret(&self) -> bool {
        let is_secret_type = |ty: &Type| matches!(ty, Type::Path(path) if path.path.segments.last().is_some_and(|last| last.ident == "Secret"));
        self.attrs.secret.get().is_some() || is_secret_type(self.option_of.unwrap_or(self.ty))
    }

    /// Whether `new` takes this field; optional and defaulted fields get a setter instead.
    pub(crate) fn is_required(&self) -> bool {
        self.option_of.is_none() && self.attrs.default.get().is_none()
    }
}

/// The response mapping, as field paths split at dots.
pub(crate) struct Response {
    pub(crate) access_token: Option<JsonPath>,
    pub(crate) token_type: Option<JsonPath>,
    pub(crate) expires_in: Option<JsonPath>,
    pub(crate) refresh_token: Option<JsonPath>,
    pub(crate) scope: Option<JsonPath>,
    pub(crate) expires_at: Option<JsonPath>,
    pub(crate) format: Option<Format>,
    pub(crate) expiry_from_jwt: bool,
    pub(crate) success: Option<Success>,
    pub(crate) error_code: Option<JsonPath>,
    pub(crate) error_description: Option<JsonPath>,
}

pub(crate) struct Success {
    pub(crate) field: JsonPath,
    pub(crate) equals: Lit,
    pub(crate) message: Option<JsonPath>,
    pub(crate) codes: Vec<LitStr>,
}

/// How a provider renews a token: RFC 6749 section 6 (`grant`), a separate endpoint, or both.
pub(crate) struct Refresh {
    pub(crate) grant: bool,
    pub(crate) path: Option<LitStr>,
    pub(crate) encoding: Encoding,
    pub(crate) send: Vec<LitStr>,
}

pub(crate) struct JsonPath {
    pub(crate) segments: Vec<String>,
}

impl<'a> Provider<'a> {
    pub(crate) fn from_input(input: &'a DeriveInput, errors: &mut Errors) -> Self {
        let attrs = attr::container(&input.attrs, errors);
        let fields = named_fields(input, errors)
            .into_iter()
            .map(|field| Field {
                ident: field.ident.as_ref().unwrap_or(&input.ident),
                ty: &field.ty,
                option_of: option_of(&field.ty),
                attrs: attr::field(&field.attrs, errors),
                doc: first_doc_line(&field.attrs),
            })
            .collect();
        reject_type_parameters(input, errors);
        let template = attrs.base_url.value().and_then(|base_url| {
            template::parse(&base_url.value())
                .map_err(|problem| errors.spanned(base_url, format!("base_url {problem}")))
                .ok()
        });
        let method = attrs.method.value().map_or(Method::Post, |method| {
            match method.value().to_ascii_uppercase().as_str() {
                "POST" => Method::Post,
                "GET" => Method::Get,
                other => {
                    errors.spanned(
                        method,
                        format!("unknown method \"{other}\", expected \"POST\" or \"GET\""),
                    );
                    Method::Post
                }
            }
        });
        let default_encoding = if method == Method::Get {
            Encoding::Empty
        } else {
            Encoding::Form
        };
        let encoding = attrs.body.value().map_or(default_encoding, |body| {
            Encoding::parse(body, default_encoding, errors)
        });
        let refresh = attrs.refresh.get().map(|refresh| {
            let declared = &refresh.value;
            if declared.grant.get().is_none() && declared.path.get().is_none() {
                errors.push(syn::Error::new(
                    refresh.key,
                    "refresh(...) says how to renew a token: `grant` (grant_type=refresh_token, \
                     RFC 6749 section 6), a separate `path`, or both",
                ));
            }
            Refresh {
                grant: declared.grant.get().is_some(),
                path: declared.path.value().cloned(),
                encoding: declared
                    .body
                    .value()
                    .map_or(encoding, |body| Encoding::parse(body, encoding, errors)),
                send: declared.send.value().cloned().unwrap_or_default(),
            }
        });
        let name = attrs
            .name
            .value()
            .map_or_else(|| kebab_case(&input.ident.to_string()), LitStr::value);
        let krate = attrs
            .krate
            .value()
            .cloned()
            .unwrap_or_else(|| syn::parse_quote!(::oauth_core));
        let response = Response::from_attrs(&attrs, errors);
        let client_auth = attrs.client_auth.value().map_or(ClientAuth::Body, |auth| match auth.value().as_str() {
            "body" => ClientAuth::Body,
            "basic" => ClientAuth::Basic,
            other => {
                errors.spanned(auth, format!("unknown client authentication \"{other}\", expected \"body\" or \"basic\""));
                ClientAuth::Body
            }
        });
        Self {
            input,
            krate,
            name,
            template,
            method,
            encoding,
            response,
            refresh,
            client_auth,
            attrs,
            fields,
        }
    }

    /// Whether HTTP Basic authentication carries this field instead of the body.
    pub(crate) fn in_basic_auth(&self, field: &Field<'_>) -> bool {
        self.client_auth == ClientAuth::Basic
            && matches!(field.role(), Role::Body)
            && ClientAuth::BASIC_FIELDS.contains(&unraw(field.ident).as_str())
    }

    pub(crate) fn field(&self, name: &str) -> Option<&Field<'a>> {
        self.fields.iter().find(|field| unraw(field.ident) == name)
    }
}

impl Response {
    fn from_attrs(attrs: &ContainerAttrs, errors: &mut Errors) -> Self {
        let response = &attrs.response;
        let mut path =
            |slot: &Slot<LitStr>| slot.value().and_then(|lit| JsonPath::parse(lit, errors));
        let access_token = path(&response.access_token);
        let token_type = path(&response.token_type);
        let expires_in = path(&response.expires_in);
        let refresh_token = path(&response.refresh_token);
        let scope = path(&response.scope);
        let expires_at = path(&response.expires_at);
        let error_code = path(&attrs.error.code);
        let error_description = path(&attrs.error.description);
        let success = attrs.success.get().and_then(|success| {
            let condition = &success.value;
            let field = condition.field.value().and_then(|lit| JsonPath::parse(lit, errors));
            let message = condition.message.value().and_then(|lit| JsonPath::parse(lit, errors));
            let equals = condition.equals.value().cloned();
            if field.is_none() && condition.field.get().is_none() {
                errors.push(syn::Error::new(
                    success.key,
                    "success(...) needs the field to check: success(field = \"status\", equals = 0)",
                ));
            }
            if equals.is_none() {
                errors.push(syn::Error::new(
                    success.key,
                    "success(...) needs the value that means success: success(field = \"status\", equals = 0)",
                ));
            }
            if let (Some(codes), Some(equals)) = (condition.codes.get(), &equals)
                && !matches!(equals, Lit::Int(_))
            {
                errors.push(syn::Error::new(codes.key, "codes name integer status values; use it with an integer `equals`"));
            }
            Some(Success {
                field: field?,
                equals: equals?,
                message,
                codes: condition.codes.value().cloned().unwrap_or_default(),
            })
        });
        Self {
            access_token,
            token_type,
            expires_in,
            refresh_token,
            scope,
            expires_at,
            format: response
                .format
                .value()
                .and_then(|format| match format.value().as_str() {
                    "json" => Some(Format::Json),
                    "form" => Some(Format::Form),
                    other => {
                        errors.spanned(
                            format,
                            format!(
                                "unknown response format \"{other}\", expected \"json\" or \"form\""
                            ),
                        );
                        None
                    }
                }),
            expiry_from_jwt: response.expiry_from_jwt.get().is_some(),
            success,
            error_code,
            error_description,
        }
    }
}

impl JsonPath {
    /// Splits `data.access_token`; an empty path or segment is reported on the literal.
    fn parse(lit: &LitStr, errors: &mut Errors) -> Option<Self> {
        let text = lit.value();
        let segments: Vec<String> = text.split('.').map(str::to_owned).collect();
        if segments.iter().any(String::is_empty) {
            errors.spanned(
                lit,
                "a response field path names a field, or nested fields joined by dots: \"data.access_token\"",
            );
            return None;
        }
        Some(Self { segments })
    }
}

fn named_fields<'a>(input: &'a DeriveInput, errors: &mut Errors) -> Vec<&'a syn::Field> {
    const NEEDS: &str =
        "#[derive(TokenEndpoint)] needs a struct with named fields, one per request parameter";
    match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(fields) => fields.named.iter().collect(),
            Fields::Unnamed(fields) => {
                errors.spanned(
                    fields,
                    format!("{NEEDS}; tuple fields have no names to send: struct {} {{ client_id: String }}", input.ident),
                );
                Vec::new()
            }
            Fields::Unit => {
                errors.spanned(
                    &input.ident,
                    format!(
                        "{NEEDS}; for a provider with no fields write `struct {} {{}}`",
                        input.ident
                    ),
                );
                Vec::new()
            }
        },
        Data::Enum(data) => {
            errors.spanned(
                data.enum_token,
                format!("{NEEDS}, not an enum; declare one struct per provider"),
            );
            Vec::new()
        }
        Data::Union(data) => {
            errors.spanned(data.union_token, format!("{NEEDS}, not a union"));
            Vec::new()
        }
    }
}

fn reject_type_parameters(input: &DeriveInput, errors: &mut Errors) {
    for param in &input.generics.params {
        if !matches!(param, GenericParam::Lifetime(_)) {
            errors.spanned(
                param,
                "#[derive(TokenEndpoint)] does not support type or const parameters; \
                 declare a concrete struct (lifetime parameters are fine)",
            );
        }
    }
}

/// The first non-empty line of `///` documentation.
fn first_doc_line(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("doc"))
        .filter_map(|attr| match &attr.meta {
            syn::Meta::NameValue(syn::MetaNameValue {
                value:
                    syn::Expr::Lit(syn::ExprLit {
                        lit: Lit::Str(text),
                        ..
                    }),
                ..
            }) => Some(text.value().trim().to_owned()),
            _ => None,
        })
        .find(|line| !line.is_empty())
        .unwrap_or_default()
}

/// `T` when `ty` is written `Option<T>` (also `std::option::Option<T>`).
fn option_of(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    if path.qself.is_some() {
        return None;
    }
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return None;
    };
    match arguments.args.first()? {
        GenericArgument::Type(inner) if arguments.args.len() == 1 => Some(inner),
        _ => None,
    }
}

pub(crate) fn unraw(ident: &Ident) -> String {
    let name = ident.to_string();
    name.strip_prefix("r#")
        .map_or_else(|| name.clone(), str::to_owned)
}

/// `MyZeePay` -> `my-zee-pay`, `HTTPClient` -> `http-client`.
fn kebab_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut kebab = String::with_capacity(name.len() + 4);
    for (index, c) in chars.iter().enumerate() {
        let previous = index.checked_sub(1).and_then(|i| chars.get(i));
        let next = chars.get(index + 1);
        let starts_word = c.is_uppercase()
            && previous.is_some_and(|p| {
                p.is_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_uppercase() && next.is_some_and(|n| n.is_lowercase()))
            });
        if starts_word || (*c == '_' && !kebab.is_empty()) {
            kebab.push('-');
        }
        if *c != '_' {
            kebab.extend(c.to_lowercase());
        }
    }
    kebab
}

#[cfg(test)]
mod tests {
    use super::kebab_case;

    #[test]
    fn kebab_case_splits_words_and_acronyms() {
        assert_eq!(kebab_case("Sohar"), "sohar");
        assert_eq!(kebab_case("MyZeePay"), "my-zee-pay");
        assert_eq!(kebab_case("HTTPClient"), "http-client");
        assert_eq!(kebab_case("Auth0"), "auth0");
        assert_eq!(kebab_case("Google_Cloud"), "google-cloud");
    }
}
