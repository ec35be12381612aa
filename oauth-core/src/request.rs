use std::fmt;
use std::fmt::Write as _;

use http::header::{
    ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue,
};
use http::{Method, Uri};
use serde_json::{Map, Value};
use url::Url;

use crate::{ConfigError, Error, ParamValue, Scrubber};

/// A token request, as data: method, URL, headers and body, ready to send with any HTTP stack.
///
/// It asks for JSON (`Accept: application/json`) unless the provider declares
/// another `Accept`, and a POST without a body says so (`Content-Length: 0`).
/// `Debug` shows neither the query nor the body, and headers that carry
/// credentials are marked sensitive, so printing a request leaks nothing.
#[derive(Clone)]
pub struct TokenRequest {
    method: Method,
    url: Url,
    headers: HeaderMap,
    body: Option<Vec<u8>>,
    scrubber: Scrubber,
}

impl TokenRequest {
    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The full URL, including any query parameters.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The headers, including `Content-Type` and any credential headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The encoded body, if the request has one.
    pub fn body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }

    /// The secret values this request carries, to strike from the provider's answer:
    /// attach it with [`TokenResponse::with_scrubber`](crate::TokenResponse::with_scrubber).
    pub fn scrubber(&self) -> &Scrubber {
        &self.scrubber
    }

    /// Takes the scrubber out of a request about to be sent, sparing a copy of its secrets.
    pub(crate) fn take_scrubber(&mut self) -> Scrubber {
        std::mem::take(&mut self.scrubber)
    }

    /// The request as an `http::Request`, as a [`Transport`](crate::Transport) sends it.
    pub fn into_http(self) -> Result<http::Request<Vec<u8>>, Error> {
        let uri = Uri::try_from(self.url.as_str()).map_err(|_| ConfigError::UnsendableUrl)?;
        let mut request = http::Request::new(self.body.unwrap_or_default());
        *request.method_mut() = self.method;
        *request.uri_mut() = uri;
        *request.headers_mut() = self.headers;
        #[cfg(feature = "reqwest")]
        request
            .extensions_mut()
            .insert(crate::transport::ParsedUrl(self.url));
        Ok(request)
    }

    /// The request as a `reqwest::Request`.
    #[cfg(feature = "reqwest")]
    pub fn into_reqwest(self) -> reqwest::Request {
        let mut request = reqwest::Request::new(self.method, self.url);
        *request.headers_mut() = self.headers;
        if let Some(body) = self.body {
            *request.body_mut() = Some(body.into());
        }
        request
    }
}

impl fmt::Debug for TokenRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut url = self.url.clone();
        url.set_query(None);
        f.debug_struct("TokenRequest")
            .field("method", &self.method)
            .field("url", &url.as_str())
            .field("headers", &self.headers)
            .field("body_bytes", &self.body.as_ref().map(Vec::len))
            .finish()
    }
}

/// How a request body is encoded.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyEncoding {
    Json,
    Form,
    /// No body: the parameters travel elsewhere (a GET, say).
    Empty,
    /// A JSON body whose parameters sit at paths in nested objects, written with sorted keys.
    JsonTree,
}

/// Header values every request carries, made at compile time rather than checked on each build.
const APPLICATION_JSON: HeaderValue = HeaderValue::from_static("application/json");
const FORM_URLENCODED: HeaderValue = HeaderValue::from_static("application/x-www-form-urlencoded");
const NO_CONTENT: HeaderValue = HeaderValue::from_static("0");

impl BodyEncoding {
    fn default_content_type(self) -> Option<HeaderValue> {
        match self {
            Self::Json | Self::JsonTree => Some(APPLICATION_JSON),
            Self::Form => Some(FORM_URLENCODED),
            Self::Empty => None,
        }
    }
}

/// Room for a typical token request body, so it is written without regrowing.
const BODY_CAPACITY: usize = 256;

/// Assembles a [`TokenRequest`]; generated code calls it once per parameter.
#[doc(hidden)]
#[derive(Debug)]
pub struct RequestBuilder {
    /// The request so far, with every secret value sent in its scrubber; `finish` sets its body.
    request: TokenRequest,
    encoding: BodyEncoding,
    /// The JSON or form body as written so far; a nested JSON body waits in `tree`.
    body: String,
    tree: Option<Map<String, Value>>,
}

