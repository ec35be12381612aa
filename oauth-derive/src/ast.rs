//! The typed model of a provider struct: what each attribute means once
//! defaults are applied, still holding the user's tokens for spans. `expand`
//! reads only this; `valid` also reads what was written (`declared`).

use syn::{
    Attribute, Data, DeriveInput, Fields, GenericArgument, Ident, Lit, LitStr, PathArguments, Type,
};

use crate::attr::{
    self, BaseUrl, BasicEncoding, ClientAuth, Constant, ContainerAttrs, DefaultValue,
    DpopAlgorithm, Encoding, FieldAttrs, Format, Method, NestedConstant, StaticHeader,
    ZeroLifetime,
};
use crate::errors::Errors;

pub(crate) struct Provider<'a> {
    pub(crate) input: &'a DeriveInput,
    pub(crate) krate: syn::Path,
    pub(crate) name: String,
    pub(crate) base_url: Option<BaseUrl>,
    pub(crate) path: Option<LitStr>,
    pub(crate) method: Method,
    pub(crate) encoding: Encoding,
    pub(crate) content_type: Option<LitStr>,
    pub(crate) params: Vec<Constant>,
    /// Constants at paths in a nested JSON body.
    pub(crate) constants: Vec<NestedConstant>,
    pub(crate) headers: Vec<StaticHeader>,
    pub(crate) client_auth: ClientAuth,
    /// HTTP Basic authentication, from `client_auth = "basic"` or `basic(...)`.
    pub(crate) basic: Option<Basic>,
    /// Whether body parameters sit at paths in a nested JSON body.
    pub(crate) nested: bool,
    /// The signed assertion, when the provider sends one.
    pub(crate) assertion: Option<Assertion>,
    /// The algorithm of the DPoP proofs the provider sends, if it sends them.
    pub(crate) dpop: Option<DpopAlgorithm>,
    pub(crate) response: Response,
    pub(crate) refresh: Option<Refresh>,
    /// Whether to emit `new` and the `with_<field>` setters.
    pub(crate) constructor: bool,
    /// Whether to emit `FromSettings`.
    pub(crate) settings: bool,
    pub(crate) fields: Vec<Field<'a>>,
    /// The attributes as written, for the rules in `valid`.
    pub(crate) declared: ContainerAttrs,
}

pub(crate) struct Field<'a> {
    pub(crate) ident: &'a Ident,
    /// The field's name without `r#`.
    pub(crate) name: String,
    pub(crate) ty: &'a Type,
    /// `T` when the field is `Option<T>`: optional fields are left out when `None`.
    pub(crate) option_of: Option<&'a Type>,
    pub(crate) docs: Vec<&'a Attribute>,
    pub(crate) role: Role,
    pub(crate) secrecy: Secrecy,
    pub(crate) default: Option<DefaultValue>,
    /// The attributes as written, for the rules in `valid`.
    pub(crate) declared: FieldAttrs,
}

/// What the attributes say about a field holding a credential; its type has the last word.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Secrecy {
    /// `secret`: the type must be a secret.
    Declared,
    /// `not_secret`: named like a credential, but holds none.
    Waived,
    /// Nothing: the name and role decide.
    Unstated,
}

/// Where a field's value goes.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Role {
    Body,
    Query,
    /// A header, by its lowercase name.
    Header(String),
    Bearer,
    Url,
    /// The key that signs the assertion.
    PrivateKey,
    /// A claim of the assertion, by its name.
    Claim(String),
}

impl Role {
    pub(crate) fn describe(&self) -> &'static str {
        match self {
            Self::Body => "a body parameter",
            Self::Query => "a query parameter",
            Self::Header(_) => "a header",
            Self::Bearer => "the bearer token",
            Self::Url => "a URL template part",
            Self::PrivateKey => "the private key",
            Self::Claim(_) => "an assertion claim",
        }
    }
}

