//! `#[token(...)]` on a field.

use syn::{Attribute, Lit, LitStr};

use super::value::named;
use super::{Slot, key, wire_name};
use crate::errors::Errors;
use crate::meta::{self, Entry, Expect, Place};

named! {
    /// The keys of `#[token(...)]` on a field.
    FieldKey {
        Rename = "rename",
        Secret = "secret",
        NotSecret = "not_secret",
        Header = "header",
        Bearer = "bearer",
        Url = "url",
        Query = "query",
        Default = "default",
        At = "at",
        PrivateKey = "private_key",
        Claim = "claim",
    }
}

/// `default = ...`: text for text and secret fields, a number or boolean otherwise.
pub(crate) type DefaultValue = Lit;

/// Everything `#[token(...)]` on a field says.
#[derive(Default)]
pub(crate) struct FieldAttrs {
    pub(crate) rename: Slot<LitStr>,
    pub(crate) secret: Slot<()>,
    pub(crate) not_secret: Slot<()>,
    pub(crate) header: Slot<LitStr>,
    pub(crate) bearer: Slot<()>,
    pub(crate) url: Slot<()>,
    pub(crate) query: Slot<()>,
    pub(crate) default: Slot<DefaultValue>,
    pub(crate) at: Slot<BodyPath>,
    pub(crate) private_key: Slot<()>,
    /// `claim` alone (`None`: the field's name) or `claim = "name"`.
    pub(crate) claim: Slot<Option<LitStr>>,
    /// Keys a misspelling was taken to mean.
    pub(crate) meant: Vec<&'static str>,
}

pub(crate) fn field(attrs: &[Attribute], errors: &mut Errors) -> FieldAttrs {
    let mut parsed = FieldAttrs::default();
    let place = Place::Attribute {
        literal_key: |text| format!("#[token(rename = {text:?})]"),
    };
    meta::parse_attributes(attrs, place, errors, &mut |entry, _| {
        let flag = match key(
            entry,
            FieldKey::NAMES,
            FieldKey::from_name,
            &mut parsed.meant,
        )? {
            FieldKey::Rename => {
                return parsed.rename.set(entry, wire_name(entry, "clientId"));
            }
            FieldKey::Header => return parsed.header.set(entry, header_name(entry)),
            FieldKey::At => {
                let example = "auth.identity.password.user.name";
                return parsed.at.set(entry, body_path(entry, example));
            }
            FieldKey::Default => {
                let value = entry.literal("a default", "\"client_credentials\"");
                return parsed.default.set(entry, value);
            }
            FieldKey::Claim => {
                let name = entry.optional_string(Expect::Text("iss"));
                return parsed.claim.set(entry, name);
            }
            FieldKey::Secret => &mut parsed.secret,
            FieldKey::NotSecret => &mut parsed.not_secret,
            FieldKey::Bearer => &mut parsed.bearer,
            FieldKey::Url => &mut parsed.url,
            FieldKey::Query => &mut parsed.query,
            FieldKey::PrivateKey => &mut parsed.private_key,
        };
        flag.set(entry, entry.flag())
    });
    parsed
}

/// Where a value sits in a nested JSON body, and the literal that says so.
pub(crate) struct BodyPath {
    pub(crate) lit: LitStr,
    pub(crate) segments: Vec<String>,
}

/// `at = "a.b.c"`: a path of object keys. Arrays are written whole, as constants.
pub(crate) fn body_path(entry: &Entry<'_>, example: &str) -> syn::Result<BodyPath> {
    let lit = entry.string(Expect::Text(example))?;
    let text = lit.value();
    let refuse = |what: &str, meant: String| {
        let meant = if meant.is_empty() {
            example.to_owned()
        } else {
            meant
        };
        Err(syn::Error::new_spanned(
            &lit,
            format!(
                "the body path {text:?} {what}: {}",
                entry.example(&format!("{meant:?}"))
            ),
        ))
    };
    let segments = match crate::path::parse(&text) {
        Ok(segments) => segments,
        Err(problem) => return refuse(problem.what, problem.meant.unwrap_or_default()),
    };
    if segments
        .iter()
        .any(|segment| segment.bytes().all(|byte| byte.is_ascii_digit()))
    {
        let parent: Vec<&str> = segments
            .iter()
            .map(String::as_str)
            .take_while(|segment| !segment.bytes().all(|byte| byte.is_ascii_digit()))
            .collect();
        return Err(syn::Error::new_spanned(
            &lit,
            format!(
                "a body path names object keys, not array items; write the array whole as a constant: #[token(constant(at = {:?}, value = [\"...\"]))]",
                parent.join(".")
            ),
        ));
    }
    Ok(BodyPath { lit, segments })
}

fn header_name(entry: &Entry<'_>) -> syn::Result<LitStr> {
    let lit = entry.string(Expect::Text("x-api-key"))?;
    let name = lit.value();
    if crate::http::is_token(&name) {
        return Ok(lit);
    }
    let meant: String = name
        .trim()
        .chars()
        .map(|c| if c.is_whitespace() { '-' } else { c })
        .filter(|c| crate::http::is_token(&c.to_string()))
        .collect();
    let meant = if meant.is_empty() {
        "x-api-key"
    } else {
        &meant
    };
    Err(syn::Error::new_spanned(
        &lit,
        format!(
            "not a valid HTTP header name, which is letters, digits and !#$%&'*+-.^_`|~: {}",
            entry.example(&format!("{meant:?}"))
        ),
    ))
}
