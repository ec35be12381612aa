//! Reading `#[token(...)]` attributes into plain values, each remembering where it was written.

use proc_macro2::{Span, TokenTree};
use syn::meta::ParseNestedMeta;
use syn::parse::ParseStream;
use syn::{Attribute, Lit, LitStr, Token};

use crate::errors::Errors;
use crate::suggest;

pub(crate) const TOKEN: &str = "token";

pub(crate) const BASE_URL: &str = "base_url";
pub(crate) const PATH: &str = "path";
pub(crate) const METHOD: &str = "method";
pub(crate) const BODY: &str = "body";
pub(crate) const CONTENT_TYPE: &str = "content_type";
pub(crate) const PARAM: &str = "param";
pub(crate) const NAME: &str = "name";
pub(crate) const CRATE: &str = "crate";
pub(crate) const RESPONSE: &str = "response";
pub(crate) const SUCCESS: &str = "success";
pub(crate) const ERROR: &str = "error";
pub(crate) const REFRESH: &str = "refresh";
pub(crate) const CLIENT_AUTH: &str = "client_auth";

const CONTAINER_KEYS: &[&str] = &[
    BASE_URL,
    PATH,
    METHOD,
    BODY,
    CONTENT_TYPE,
    PARAM,
    HEADER,
    CLIENT_AUTH,
    NAME,
    CRATE,
    RESPONSE,
    SUCCESS,
    ERROR,
    REFRESH,
];

pub(crate) const RENAME: &str = "rename";
pub(crate) const SECRET: &str = "secret";
pub(crate) const HEADER: &str = "header";
pub(crate) const BEARER: &str = "bearer";
pub(crate) const URL: &str = "url";
pub(crate) const QUERY: &str = "query";
pub(crate) const DEFAULT: &str = "default";

const FIELD_KEYS: &[&str] = &[RENAME, SECRET, HEADER, BEARER, URL, QUERY, DEFAULT];

pub(crate) const ACCESS_TOKEN: &str = "access_token";
pub(crate) const TOKEN_TYPE: &str = "token_type";
pub(crate) const EXPIRES_IN: &str = "expires_in";
pub(crate) const REFRESH_TOKEN: &str = "refresh_token";
pub(crate) const SCOPE: &str = "scope";
pub(crate) const EXPIRY_FROM_JWT: &str = "expiry_from_jwt";
pub(crate) const EXPIRES_AT: &str = "expires_at";
pub(crate) const FORMAT: &str = "format";

const RESPONSE_KEYS: &[&str] = &[
    ACCESS_TOKEN,
    TOKEN_TYPE,
    EXPIRES_IN,
    EXPIRES_AT,
    REFRESH_TOKEN,
    SCOPE,
    EXPIRY_FROM_JWT,
    FORMAT,
];

pub(crate) const FIELD: &str = "field";
pub(crate) const EQUALS: &str = "equals";
pub(crate) const MESSAGE: &str = "message";
pub(crate) const CODES: &str = "codes";

const SUCCESS_KEYS: &[&str] = &[FIELD, EQUALS, MESSAGE, CODES];

pub(crate) const CODE: &str = "code";
pub(crate) const DESCRIPTION: &str = "description";

const ERROR_KEYS: &[&str] = &[CODE, DESCRIPTION];

pub(crate) const GRANT: &str = "grant";
pub(crate) const SEND: &str = "send";

const REFRESH_KEYS: &[&str] = &[GRANT, PATH, BODY, SEND];

/// An attribute value and the span of the key that set it.
pub(crate) struct Spanned<T> {
    pub(crate) key: Span,
    pub(crate) value: T,
}

/// A key that may be set once.
pub(crate) struct Slot<T> {
    name: &'static str,
    set: Option<Spanned<T>>,
}

impl<T> Slot<T> {
    const fn new(name: &'static str) -> Self {
        Self { name, set: None }
    }