/// A signed JWT assertion (RFC 7523): the JWT bearer grant, or the client's authentication.
pub(crate) struct Assertion {
    /// Sent as the JWT bearer grant (section 2.1) rather than as client authentication.
    pub(crate) grant: bool,
    /// Seconds from `iat` to `exp`; the runtime's default when `None`.
    pub(crate) lifetime: Option<u64>,
    /// Constant claims.
    pub(crate) claims: Vec<Constant>,
}

/// The response mapping: each path split into its segments.
pub(crate) struct Response {
    pub(crate) access_token: Option<Vec<String>>,
    /// The header that carries the access token instead of the body.
    pub(crate) access_token_header: Option<LitStr>,
    pub(crate) issued_at: Option<Vec<String>>,
    pub(crate) zero_lifetime: Option<ZeroLifetime>,
    pub(crate) token_type: Option<Vec<String>>,
    pub(crate) expires_in: Option<Vec<String>>,
    pub(crate) expires_at: Option<Vec<String>>,
    pub(crate) refresh_token: Option<Vec<String>>,
    pub(crate) scope: Option<Vec<String>>,
    pub(crate) format: Option<Format>,
    pub(crate) expiry_from_jwt: bool,
    pub(crate) success: Option<Success>,
    pub(crate) error_code: Option<Vec<String>>,
    pub(crate) error_description: Option<Vec<String>>,
}

/// When a 2xx body really is a success.
pub(crate) struct Success {
    pub(crate) field: Vec<String>,
    pub(crate) equals: Lit,
    pub(crate) message: Option<Vec<String>>,
    pub(crate) codes: Vec<LitStr>,
}

/// The two fields HTTP Basic authentication carries, and how it encodes them.
pub(crate) struct Basic {
    pub(crate) user: String,
    pub(crate) password: String,
    pub(crate) encoding: BasicEncoding,
}

/// How a provider renews a token: RFC 6749 section 6 (`grant`), a separate endpoint, or both.
pub(crate) struct Refresh {
    pub(crate) grant: bool,
    pub(crate) path: Option<LitStr>,
    pub(crate) encoding: Encoding,
    /// The names of the body fields that go along.
    pub(crate) send: Vec<String>,
}

