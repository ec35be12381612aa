//! A DPoP authorization server and resource server on loopback (RFC 9449),
//! checking every proof independently of the runtime: the signature with the
//! embedded public key (*ring* through [`keys::verify`]), `typ`, `alg`, `htm`,
//! `htu`, `iat`, a `jti` never seen before, the server's nonce, and on
//! resource requests `ath` and the key the token is bound to.
//!
//! The token endpoint demands its nonce before it issues anything, and binds
//! every token and refresh token to the proof key's thumbprint (`cnf.jkt`).
//! The resource server keeps a nonce of its own and asks for it the same way.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::SystemTime;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::digest;
use serde_json::{Map, Value, json};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::keys::{Verifier, verify};
use crate::wire;

/// How far a proof's `iat` may be from the server's clock, in seconds.
const IAT_WINDOW: u64 = 60;

/// One request the token endpoint saw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenRequestSeen {
    /// `client_credentials` or `refresh_token`.
    pub grant_type: String,
    /// The thumbprint of the proof's key, when the proof verified.
    pub jkt: Option<String>,
    /// The proof's `nonce`.
    pub nonce: Option<String>,
    /// What the server answered.
    pub outcome: Outcome,
}

/// One request the resource server saw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceRequestSeen {
    /// The `Authorization` scheme: `DPoP` or `Bearer`.
    pub scheme: String,
    /// Whether a `DPoP` header came along.
    pub proof: bool,
    /// The proof's `nonce`.
    pub nonce: Option<String>,
    /// What the server answered.
    pub outcome: Outcome,
}

/// What a server answered a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Asked for a proof with its nonce.
    NonceDemanded,
    /// Accepted.
    Accepted,
    /// Refused, and why.
    Refused(String),
}

/// How the servers behave; changed while they run.
#[derive(Clone, Debug, Default)]
pub struct Behaviour {
    /// A new token-endpoint nonce with every request, so no proof ever carries the current one.
    pub rotate_every_time: bool,
    /// Issue tokens as `Bearer` (RFC 9449 allows a server not to bind them).
    pub issue_bearer: bool,
}

#[derive(Default)]
struct State {
    behaviour: Behaviour,
    issued: u64,
    token_nonce: u64,
    resource_nonce: u64,
    seen_jti: HashSet<String>,
    /// Access tokens by value, with the thumbprint each is bound to.
    access_tokens: HashMap<String, String>,
    refresh_tokens: HashMap<String, String>,
    token_log: Vec<TokenRequestSeen>,
    resource_log: Vec<ResourceRequestSeen>,
}

impl State {
    fn token_nonce(&self) -> String {
        format!("as-nonce-{}", self.token_nonce)
    }

    fn resource_nonce(&self) -> String {
        format!("rs-nonce-{}", self.resource_nonce)
    }
}

/// Both servers and what they saw.
pub struct DpopServers {
    /// The authorization server, its token endpoint at `/token`.
    pub auth: MockServer,
    /// The resource server, under `/api/`.
    pub api: MockServer,
    state: Arc<Mutex<State>>,
}