impl RequestBuilder {
    /// Starts a request; `content_type` (a constant in generated code) overrides the encoding's own.
    pub fn new(
        method: Method,
        url: Url,
        encoding: BodyEncoding,
        content_type: Option<HeaderValue>,
    ) -> Self {
        let mut headers = HeaderMap::new();
        if let Some(content_type) = content_type.or_else(|| encoding.default_content_type()) {
            headers.insert(CONTENT_TYPE, content_type);
        }
        // A token client reads JSON; a provider that answers otherwise declares its own `Accept`, which replaces this.
        headers.insert(ACCEPT, APPLICATION_JSON);
        Self {
            request: TokenRequest {
                method,
                url,
                headers,
                body: None,
                scrubber: Scrubber::default(),
            },
            encoding,
            body: String::new(),
            tree: None,
        }
    }

    /// Adds a body parameter; `None` leaves it out.
    pub fn body_param(&mut self, name: &str, value: Option<ParamValue<'_>>) {
        let Some(value) = value else { return };
        self.remember_secret(&value);
        match self.encoding {
            BodyEncoding::Json => match &value {
                ParamValue::Number(number) => self.json_number(name, number),
                ParamValue::Bool(flag) => self.json_raw(name, if *flag { "true" } else { "false" }),
                text => self.json_string(name, &text.as_text()),
            },
            BodyEncoding::Form => self.form_pair(name, &value.as_text()),
            BodyEncoding::Empty => self.append_query(name, &value),
            BodyEncoding::JsonTree => place(
                self.tree.get_or_insert_default(),
                &[name],
                json_value(&value),
            ),
        }
    }

    /// Opens the JSON object or separates the member from the last, then writes `"name":`.
    fn json_key(&mut self, name: &str) {
        if self.body.is_empty() {
            self.body.reserve(BODY_CAPACITY);
            self.body.push('{');
        } else {
            self.body.push(',');
        }
        write_json_string(&mut self.body, name);
        self.body.push(':');
    }

    fn json_string(&mut self, name: &str, text: &str) {
        self.json_key(name);
        write_json_string(&mut self.body, text);
    }

    fn json_raw(&mut self, name: &str, literal: &str) {
        self.json_key(name);
        self.body.push_str(literal);
    }

    fn json_number(&mut self, name: &str, number: &serde_json::Number) {
        self.json_key(name);
        // Written in place: a `String` never fails to take text.
        let _ = write!(self.body, "{number}");
    }

    fn form_pair(&mut self, name: &str, value: &str) {
        if self.body.is_empty() {
            self.body.reserve(BODY_CAPACITY);
        }
        url::form_urlencoded::Serializer::for_suffix(&mut self.body, 0).append_pair(name, value);
    }

    /// Adds a body parameter at `path` in a nested JSON body; `None` leaves it out.
    /// Another encoding (a refresh sent as a form) takes the path as one dotted name.
    pub fn body_param_at(&mut self, path: &[&str], value: Option<ParamValue<'_>>) {
        if self.encoding != BodyEncoding::JsonTree {
            return self.body_param(&path.join("."), value);
        }
        let Some(value) = value else { return };
        self.remember_secret(&value);
        place(self.tree.get_or_insert_default(), path, json_value(&value));
    }