    fn set(&mut self, errors: &mut Errors, meta: &ParseNestedMeta<'_>, value: T) {
        if self.set.is_some() {
            errors.spanned(
                &meta.path,
                format!(
                    "duplicate attribute \"{}\"; it is already set above",
                    self.name
                ),
            );
        } else {
            self.set = Some(Spanned {
                key: span_of(&meta.path),
                value,
            });
        }
    }

    pub(crate) fn get(&self) -> Option<&Spanned<T>> {
        self.set.as_ref()
    }

    pub(crate) fn value(&self) -> Option<&T> {
        self.set.as_ref().map(|set| &set.value)
    }

    pub(crate) fn key_span(&self) -> Option<Span> {
        self.set.as_ref().map(|set| set.key)
    }
}

/// A constant declared with `param(name = value)`.
pub(crate) struct Constant {
    pub(crate) name: syn::Ident,
    pub(crate) value: Lit,
}

/// Everything `#[token(...)]` on the struct says.
pub(crate) struct ContainerAttrs {
    pub(crate) base_url: Slot<LitStr>,
    pub(crate) path: Slot<LitStr>,
    pub(crate) method: Slot<LitStr>,
    pub(crate) body: Slot<LitStr>,
    pub(crate) content_type: Slot<LitStr>,
    pub(crate) params: Vec<Constant>,
    pub(crate) headers: Vec<Constant>,
    pub(crate) client_auth: Slot<LitStr>,
    pub(crate) name: Slot<LitStr>,
    pub(crate) krate: Slot<syn::Path>,
    pub(crate) response: ResponseAttrs,
    pub(crate) success: Slot<SuccessAttrs>,
    pub(crate) error: ErrorAttrs,
    pub(crate) refresh: Slot<RefreshAttrs>,
}

/// `refresh(...)`: how the provider renews a token.
pub(crate) struct RefreshAttrs {
    pub(crate) grant: Slot<()>,
    pub(crate) path: Slot<LitStr>,
    pub(crate) body: Slot<LitStr>,
    pub(crate) send: Slot<Vec<LitStr>>,
}

/// `response(...)`: where the token's parts are in the body.
pub(crate) struct ResponseAttrs {
    pub(crate) access_token: Slot<LitStr>,
    pub(crate) token_type: Slot<LitStr>,
    pub(crate) expires_in: Slot<LitStr>,
    pub(crate) refresh_token: Slot<LitStr>,
    pub(crate) scope: Slot<LitStr>,
    pub(crate) expires_at: Slot<LitStr>,
    pub(crate) expiry_from_jwt: Slot<()>,
    pub(crate) format: Slot<LitStr>,
}

/// `success(...)`: the body field that says whether a 2xx really succeeded.
pub(crate) struct SuccessAttrs {
    pub(crate) field: Slot<LitStr>,
    pub(crate) equals: Slot<Lit>,
    pub(crate) message: Slot<LitStr>,
    pub(crate) codes: Slot<Vec<LitStr>>,
}

/// `error(...)`: where a rejection body keeps its code and description.
pub(crate) struct ErrorAttrs {
    pub(crate) code: Slot<LitStr>,
    pub(crate) description: Slot<LitStr>,
}

/// Everything `#[token(...)]` on a field says.
pub(crate) struct FieldAttrs {
    pub(crate) rename: Slot<LitStr>,
    pub(crate) secret: Slot<()>,
    pub(crate) header: Slot<LitStr>,
    pub(crate) bearer: Slot<()>,
    pub(crate) url: Slot<()>,
    pub(crate) query: Slot<()>,
    pub(crate) default: Slot<LitStr>,
}

