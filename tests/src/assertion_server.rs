//! A loopback token endpoint that takes only JWT assertions it can verify: the
//! signature with the client's public key, every expected claim, a short
//! lifetime around the current time, and a `jti` it has never seen.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use serde_json::{Map, Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::keys::{Verifier, verify};
use crate::wire;

/// `client_assertion_type` of RFC 7523 section 2.2.
pub const CLIENT_ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// `grant_type` of RFC 7523 section 2.1.
pub const JWT_BEARER_GRANT: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// Where the assertion travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Carrier {
    /// `client_assertion` (RFC 7523 section 2.2); failures are `401 invalid_client`.
    ClientAssertion,
    /// `assertion` with the JWT bearer grant (RFC 7523 section 2.1); failures are `400 invalid_grant`.
    Grant,
}

/// What the server expects of every assertion.
#[derive(Clone, Debug)]
pub struct Expected {
    /// Where the assertion travels.
    pub carrier: Carrier,
    /// How its signature verifies.
    pub verifier: Verifier,
    /// Claims that must be there with exactly these values (`aud` is added by [`AssertionServer::start`] unless given).
    pub claims: Map<String, Value>,
    /// The `kid` the header must carry, if any.
    pub kid: Option<String>,
    /// The longest `exp - iat` accepted.
    pub max_lifetime: Duration,
    /// Other body parameters that must be there with these values.
    pub params: BTreeMap<String, String>,
    /// The success body to answer with; `access_token` is added.
    pub success: Value,
}

impl Expected {
    /// Expectations with an empty success body of RFC 6749's shape.
    pub fn new(carrier: Carrier, verifier: Verifier, claims: Value) -> Self {
        Self {
            carrier,
            verifier,
            claims: match claims {
                Value::Object(claims) => claims,
                _ => Map::new(),
            },
            kid: None,
            max_lifetime: Duration::from_secs(60),
            params: BTreeMap::new(),
            success: json!({"token_type": "Bearer", "expires_in": 3600}),
        }
    }
}

/// A running server and what it accepted.
pub struct AssertionServer {
    /// The loopback server.
    pub server: MockServer,
    /// The token endpoint's URL, the default audience.
    pub token_url: String,
    accepted: Arc<Mutex<Vec<Map<String, Value>>>>,
}

impl AssertionServer {
    /// Serves `POST {token_path}` on loopback, expecting `expected`.
    pub async fn start(token_path: &str, mut expected: Expected) -> Self {
        let server = MockServer::start().await;
        let token_url = format!("{}{token_path}", server.uri());
        expected
            .claims
            .entry("aud")
            .or_insert_with(|| Value::from(token_url.as_str()));
        let accepted = Arc::default();
        Mock::given(method("POST"))
            .and(path(token_path))
            .respond_with(Endpoint {
                expected,
                accepted: Arc::clone(&accepted),
            })
            .mount(&server)
            .await;
        Self {
            server,
            token_url,
            accepted,
        }
    }

    /// The claims of every assertion accepted, in order.
    pub fn accepted(&self) -> Vec<Map<String, Value>> {
        self.accepted
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

struct Endpoint {
    expected: Expected,
    accepted: Arc<Mutex<Vec<Map<String, Value>>>>,
}

impl Respond for Endpoint {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        match self.check(request) {
            Ok(claims) => {
                self.accepted
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(claims);
                let mut body = self.expected.success.clone();
                body["access_token"] = wire::opaque_token("assertion-token").into();
                ResponseTemplate::new(200).set_body_json(body)
            }
            Err(reason) => {
                let (status, code) = match self.expected.carrier {
                    Carrier::ClientAssertion => (401, "invalid_client"),
                    Carrier::Grant => (400, "invalid_grant"),
                };
                ResponseTemplate::new(status)
                    .set_body_json(json!({"error": code, "error_description": reason}))
            }
        }
    }
}

impl Endpoint {
    fn check(&self, request: &Request) -> Result<Map<String, Value>, String> {
        let expected = &self.expected;
        let body = wire::form_fields(request).ok_or("the body is not a form")?;
        let field = |name: &str| body.get(name).map(String::as_str);
        let jwt = match expected.carrier {
            Carrier::ClientAssertion => {
                if field("client_assertion_type") != Some(CLIENT_ASSERTION_TYPE) {
                    return Err("client_assertion_type is missing or wrong".into());
                }
                field("client_assertion").ok_or("client_assertion is missing")?
            }
            Carrier::Grant => {
                if field("grant_type") != Some(JWT_BEARER_GRANT) {
                    return Err("grant_type is not the JWT bearer grant".into());
                }
                field("assertion").ok_or("assertion is missing")?
            }
        };
        for (name, value) in &expected.params {
            if field(name) != Some(value) {
                return Err(format!("the parameter {name} is missing or wrong"));
            }
        }
        let (header, claims) = verify(jwt, &expected.verifier)?;
        if header["typ"] != "JWT" {
            return Err("the header's typ is not JWT".into());
        }
        if header.get("kid").and_then(Value::as_str) != expected.kid.as_deref() {
            return Err("the header's kid is not the registered key's".into());
        }
        let Value::Object(claims) = claims else {
            return Err("the claims are not an object".into());
        };
        for (name, value) in &expected.claims {
            if claims.get(name) != Some(value) {
                return Err(format!("the claim {name} is missing or wrong"));
            }
        }
        self.check_time_and_replay(&claims)?;
        Ok(claims)
    }

    fn check_time_and_replay(&self, claims: &Map<String, Value>) -> Result<(), String> {
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        let (Some(iat), Some(exp)) = (claims["iat"].as_u64(), claims["exp"].as_u64()) else {
            return Err("iat and exp must be numbers".into());
        };
        if iat > now + 5 || now > exp || exp - iat > self.expected.max_lifetime.as_secs() {
            return Err("the assertion is expired, not yet valid or too long-lived".into());
        }
        let jti = claims["jti"].as_str().ok_or("the jti is missing")?;
        let replayed = self
            .accepted
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .any(|seen| seen["jti"] == jti);
        if replayed {
            return Err("the assertion was replayed".into());
        }
        Ok(())
    }
}