    /// Adds a JSON array at `path` in a nested JSON body; `None` items are left out.
    pub fn body_list_at(&mut self, path: &[&str], items: &[Option<ParamValue<'_>>]) {
        let items = items.iter().flatten().map(|item| {
            self.remember_secret(item);
            json_value(item)
        });
        let list = Value::Array(items.collect());
        place(self.tree.get_or_insert_default(), path, list);
    }

    /// Adds a query parameter; `None` leaves it out.
    pub fn query_param(&mut self, name: &str, value: Option<ParamValue<'_>>) {
        if let Some(value) = value {
            self.remember_secret(&value);
            self.append_query(name, &value);
        }
    }

    fn append_query(&mut self, name: &str, value: &ParamValue<'_>) {
        self.request
            .url
            .query_pairs_mut()
            .append_pair(name, &value.as_text());
    }

    fn remember_secret(&mut self, value: &ParamValue<'_>) {
        if let ParamValue::Secret(secret) = value {
            self.request.scrubber.remember(secret.expose_secret());
        }
    }

    /// Sets a header; `None` leaves it out. `name` was validated by the derive.
    pub fn header(
        &mut self,
        name: &'static str,
        value: Option<ParamValue<'_>>,
    ) -> Result<(), Error> {
        let Some(value) = value else { return Ok(()) };
        let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
            ConfigError::InvalidHeaderValue {
                header: name.to_owned(),
            }
        })?;
        let sensitive = value.is_secret();
        self.remember_secret(&value);
        self.insert_header(header, &value.as_text(), sensitive)
    }

    /// Sets `Authorization: Basic ...` from the client id and secret, each
    /// form-urlencoded before base64 as RFC 6749 section 2.3.1 requires.
    pub fn basic_auth(
        &mut self,
        client_id: Option<ParamValue<'_>>,
        client_secret: Option<ParamValue<'_>>,
    ) -> Result<(), Error> {
        use base64::Engine as _;

        let encode = |value: Option<ParamValue<'_>>| {
            value.map_or_else(String::new, |value| {
                url::form_urlencoded::byte_serialize(value.as_text().as_bytes()).collect()
            })
        };
        // Whatever its type, a value in `Authorization` is a credential.
        if let Some(secret) = &client_secret {
            self.request.scrubber.remember(&secret.as_text());
        }
        let pair = format!("{}:{}", encode(client_id), encode(client_secret));
        let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
        self.insert_header(AUTHORIZATION, &format!("Basic {encoded}"), true)?;
        self.request.scrubber.remember(&encoded);
        Ok(())
    }

    /// Sets `Authorization: Basic ...` from a user and password as they are
    /// (RFC 7617), for services that are not OAuth servers.
    pub fn basic_auth_plain(
        &mut self,
        user: Option<ParamValue<'_>>,
        password: Option<ParamValue<'_>>,
    ) -> Result<(), Error> {
        use base64::Engine as _;

        let text = |value: &Option<ParamValue<'_>>| {
            value
                .as_ref()
                .map_or_else(String::new, |value| value.as_text().into_owned())
        };
        let password = text(&password);
        self.request.scrubber.remember(&password);
        let pair = format!("{}:{password}", text(&user));
        let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
        self.insert_header(AUTHORIZATION, &format!("Basic {encoded}"), true)?;
        self.request.scrubber.remember(&encoded);
        Ok(())
    }

    /// Sets `Authorization: Bearer <value>`; `None` leaves it out.
    pub fn bearer(&mut self, value: Option<ParamValue<'_>>) -> Result<(), Error> {
        let Some(value) = value else { return Ok(()) };
        self.request.scrubber.remember(&value.as_text());
        let credentials = format!("Bearer {}", value.as_text());
        self.insert_header(AUTHORIZATION, &credentials, true)
    }

    fn insert_header(
        &mut self,
        name: HeaderName,
        value: &str,
        sensitive: bool,
    ) -> Result<(), Error> {
        let mut header_value =
            HeaderValue::from_str(value).map_err(|_| ConfigError::InvalidHeaderValue {
                header: name.as_str().to_owned(),
            })?;
        header_value.set_sensitive(sensitive);
        self.request.headers.insert(name, header_value);
        Ok(())
    }

    /// The finished request, with the headers every transport must send.
    pub fn finish(mut self) -> TokenRequest {
        self.request.body = match self.encoding {
            BodyEncoding::Json if self.body.is_empty() => Some(b"{}".to_vec()),
            BodyEncoding::Json => {
                self.body.push('}');
                Some(self.body.into_bytes())
            }
            BodyEncoding::Form => Some(self.body.into_bytes()),
            BodyEncoding::Empty => None,
            BodyEncoding::JsonTree => Some(
                Value::Object(self.tree.unwrap_or_default())
                    .to_string()
                    .into_bytes(),
            ),
        };
        // RFC 9110 section 8.6: a POST carries a length even when it has no content; some servers answer 411 otherwise.
        if self.request.body.is_none() && self.request.method == Method::POST {
            self.request.headers.insert(CONTENT_LENGTH, NO_CONTENT);
        }
        self.request
    }
}

/// A parameter as the JSON value a nested body holds.
fn json_value(value: &ParamValue<'_>) -> Value {
    match value {
        ParamValue::Number(number) => Value::Number(number.clone()),
        ParamValue::Bool(flag) => Value::Bool(*flag),
        text => Value::String(text.as_text().into_owned()),
    }
}