pub(crate) fn container(attrs: &[Attribute], errors: &mut Errors) -> ContainerAttrs {
    let mut parsed = ContainerAttrs {
        base_url: Slot::new(BASE_URL),
        path: Slot::new(PATH),
        method: Slot::new(METHOD),
        body: Slot::new(BODY),
        content_type: Slot::new(CONTENT_TYPE),
        params: Vec::new(),
        headers: Vec::new(),
        client_auth: Slot::new(CLIENT_AUTH),
        name: Slot::new(NAME),
        krate: Slot::new(CRATE),
        response: ResponseAttrs {
            access_token: Slot::new(ACCESS_TOKEN),
            token_type: Slot::new(TOKEN_TYPE),
            expires_in: Slot::new(EXPIRES_IN),
            refresh_token: Slot::new(REFRESH_TOKEN),
            scope: Slot::new(SCOPE),
            expires_at: Slot::new(EXPIRES_AT),
            expiry_from_jwt: Slot::new(EXPIRY_FROM_JWT),
            format: Slot::new(FORMAT),
        },
        success: Slot::new(SUCCESS),
        error: ErrorAttrs {
            code: Slot::new(CODE),
            description: Slot::new(DESCRIPTION),
        },
        refresh: Slot::new(REFRESH),
    };
    for_each_key(attrs, errors, CONTAINER_KEYS, |key, meta, errors| {
        let target = &mut parsed;
        match key {
            BASE_URL => target.base_url.set(errors, meta, string(meta, "base_url = \"https://auth.example.com\"")?),
            PATH => target.path.set(errors, meta, string(meta, "path = \"/oauth/token\"")?),
            METHOD => target.method.set(errors, meta, string(meta, "method = \"POST\"")?),
            BODY => target.body.set(errors, meta, string(meta, "body = \"json\"")?),
            CONTENT_TYPE => target
                .content_type
                .set(errors, meta, string(meta, "content_type = \"text/plain\"")?),
            NAME => target.name.set(errors, meta, string(meta, "name = \"acme\"")?),
            CRATE => {
                let path = string(meta, "crate = \"my_reexport::oauth_core\"")?;
                target.krate.set(errors, meta, path.parse()?);
            }
            PARAM => meta.parse_nested_meta(|constant| {
                let name = constant.path.require_ident()?.clone();
                let value: Lit = constant.value()?.parse()?;
                if !matches!(value, Lit::Str(_) | Lit::Int(_) | Lit::Bool(_)) {
                    return Err(syn::Error::new_spanned(
                        value,
                        "a constant parameter is a string, an integer or a boolean: param(grant_type = \"password\")",
                    ));
                }
                target.params.push(Constant { name, value });
                Ok(())
            })?,
            HEADER => meta.parse_nested_meta(|header| {
                let name = header.path.require_ident()?.clone();
                let value = string(&header, "header(accept = \"application/json\")")?;
                target.headers.push(Constant {
                    name,
                    value: Lit::Str(value),
                });
                Ok(())
            })?,
            CLIENT_AUTH => target
                .client_auth
                .set(errors, meta, string(meta, "client_auth = \"basic\"")?),
            RESPONSE => {
                let response = &mut target.response;
                nested(meta, errors, RESPONSE, RESPONSE_KEYS, |key, meta, errors| {
                    let slot = match key {
                        ACCESS_TOKEN => &mut response.access_token,
                        TOKEN_TYPE => &mut response.token_type,
                        EXPIRES_IN => &mut response.expires_in,
                        REFRESH_TOKEN => &mut response.refresh_token,
                        SCOPE => &mut response.scope,
                        EXPIRES_AT => &mut response.expires_at,
                        FORMAT => {
                            let format = string(meta, "format = \"form\"")?;
                            response.format.set(errors, meta, format);
                            return Ok(());
                        }
                        _ => {
                            flag(meta, key)?;
                            response.expiry_from_jwt.set(errors, meta, ());
                            return Ok(());
                        }
                    };
                    slot.set(errors, meta, string(meta, &format!("{key} = \"data.{key}\""))?);
                    Ok(())
                })?;
            }
            SUCCESS => {
                let mut success = SuccessAttrs {
                    field: Slot::new(FIELD),
                    equals: Slot::new(EQUALS),
                    message: Slot::new(MESSAGE),
                    codes: Slot::new(CODES),
                };
                nested(meta, errors, SUCCESS, SUCCESS_KEYS, |key, meta, errors| {
                    match key {
                        FIELD => success.field.set(errors, meta, string(meta, "field = \"status\"")?),
                        MESSAGE => success.message.set(errors, meta, string(meta, "message = \"status.message\"")?),
                        EQUALS => {
                            let value: Lit = meta.value()?.parse()?;
                            if !matches!(value, Lit::Str(_) | Lit::Int(_) | Lit::Bool(_)) {
                                return Err(syn::Error::new_spanned(
                                    value,
                                    "the success value is a string, an integer or a boolean: equals = 0",
                                ));
                            }
                            success.equals.set(errors, meta, value);
                        }
                        _ => {
                            let codes = meta.value()?.call(string_list)?;
                            success.codes.set(errors, meta, codes);
                        }
                    }
                    Ok(())
                })?;
                target.success.set(errors, meta, success);
            }
            REFRESH => {
                let mut refresh = RefreshAttrs {
                    grant: Slot::new(GRANT),
                    path: Slot::new(PATH),
                    body: Slot::new(BODY),
                    send: Slot::new(SEND),
                };
                nested(meta, errors, REFRESH, REFRESH_KEYS, |key, meta, errors| {
                    match key {
                        GRANT => {
                            flag(meta, key)?;
                            refresh.grant.set(errors, meta, ());
                        }
                        PATH => refresh.path.set(errors, meta, string(meta, "path = \"/oauth/refresh\"")?),
                        BODY => refresh.body.set(errors, meta, string(meta, "body = \"json\"")?),
                        _ => {
                            let fields = meta.value()?.call(string_list)?;
                            refresh.send.set(errors, meta, fields);
                        }
                    }
                    Ok(())
                })?;
                target.refresh.set(errors, meta, refresh);
            }
            _ => {
                let shape = &mut target.error;
                nested(meta, errors, ERROR, ERROR_KEYS, |key, meta, errors| {
                    let slot = if key == CODE { &mut shape.code } else { &mut shape.description };
                    slot.set(errors, meta, string(meta, &format!("{key} = \"error.{key}\""))?);
                    Ok(())
                })?;
            }
        }
        Ok(())
    });
    parsed
}

