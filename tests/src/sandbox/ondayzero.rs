use serde_json::{Value, json};
use wiremock::{Request, Respond, ResponseTemplate};

use super::credentials::{API_TOKEN, USER_EMAIL};
use crate::wire;

/// OnDayZero: an API token as bearer, a form with `user_email`; FastAPI's 422 for bad input.
///
/// A missing or wrong API token gives FastAPI's 401 `{"detail": "..."}`.
pub struct OnDayZeroEmulator;

impl Respond for OnDayZeroEmulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        if let Some(refused) = check_api_token(request) {
            return refused;
        }
        let mut problems = Vec::new();
        if let Some(business) = wire::header(request, "x-business-id")
            && !is_uuid(business)
        {
            problems.push(validation_error(
                "uuid_parsing",
                json!(["header", "x-business-id"]),
                "Input should be a valid UUID",
                json!(business),
            ));
        }
        let form = wire::form_fields(request)
            .filter(|_| {
                wire::media_type(request).as_deref() == Some("application/x-www-form-urlencoded")
            })
            .unwrap_or_default();
        match form.get("user_email").map(String::as_str) {
            None => problems.push(validation_error(
                "missing",
                json!(["body", "user_email"]),
                "Field required",
                Value::Null,
            )),
            Some(email) if email != USER_EMAIL => problems.push(validation_error(
                "value_error",
                json!(["body", "user_email"]),
                "Value error, no user with this email",
                json!(email),
            )),
            Some(_) => {}
        }
        if !problems.is_empty() {
            return ResponseTemplate::new(422).set_body_json(json!({"detail": problems}));
        }
        token_response()
    }
}

/// OnDayZero's refresh endpoint: the same headers, a JSON `{}` body, the same response shape.
pub struct OnDayZeroRefreshEmulator;

impl Respond for OnDayZeroRefreshEmulator {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        if let Some(refused) = check_api_token(request) {
            return refused;
        }
        let is_object = wire::media_type(request).as_deref() == Some("application/json")
            && wire::json_object(request).is_some();
        if !is_object {
            let problem = validation_error(
                "model_attributes_type",
                json!(["body"]),
                "Input should be a valid dictionary or object to extract fields from",
                Value::Null,
            );
            return ResponseTemplate::new(422).set_body_json(json!({"detail": [problem]}));
        }
        token_response()
    }
}

fn check_api_token(request: &Request) -> Option<ResponseTemplate> {
    let detail = match wire::header(request, "authorization")
        .and_then(|value| value.strip_prefix("Bearer "))
    {
        None => "Not authenticated",
        Some(token) if token != API_TOKEN => "Invalid API token",
        Some(_) => return None,
    };
    Some(ResponseTemplate::new(401).set_body_json(json!({"detail": detail})))
}

fn token_response() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "access_token": wire::jwt(USER_EMAIL, std::time::Duration::from_secs(3600)),
        "token_type": "Bearer",
        "expires_in": 3600,
        "refresh_token": wire::opaque_token("ondayzero-refresh"),
        "scope": null,
    }))
}

fn validation_error(kind: &str, location: Value, message: &str, input: Value) -> Value {
    json!({"type": kind, "loc": location, "msg": message, "input": input, "ctx": {}})
}

fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|group| group.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|group| group.bytes().all(|byte| byte.is_ascii_hexdigit()))
}