impl<'a> Provider<'a> {
    pub(crate) fn from_input(input: &'a DeriveInput, errors: &mut Errors) -> Self {
        let mut declared = attr::container(&input.attrs, errors);
        let fields: Vec<Field<'a>> = named_fields(input, errors)
            .into_iter()
            .map(|field| Field::from_syn(field, &input.ident, errors))
            .collect();
        let method = declared.method.value().copied().unwrap_or(Method::Post);
        let default_encoding = match method {
            Method::Get => Encoding::Empty,
            Method::Post => Encoding::Form,
        };
        let encoding = declared.body.value().copied().unwrap_or(default_encoding);
        let client_auth = declared
            .client_auth
            .value()
            .copied()
            .unwrap_or(ClientAuth::Body);
        let assertion = Assertion::from_declared(&mut declared, client_auth);
        let refresh = declared.refresh.value().map(|refresh| Refresh {
            grant: refresh.grant.get().is_some(),
            path: refresh.path.value().cloned(),
            encoding: refresh.body.value().copied().unwrap_or(encoding),
            send: refresh
                .send
                .value()
                .into_iter()
                .flatten()
                .map(LitStr::value)
                .collect(),
        });
        let client_auth = declared
            .client_auth
            .value()
            .copied()
            .unwrap_or(ClientAuth::Body);
        let basic = basic(&declared, client_auth);
        let nested = encoding == Encoding::Json
            && (!declared.constants.is_empty()
                || fields
                    .iter()
                    .any(|field: &Field<'_>| field.declared.at.is_written()));
        Self {
            input,
            krate: declared
                .krate
                .value()
                .cloned()
                .unwrap_or_else(|| syn::parse_quote!(::oauth_core)),
            name: declared
                .name
                .value()
                .map_or_else(|| kebab_case(&input.ident.to_string()), LitStr::value),
            base_url: declared.base_url.take_value(),
            path: declared.path.value().cloned(),
            method,
            encoding,
            content_type: declared.content_type.value().cloned(),
            params: std::mem::take(&mut declared.params),
            constants: std::mem::take(&mut declared.constants)
                .into_iter()
                .map(|constant| constant.value)
                .collect(),
            headers: std::mem::take(&mut declared.headers),
            client_auth,
            basic,
            nested,
            assertion,
            dpop: declared.dpop.value().copied(),
            response: Response::from_declared(&declared),
            refresh,
            // A switch written wrongly is read as off, so the error is the only one.
            constructor: !declared.constructor.is_written()
                || declared.constructor.value().copied().unwrap_or(false),
            settings: !declared.settings.is_written()
                || declared.settings.value().copied().unwrap_or(false),
            fields,
            declared,
        }
    }

    /// Whether HTTP Basic authentication carries this field instead of the body.
    pub(crate) fn in_basic_auth(&self, field: &Field<'_>) -> bool {
        field.role == Role::Body
            && self
                .basic
                .as_ref()
                .is_some_and(|basic| basic.user == field.name || basic.password == field.name)
    }

    /// Whether HTTP Basic authentication sends this field as its password.
    pub(crate) fn is_basic_password(&self, field: &Field<'_>) -> bool {
        self.in_basic_auth(field)
            && self
                .basic
                .as_ref()
                .is_some_and(|basic| basic.password == field.name)
    }

    /// Whether client authentication uses this field instead of the body: HTTP
    /// Basic's two fields, or the secret a `client_secret_jwt` assertion is signed with.
    pub(crate) fn taken_by_client_auth(&self, field: &Field<'_>) -> bool {
        self.in_basic_auth(field)
            || (self.client_auth == ClientAuth::ClientSecretJwt
                && field.role == Role::Body
                && field.name == "client_secret")
    }

    /// Whether the provider sends the JWT bearer grant.
    pub(crate) fn jwt_bearer_grant(&self) -> bool {
        self.assertion
            .as_ref()
            .is_some_and(|assertion| assertion.grant)
    }

    /// The `#[token(private_key)]` field, if any.
    pub(crate) fn private_key(&self) -> Option<&Field<'a>> {
        self.fields
            .iter()
            .find(|field| field.role == Role::PrivateKey)
    }

    pub(crate) fn field(&self, name: &str) -> Option<&Field<'a>> {
        self.fields.iter().find(|field| field.name == name)
    }

    /// Whether the struct borrows: generated items that must own their values are left out.
    pub(crate) fn has_generics(&self) -> bool {
        !self.input.generics.params.is_empty()
    }

    /// Whether the struct has type or const parameters, which the derive refuses.
    pub(crate) fn has_type_parameters(&self) -> bool {
        let generics = &self.input.generics;
        generics.type_params().next().is_some() || generics.const_params().next().is_some()
    }

    /// Whether the input is a struct with named fields, which `new` and settings can build.
    pub(crate) fn has_named_fields(&self) -> bool {
        matches!(&self.input.data, Data::Struct(data) if matches!(data.fields, Fields::Named(_)))
    }
}

impl<'a> Field<'a> {
    fn from_syn(field: &'a syn::Field, fallback: &'a Ident, errors: &mut Errors) -> Self {
        let declared = attr::field(&field.attrs, errors);
        let ident = field.ident.as_ref().unwrap_or(fallback);
        let role = if let Some(header) = declared.header.value() {
            Role::Header(header.value().to_ascii_lowercase())
        } else if declared.bearer.get().is_some() {
            Role::Bearer
        } else if declared.url.get().is_some() {
            Role::Url
        } else if declared.query.get().is_some() {
            Role::Query
        } else if declared.private_key.get().is_some() {
            Role::PrivateKey
        } else if let Some(claim) = declared.claim.value() {
            let name = claim.as_ref().map_or_else(|| unraw(ident), LitStr::value);
            Role::Claim(name)
        } else {
            Role::Body
        };
        let secrecy = if declared.secret.get().is_some() {
            Secrecy::Declared
        } else if declared.not_secret.get().is_some() {
            Secrecy::Waived
        } else {
            Secrecy::Unstated
        };
        Self {
            ident,
            name: unraw(ident),
            ty: &field.ty,
            option_of: option_of(&field.ty),
            docs: field
                .attrs
                .iter()
                .filter(|attr| attr.path().is_ident("doc"))
                .collect(),
            role,
            secrecy,
            default: declared.default.value().cloned(),
            declared,
        }
    }