pub(crate) fn field(attrs: &[Attribute], errors: &mut Errors) -> FieldAttrs {
    let mut parsed = FieldAttrs {
        rename: Slot::new(RENAME),
        secret: Slot::new(SECRET),
        header: Slot::new(HEADER),
        bearer: Slot::new(BEARER),
        url: Slot::new(URL),
        query: Slot::new(QUERY),
        default: Slot::new(DEFAULT),
    };
    for_each_key(attrs, errors, FIELD_KEYS, |key, meta, errors| {
        match key {
            RENAME => parsed
                .rename
                .set(errors, meta, string(meta, "rename = \"clientId\"")?),
            HEADER => parsed
                .header
                .set(errors, meta, string(meta, "header = \"x-api-key\"")?),
            DEFAULT => parsed.default.set(
                errors,
                meta,
                string(meta, "default = \"client_credentials\"")?,
            ),
            flag_key => {
                flag(meta, flag_key)?;
                let slot = match flag_key {
                    SECRET => &mut parsed.secret,
                    BEARER => &mut parsed.bearer,
                    URL => &mut parsed.url,
                    _ => &mut parsed.query,
                };
                slot.set(errors, meta, ());
            }
        }
        Ok(())
    });
    parsed
}

type KeyHandler<'h> =
    dyn FnMut(&'static str, &ParseNestedMeta<'_>, &mut Errors) -> syn::Result<()> + 'h;