/// Puts `value` at `path`, making the objects on the way. The derive refuses
/// two values at one path and a path under a value, so nothing is overwritten
/// but a hand-written call's: the later value wins.
fn place(tree: &mut Map<String, Value>, path: &[&str], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut object = tree;
    for segment in parents {
        let entry = object
            .entry(*segment)
            .or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        let Value::Object(inner) = entry else { return };
        object = inner;
    }
    object.insert((*last).to_owned(), value);
}

/// Whether `text` holds a byte a JSON string must escape: `"`, `\\` or a control
/// character. Checks eight bytes at a time, as every value of every request passes here.
fn needs_escape(text: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    // Exact as a yes or no: some byte of `word` is zero, or below 0x20.
    let any_zero = |word: u64| word.wrapping_sub(ONES) & !word & HIGHS != 0;
    let any_control = |word: u64| word.wrapping_sub(ONES * 0x20) & !word & HIGHS != 0;
    let escaped = |byte: u8| byte == b'"' || byte == b'\\' || byte < 0x20;
    let mut words = text.chunks_exact(8);
    let found = words.by_ref().any(|chunk| {
        <[u8; 8]>::try_from(chunk).map_or(true, |bytes| {
            let word = u64::from_ne_bytes(bytes);
            any_control(word)
                || any_zero(word ^ (ONES * u64::from(b'"')))
                || any_zero(word ^ (ONES * u64::from(b'\\')))
        })
    });
    found || words.remainder().iter().any(|&byte| escaped(byte))
}