impl DpopServers {
    /// Starts both servers on loopback.
    pub async fn start() -> Self {
        let state = Arc::new(Mutex::new(State::default()));
        let (auth, api) = (MockServer::start().await, MockServer::start().await);
        Mock::given(method("POST"))
            .and(path("/token"))
            .respond_with(TokenEndpoint {
                url: format!("{}/token", auth.uri()),
                state: Arc::clone(&state),
            })
            .mount(&auth)
            .await;
        Mock::given(any())
            .respond_with(Resource {
                origin: api.uri(),
                state: Arc::clone(&state),
            })
            .mount(&api)
            .await;
        Self { auth, api, state }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Changes how the servers behave from now on.
    pub fn behave(&self, behaviour: Behaviour) {
        self.state().behaviour = behaviour;
    }

    /// Rotates the token endpoint's nonce, as servers do from time to time.
    pub fn rotate_token_nonce(&self) {
        self.state().token_nonce += 1;
    }

    /// Registers a refresh token issued earlier, bound to the key of thumbprint `jkt`.
    pub fn register_refresh_token(&self, refresh_token: &str, jkt: &str) {
        let mut state = self.state();
        state
            .refresh_tokens
            .insert(refresh_token.to_owned(), jkt.to_owned());
    }

    /// Every token request so far, oldest first.
    pub fn token_requests(&self) -> Vec<TokenRequestSeen> {
        self.state().token_log.clone()
    }

    /// Every resource request so far, oldest first.
    pub fn resource_requests(&self) -> Vec<ResourceRequestSeen> {
        self.state().resource_log.clone()
    }

    /// Every access and refresh token issued, to search for as canaries.
    pub fn issued_values(&self) -> Vec<String> {
        let state = self.state();
        let access = state.access_tokens.keys();
        access.chain(state.refresh_tokens.keys()).cloned().collect()
    }
}

/// The RFC 7638 thumbprint of a public JWK, computed here rather than by the runtime.
pub fn thumbprint(jwk: &Value) -> Option<String> {
    let member = |name: &str| jwk.get(name).and_then(Value::as_str);
    let canonical = match member("kty")? {
        "EC" => format!(
            r#"{{"crv":"{}","kty":"EC","x":"{}","y":"{}"}}"#,
            member("crv")?,
            member("x")?,
            member("y")?
        ),
        "OKP" => format!(
            r#"{{"crv":"{}","kty":"OKP","x":"{}"}}"#,
            member("crv")?,
            member("x")?
        ),
        _ => return None,
    };
    let hash = digest::digest(&digest::SHA256, canonical.as_bytes());
    Some(URL_SAFE_NO_PAD.encode(hash))
}

/// What a proof must be bound to.
struct Binding<'a> {
    method: &'a str,
    htu: &'a str,
    /// The access token the proof accompanies, for `ath`.
    access_token: Option<&'a str>,
}

/// A verified proof: its claims and its key's thumbprint.
struct Proof {
    claims: Map<String, Value>,
    jkt: String,
}

impl Proof {
    fn nonce(&self) -> Option<String> {
        self.claims
            .get("nonce")
            .and_then(Value::as_str)
            .map(str::to_owned)
    }
}

/// Checks one `DPoP` header against what it must be bound to; the `jti` is remembered.
fn check_proof(
    request: &Request,
    binding: &Binding<'_>,
    state: &mut State,
) -> Result<Proof, String> {
    let mut proofs = request.headers.get_all("dpop").iter();
    let (Some(proof), None) = (proofs.next(), proofs.next()) else {
        return Err("exactly one DPoP header is required".into());
    };
    let proof = proof.to_str().map_err(|_| "the DPoP header is not text")?;
    let header: Value = decode_segment(proof.split('.').next().unwrap_or_default())?;
    if header["typ"] != "dpop+jwt" {
        return Err("the proof's typ is not dpop+jwt".into());
    }
    if !["ES256", "ES384", "EdDSA"].contains(&header["alg"].as_str().unwrap_or_default()) {
        return Err("the proof's alg is not an asymmetric algorithm this server takes".into());
    }
    let jwk = header
        .get("jwk")
        .filter(|jwk| jwk.is_object())
        .ok_or("no jwk")?;
    if ["d", "p", "q", "dp", "dq", "qi"]
        .iter()
        .any(|name| jwk.get(name).is_some())
    {
        return Err("the jwk holds private key material".into());
    }
    let (_, claims) = verify(proof, &Verifier::Public(jwk.clone()))?;
    let Value::Object(claims) = claims else {
        return Err("the claims are not an object".into());
    };
    check_claims(&claims, binding, state)?;
    let jkt = thumbprint(jwk).ok_or("the jwk has no thumbprint")?;
    Ok(Proof { claims, jkt })
}