/// Runs `handle` on every key of every `#[token(...)]`, collecting errors and going on after each.
fn for_each_key(
    attrs: &[Attribute],
    errors: &mut Errors,
    accepted: &'static [&'static str],
    mut handle: impl FnMut(&'static str, &ParseNestedMeta<'_>, &mut Errors) -> syn::Result<()>,
) {
    for attr in attrs.iter().filter(|attr| attr.path().is_ident(TOKEN)) {
        let result =
            attr.parse_nested_meta(|meta| dispatch(&meta, errors, None, accepted, &mut handle));
        errors.check(result);
    }
}

/// Runs `handle` on every key inside `group(...)`.
fn nested(
    meta: &ParseNestedMeta<'_>,
    errors: &mut Errors,
    group: &'static str,
    accepted: &'static [&'static str],
    mut handle: impl FnMut(&'static str, &ParseNestedMeta<'_>, &mut Errors) -> syn::Result<()>,
) -> syn::Result<()> {
    meta.parse_nested_meta(|inner| dispatch(&inner, errors, Some(group), accepted, &mut handle))
}

fn dispatch(
    meta: &ParseNestedMeta<'_>,
    errors: &mut Errors,
    group: Option<&'static str>,
    accepted: &'static [&'static str],
    handle: &mut KeyHandler<'_>,
) -> syn::Result<()> {
    let outcome = match accepted.iter().find(|key| meta.path.is_ident(key)) {
        Some(key) => handle(key, meta, errors),
        None => Err(unknown_key(meta, errors, group, accepted)),
    };
    if let Err(error) = outcome {
        errors.push(error);
        skip_value(meta.input)?;
    }
    Ok(())
}

fn unknown_key(
    meta: &ParseNestedMeta<'_>,
    errors: &mut Errors,
    group: Option<&str>,
    accepted: &[&'static str],
) -> syn::Error {
    let path = &meta.path;
    let written = path.get_ident().map_or_else(
        || quote::quote!(#path).to_string().replace(' ', ""),
        ToString::to_string,
    );
    let place = group.map_or_else(String::new, |group| format!(" in {group}(...)"));
    let hint = match suggest::closest(&written, accepted) {
        Some(suggestion) => {
            errors.suggested(suggestion);
            format!(", did you mean \"{suggestion}\"?")
        }
        None => format!(
            "; expected one of {}",
            accepted
                .iter()
                .map(|key| format!("\"{key}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    meta.error(format!("unknown attribute \"{written}\"{place}{hint}"))
}

/// Skips the rest of a key that failed (`= value` or `(...)`), so the next key is still read.
fn skip_value(input: ParseStream<'_>) -> syn::Result<()> {
    while !input.is_empty() && !input.peek(Token![,]) {
        input.parse::<TokenTree>()?;
    }
    Ok(())
}

fn string(meta: &ParseNestedMeta<'_>, example: &str) -> syn::Result<LitStr> {
    let key = meta
        .path
        .get_ident()
        .map(ToString::to_string)
        .unwrap_or_default();
    if !meta.input.peek(Token![=]) {
        return Err(meta.error(format!("\"{key}\" takes a string: {example}")));
    }
    match meta.value()?.parse::<Lit>()? {
        Lit::Str(string) => Ok(string),
        other => Err(syn::Error::new_spanned(
            other,
            format!("expected a string literal for \"{key}\": {example}"),
        )),
    }
}

fn flag(meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<()> {
    if meta.input.is_empty() || meta.input.peek(Token![,]) {
        Ok(())
    } else {
        Err(meta.error(format!("\"{key}\" takes no value: write #[token({key})]")))
    }
}

fn string_list(input: ParseStream<'_>) -> syn::Result<Vec<LitStr>> {
    let content;
    syn::bracketed!(content in input);
    let items = content.parse_terminated(|item| item.parse::<LitStr>(), Token![,])?;
    Ok(items.into_iter().collect())
}

fn span_of(path: &syn::Path) -> Span {
    path.segments
        .first()
        .map_or_else(Span::call_site, |segment| segment.ident.span())
}