    /// Whether the field holds a private key: marked so, or of a type named `PrivateKey`.
    pub(crate) fn is_private_key(&self) -> bool {
        self.role == Role::PrivateKey
            || type_name(self.option_of.unwrap_or(self.ty)).is_some_and(|name| name == "PrivateKey")
    }

    /// The name on the wire: the body path, the rename, or the field's own name.
    pub(crate) fn wire_name(&self) -> String {
        if let Some(at) = self.declared.at.value() {
            return at.segments.join(".");
        }
        self.declared
            .rename
            .value()
            .map_or_else(|| self.name.clone(), LitStr::value)
    }

    /// Where the field sits in a nested JSON body: its path, or its wire name at the top.
    pub(crate) fn body_path(&self) -> Vec<String> {
        self.declared
            .at
            .value()
            .map_or_else(|| vec![self.wire_name()], |at| at.segments.clone())
    }

    /// Whether `new` takes this field; optional and defaulted fields get a setter
    /// instead. A `default` written wrongly still counts, so the error is the only one.
    pub(crate) fn is_required(&self) -> bool {
        let defaulted =
            self.declared.default.is_written() || self.declared.meant.contains(&"default");
        self.option_of.is_none() && !defaulted
    }

    /// The default, when it can fill the field: not on an `Option`, and a
    /// literal of the field's kind. Otherwise `valid` has reported it.
    pub(crate) fn usable_default(&self) -> Option<&DefaultValue> {
        let default = self.default.as_ref()?;
        (self.option_of.is_none() && self.default_mismatch().is_none()).then_some(default)
    }

    /// A default whose literal plainly does not fit the type written: a number
    /// for text, or text for a number or boolean.
    pub(crate) fn default_mismatch(&self) -> Option<syn::Error> {
        const NUMBERS: [&str; 12] = [
            "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
        ];
        let default = self.default.as_ref()?;
        let written = type_name(self.ty)?;
        let is_text = ["String", "str", "Secret", "Cow"].contains(&written.as_str());
        let name = &self.name;
        let message = match default {
            Lit::Int(value) if is_text => {
                format!("`{name}` is text: default = \"{}\"", value.base10_digits())
            }
            Lit::Bool(value) if is_text => {
                format!("`{name}` is text: default = \"{}\"", value.value)
            }
            Lit::Str(text) if NUMBERS.contains(&written.as_str()) => {
                match text.value().trim().parse::<i128>() {
                    Ok(number) => {
                        format!("`{name}` is a number, written without quotes: default = {number}")
                    }
                    Err(_) => {
                        format!("`{name}` is a number, written without quotes, such as default = 0")
                    }
                }
            }
            Lit::Str(text) if written == "bool" => {
                let flag = text.value().trim() == "true";
                format!("`{name}` is a boolean, written without quotes: default = {flag}")
            }
            _ => return None,
        };
        Some(syn::Error::new_spanned(default, message))
    }