fn check_claims(
    claims: &Map<String, Value>,
    binding: &Binding<'_>,
    state: &mut State,
) -> Result<(), String> {
    if claims.get("htm").and_then(Value::as_str) != Some(binding.method) {
        return Err(format!("htm is not {}", binding.method));
    }
    if claims.get("htu").and_then(Value::as_str) != Some(binding.htu) {
        return Err(format!("htu is not {}", binding.htu));
    }
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    let iat = claims.get("iat").and_then(Value::as_u64).ok_or("no iat")?;
    if iat.abs_diff(now) > IAT_WINDOW {
        return Err("iat is outside the accepted window".into());
    }
    let ath = binding
        .access_token
        .map(|token| URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, token.as_bytes())));
    if claims.get("ath").and_then(Value::as_str) != ath.as_deref() {
        return Err("ath is missing or is not the access token's hash".into());
    }
    let jti = claims.get("jti").and_then(Value::as_str).ok_or("no jti")?;
    if !state.seen_jti.insert(jti.to_owned()) {
        return Err("the jti was used before: a replayed proof".into());
    }
    Ok(())
}

fn decode_segment(segment: &str) -> Result<Value, String> {
    let bytes = URL_SAFE_NO_PAD
        .decode(segment)
        .map_err(|_| "a proof segment is not base64url")?;
    serde_json::from_slice(&bytes).map_err(|_| "a proof segment is not JSON".into())
}

/// The token endpoint: `client_credentials` and `refresh_token`, DPoP always.
struct TokenEndpoint {
    url: String,
    state: Arc<Mutex<State>>,
}

impl Respond for TokenEndpoint {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if state.behaviour.rotate_every_time {
            state.token_nonce += 1;
        }
        let form = wire::form_fields(request).unwrap_or_default();
        let grant_type = form.get("grant_type").cloned().unwrap_or_default();
        let binding = Binding {
            method: "POST",
            htu: &self.url,
            access_token: None,
        };
        let proof = check_proof(request, &binding, &mut state);
        let mut seen = TokenRequestSeen {
            grant_type,
            jkt: proof.as_ref().ok().map(|proof| proof.jkt.clone()),
            nonce: proof.as_ref().ok().and_then(Proof::nonce),
            outcome: Outcome::Accepted,
        };
        let answer = match proof {
            Err(reason) => Err(Refused::new("invalid_dpop_proof", reason)),
            Ok(_) if seen.nonce != Some(state.token_nonce()) => {
                seen.outcome = Outcome::NonceDemanded;
                let body = json!({"error": "use_dpop_nonce", "error_description": "Authorization server requires nonce in DPoP proof"});
                Ok(ResponseTemplate::new(400).set_body_json(body))
            }
            Ok(proof) => issue(&mut state, &form, &proof),
        };
        let response = answer.unwrap_or_else(|refused| {
            let body = json!({"error": refused.code, "error_description": refused.reason});
            seen.outcome = Outcome::Refused(refused.reason);
            ResponseTemplate::new(400).set_body_json(body)
        });
        state.token_log.push(seen);
        response.insert_header("DPoP-Nonce", state.token_nonce())
    }
}

/// Why the token endpoint refuses a request: its error code and description.
struct Refused {
    code: &'static str,
    reason: String,
}

impl Refused {
    fn new(code: &'static str, reason: impl Into<String>) -> Self {
        Self {
            code,
            reason: reason.into(),
        }
    }
}