/// Writes `text` as a JSON string literal (RFC 8259 section 7).
fn write_json_string(out: &mut String, text: &str) {
    out.push('"');
    // Credentials rarely need escaping: copy them whole when they do not.
    if !needs_escape(text.as_bytes()) {
        out.push_str(text);
        out.push('"');
        return;
    }
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            control if u32::from(control) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(control));
            }
            other => out.push(other),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;
    use crate::Secret;

    fn builder(encoding: BodyEncoding) -> RequestBuilder {
        let url = Url::parse("https://example.com/token").ok();
        RequestBuilder::new(
            Method::POST,
            url.unwrap_or_else(|| unreachable!()),
            encoding,
            None,
        )
    }

    #[test]
    fn needs_escape_finds_every_escaped_byte_at_every_position() {
        for length in 0..20 {
            for at in 0..length {
                for byte in 0..=u8::MAX {
                    let mut text = vec![b'a'; length];
                    if let Some(slot) = text.get_mut(at) {
                        *slot = byte;
                    }
                    let expected = byte == b'"' || byte == b'\\' || byte < 0x20;
                    assert_eq!(
                        needs_escape(&text),
                        expected,
                        "{byte:#x} at {at} of {length}"
                    );
                }
            }
        }
        assert!(!needs_escape("é-ü-\u{7f}-€".as_bytes()));
    }

    proptest::proptest! {
        #[test]
        fn needs_escape_agrees_with_a_byte_by_byte_scan(text in proptest::collection::vec(0x1e_u8..=0xff, 0..64)) {
            let expected = text.iter().any(|&byte| byte == b'"' || byte == b'\\' || byte < 0x20);
            proptest::prop_assert_eq!(needs_escape(&text), expected);
        }
    }

    #[test]
    fn json_bodies_escape_and_keep_types() {
        let mut request = builder(BodyEncoding::Json);
        request.body_param(
            "text",
            Some(ParamValue::Text(Cow::Borrowed("a\"b\\c\n\u{1}é"))),
        );
        request.body_param("count", Some(ParamValue::Number(7.into())));
        request.body_param("flag", Some(ParamValue::Bool(true)));
        request.body_param("absent", None);
        let request = request.finish();
        let body: serde_json::Value =
            serde_json::from_slice(request.body().unwrap_or_default()).unwrap_or_default();
        assert_eq!(
            body,
            serde_json::json!({"text": "a\"b\\c\n\u{1}é", "count": 7, "flag": true})
        );
    }

    #[test]
    fn nested_bodies_place_values_at_paths_in_sorted_order() {
        let secret = Secret::new("pw");
        let mut request = builder(BodyEncoding::JsonTree);
        request.body_param_at(
            &["auth", "user", "password"],
            Some(ParamValue::Secret(&secret)),
        );
        request.body_param_at(
            &["auth", "user", "name"],
            Some(ParamValue::Text(Cow::Borrowed("a"))),
        );
        request.body_list_at(
            &["auth", "methods"],
            &[Some(ParamValue::Text(Cow::Borrowed("password")))],
        );
        request.body_param("grant", Some(ParamValue::Bool(true)));
        request.body_param_at(&["auth", "absent"], None);
        let request = request.finish();
        assert_eq!(
            request.body(),
            Some(&br#"{"auth":{"methods":["password"],"user":{"name":"a","password":"pw"}},"grant":true}"#[..])
        );
        assert_eq!(request.scrubber().scrub("pw"), "[redacted]");

        let mut form = builder(BodyEncoding::Form);
        form.body_param_at(
            &["user", "name"],
            Some(ParamValue::Text(Cow::Borrowed("a"))),
        );
        assert_eq!(form.finish().body(), Some(&b"user.name=a"[..]));
    }

    #[test]
    fn credentials_are_sensitive_and_hidden_from_debug() {
        let secret = Secret::new("canary-secret");
        let mut request = builder(BodyEncoding::Form);
        request.body_param("client_secret", Some(ParamValue::Secret(&secret)));
        request.query_param("key", Some(ParamValue::Secret(&secret)));
        assert!(request.bearer(Some(ParamValue::Secret(&secret))).is_ok());
        let request = request.finish();
        assert!(request.headers()[AUTHORIZATION].is_sensitive());
        let debug = format!("{request:?}");
        assert!(!debug.contains("canary"), "{debug}");
    }

    #[test]
    fn asks_for_json_unless_told_otherwise_and_a_bodiless_post_has_a_length() {
        let request = builder(BodyEncoding::Empty).finish();
        assert_eq!(request.headers()[ACCEPT], "application/json");
        assert_eq!(request.headers()[CONTENT_LENGTH], "0");
        assert_eq!(request.body(), None);

        let mut declared = builder(BodyEncoding::Form);
        let accept = Some(ParamValue::Text(Cow::Borrowed("text/plain")));
        assert!(declared.header("accept", accept).is_ok());
        let declared = declared.finish();
        let accepts: Vec<_> = declared.headers().get_all(ACCEPT).iter().collect();
        assert_eq!(accepts, ["text/plain"]);
        assert!(declared.headers().get(CONTENT_LENGTH).is_none());

        let url = Url::parse("https://example.com/token").ok();
        let get = RequestBuilder::new(
            Method::GET,
            url.unwrap_or_else(|| unreachable!()),
            BodyEncoding::Empty,
            None,
        );
        assert!(get.finish().headers().get(CONTENT_LENGTH).is_none());
    }

    #[test]
    fn the_scrubber_knows_every_credential_sent() {
        let secret = Secret::new("in-the-body");
        let bearer = Secret::new("in-the-bearer");
        let mut request = builder(BodyEncoding::Form);
        request.body_param("client_secret", Some(ParamValue::Secret(&secret)));
        request.body_param("client_id", Some(ParamValue::Text(Cow::Borrowed("public"))));
        assert!(request.bearer(Some(ParamValue::Secret(&bearer))).is_ok());
        let request = request.finish();
        assert_eq!(
            request.scrubber().scrub("public in-the-body in-the-bearer"),
            "public [redacted] [redacted]"
        );

        let mut basic = builder(BodyEncoding::Form);
        let id = Some(ParamValue::Text(Cow::Borrowed("id")));
        assert!(
            basic
                .basic_auth(id, Some(ParamValue::Secret(&secret)))
                .is_ok()
        );
        let basic = basic.finish();
        let header = basic.headers()[AUTHORIZATION].to_str().unwrap_or_default();
        assert_eq!(basic.scrubber().scrub(header), "Basic [redacted]");
    }

    #[test]
    fn header_values_that_http_cannot_carry_are_errors() {
        let mut request = builder(BodyEncoding::Form);
        let result = request.header("x-id", Some(ParamValue::Text(Cow::Borrowed("a\nb"))));
        assert!(matches!(
            result,
            Err(Error::Config(ConfigError::InvalidHeaderValue { .. }))
        ));
    }
}