    /// The first line of the field's documentation.
    pub(crate) fn summary(&self) -> String {
        self.docs
            .iter()
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

    /// Whether the name says the field holds a credential: `client_secret`,
    /// `password`, `*_secret`, `*_token`, `*_password`, `api_key`, `private_key`, `assertion`.
    pub(crate) fn named_like_credential(&self) -> bool {
        let name = self.name.to_ascii_lowercase();
        [
            "password",
            "secret",
            "api_key",
            "apikey",
            "private_key",
            "assertion",
            "passphrase",
        ]
        .contains(&name.as_str())
            || ["_secret", "_token", "_password", "_assertion"]
                .iter()
                .any(|suffix| name.ends_with(suffix))
    }
}

impl Assertion {
    /// The assertion a JWT `client_auth` or `assertion(grant)` signs; its claims move out of `declared`.
    fn from_declared(declared: &mut ContainerAttrs, client_auth: ClientAuth) -> Option<Self> {
        let written = declared.assertion.value();
        let grant = written.is_some_and(|assertion| assertion.grant.get().is_some());
        if !grant && !client_auth.signs() {
            return None;
        }
        let lifetime = written.and_then(|assertion| assertion.lifetime.value().copied());
        let claims = declared
            .assertion
            .value_mut()
            .map(|assertion| std::mem::take(&mut assertion.claims))
            .unwrap_or_default();
        Some(Self {
            grant,
            lifetime,
            claims,
        })
    }
}

impl Response {
    fn from_declared(declared: &ContainerAttrs) -> Self {
        let response = &declared.response;
        let segments =
            |slot: &attr::Slot<attr::PathAttr>| slot.value().map(|path| path.segments.clone());
        let success = declared.success.value().and_then(|success| {
            Some(Success {
                field: segments(&success.field)?,
                equals: success.equals.value()?.clone(),
                message: segments(&success.message),
                codes: success.codes.value().cloned().unwrap_or_default(),
            })
        });
        Self {
            access_token: segments(&response.access_token),
            access_token_header: response.access_token_header.value().cloned(),
            issued_at: segments(&response.issued_at),
            zero_lifetime: response.zero_lifetime.value().copied(),
            token_type: segments(&response.token_type),
            expires_in: segments(&response.expires_in),
            expires_at: segments(&response.expires_at),
            refresh_token: segments(&response.refresh_token),
            scope: segments(&response.scope),
            format: response.format.value().copied(),
            expiry_from_jwt: response.expiry_from_jwt.get().is_some(),
            success,
            error_code: segments(&declared.error.code),
            error_description: segments(&declared.error.description),
        }
    }
}

/// HTTP Basic from `basic(...)`, or from `client_auth = "basic"` (RFC 6749 section 2.3.1).
fn basic(declared: &ContainerAttrs, client_auth: ClientAuth) -> Option<Basic> {
    if let Some(basic) = declared.basic.value() {
        return Some(Basic {
            user: basic.user.value()?.value(),
            password: basic.password.value()?.value(),
            encoding: basic
                .encoding
                .value()
                .copied()
                .unwrap_or(BasicEncoding::Plain),
        });
    }
    let [user, password] = ClientAuth::BASIC_FIELDS.map(str::to_owned);
    (client_auth == ClientAuth::Basic).then_some(Basic {
        user,
        password,
        encoding: BasicEncoding::Form,
    })
}

fn named_fields<'a>(input: &'a DeriveInput, errors: &mut Errors) -> Vec<&'a syn::Field> {
    const NEEDS: &str =
        "#[derive(TokenEndpoint)] needs a struct with named fields, one per request parameter";
    let ident = &input.ident;
    match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(fields) => return fields.named.iter().collect(),
            Fields::Unnamed(fields) => errors.spanned(
                fields,
                format!("{NEEDS}; tuple fields have no names to send: struct {ident} {{ client_id: String }}"),
            ),
            Fields::Unit => errors.spanned(
                ident,
                format!("{NEEDS}; for a provider with no fields write `struct {ident} {{}}`"),
            ),
        },
        Data::Enum(data) => errors.spanned(
            data.enum_token,
            format!("{NEEDS}, not an enum; declare one struct per provider"),
        ),
        Data::Union(data) => errors.spanned(data.union_token, format!("{NEEDS}, not a union")),
    }
    Vec::new()
}

/// The last identifier of a type written as a path or a reference to one: `String`, `str`, `u32`.
fn type_name(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(path) => path.path.segments.last().map(|last| last.ident.to_string()),
        Type::Reference(reference) => type_name(&reference.elem),
        Type::Group(group) => type_name(&group.elem),
        Type::Paren(paren) => type_name(&paren.elem),
        _ => None,
    }
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