/// Issues a token bound to the proof's key, for a client or for a refresh token bound to the same key.
fn issue(
    state: &mut State,
    form: &BTreeMap<String, String>,
    proof: &Proof,
) -> Result<ResponseTemplate, Refused> {
    match form.get("grant_type").map(String::as_str) {
        Some("client_credentials") if form.contains_key("client_id") => {}
        Some("refresh_token") => {
            let bound = form
                .get("refresh_token")
                .and_then(|token| state.refresh_tokens.get(token));
            match bound {
                Some(jkt) if *jkt == proof.jkt => {}
                Some(_) => {
                    let reason = "the refresh token is bound to another key";
                    return Err(Refused::new("invalid_grant", reason));
                }
                None => return Err(Refused::new("invalid_grant", "unknown refresh token")),
            }
        }
        _ => return Err(Refused::new("invalid_request", "unexpected grant")),
    }
    state.issued += 1;
    let access = wire::opaque_token(&format!("dpop-at-{}", state.issued));
    let refresh = wire::opaque_token(&format!("dpop-rt-{}", state.issued));
    state
        .access_tokens
        .insert(access.clone(), proof.jkt.clone());
    state
        .refresh_tokens
        .insert(refresh.clone(), proof.jkt.clone());
    let token_type = if state.behaviour.issue_bearer {
        "Bearer"
    } else {
        "DPoP"
    };
    Ok(ResponseTemplate::new(200).set_body_json(json!({
        "access_token": access,
        "token_type": token_type,
        "expires_in": 3600,
        "refresh_token": refresh,
        "cnf": {"jkt": proof.jkt},
    })))
}

/// The resource server: any path, a DPoP-bound token and its proof, or a Bearer token issued as one.
struct Resource {
    origin: String,
    state: Arc<Mutex<State>>,
}

impl Respond for Resource {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let authorization = wire::header(request, "authorization").unwrap_or_default();
        let (scheme, token) = authorization.split_once(' ').unwrap_or_default();
        let mut seen = ResourceRequestSeen {
            scheme: scheme.to_owned(),
            proof: request.headers.contains_key("dpop"),
            nonce: None,
            outcome: Outcome::Accepted,
        };
        let response = match scheme {
            "DPoP" => self.dpop(request, token, &mut state, &mut seen),
            "Bearer" if state.behaviour.issue_bearer && state.access_tokens.contains_key(token) => {
                ResponseTemplate::new(200).set_body_json(json!({"scheme": "Bearer"}))
            }
            _ => {
                seen.outcome = Outcome::Refused("no token this server takes".into());
                ResponseTemplate::new(401)
                    .insert_header("WWW-Authenticate", r#"DPoP error="invalid_token""#)
            }
        };
        state.resource_log.push(seen);
        response.insert_header("DPoP-Nonce", state.resource_nonce())
    }
}

impl Resource {
    fn dpop(
        &self,
        request: &Request,
        token: &str,
        state: &mut State,
        seen: &mut ResourceRequestSeen,
    ) -> ResponseTemplate {
        let htu = format!("{}{}", self.origin, request.url.path());
        let binding = Binding {
            method: request.method.as_str(),
            htu: &htu,
            access_token: Some(token),
        };
        let checked = check_proof(request, &binding, state).and_then(|proof| {
            match state.access_tokens.get(token) {
                Some(jkt) if *jkt == proof.jkt => Ok(proof),
                Some(_) => Err("the proof's key is not the one the token is bound to".into()),
                None => Err("unknown access token".into()),
            }
        });
        let proof = match checked {
            Ok(proof) => proof,
            Err(reason) => {
                seen.outcome = Outcome::Refused(reason);
                return ResponseTemplate::new(401)
                    .insert_header("WWW-Authenticate", r#"DPoP error="invalid_token""#);
            }
        };
        seen.nonce = proof.nonce();
        if seen.nonce != Some(state.resource_nonce()) {
            seen.outcome = Outcome::NonceDemanded;
            return ResponseTemplate::new(401).insert_header(
                "WWW-Authenticate",
                r#"DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof""#,
            );
        }
        ResponseTemplate::new(200)
            .set_body_json(json!({"jkt": proof.jkt, "path": request.url.path()}))
    }
}
