//! OnDayZero: an API token as bearer, a form with `user_email`; FastAPI's 422 for bad input.
//!
//! A missing or wrong API token gives FastAPI's 401 `{"detail": "..."}`. The refresh
//! endpoint takes the same headers and a JSON `{}` body, and answers in the same shape.

use std::time::Duration;

use serde_json::{Value, json};

use crate::credentials::{API_TOKEN, USER_EMAIL};
use crate::reply::Reply;
use crate::server::{Endpoint, Routes};
use crate::{ReceivedRequest, tokens};

pub(crate) fn routes() -> Routes {
    vec![
        ("/api/v1/oauth2/token".into(), Box::new(TokenEndpoint)),
        ("/api/v1/oauth2/refresh".into(), Box::new(RefreshEndpoint)),
    ]
}

struct TokenEndpoint;

impl Endpoint for TokenEndpoint {
    fn answer(&self, request: &ReceivedRequest) -> Reply {
        if let Some(refused) = check_api_token(request) {
            return refused;
        }
        let mut problems = Vec::new();
        if let Some(business) = request.header("x-business-id")
            && !is_uuid(business)
        {
            problems.push(validation_error(
                "uuid_parsing",
                json!(["header", "x-business-id"]),
                "Input should be a valid UUID",
                json!(business),
            ));
        }
        let form = request
            .form_fields()
            .filter(|_| {
                request.media_type().as_deref() == Some("application/x-www-form-urlencoded")
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
            return Reply::json(422, &json!({"detail": problems}));
        }
        token_response()
    }
}

struct RefreshEndpoint;

impl Endpoint for RefreshEndpoint {
    fn answer(&self, request: &ReceivedRequest) -> Reply {
        if let Some(refused) = check_api_token(request) {
            return refused;
        }
        let is_object = request.media_type().as_deref() == Some("application/json")
            && request.json_object().is_some();
        if !is_object {
            let problem = validation_error(
                "model_attributes_type",
                json!(["body"]),
                "Input should be a valid dictionary or object to extract fields from",
                Value::Null,
            );
            return Reply::json(422, &json!({"detail": [problem]}));
        }
        token_response()
    }
}

fn check_api_token(request: &ReceivedRequest) -> Option<Reply> {
    let detail = match request
        .header("authorization")
        .and_then(|value| value.strip_prefix("Bearer "))
    {
        None => "Not authenticated",
        Some(token) if token != API_TOKEN => "Invalid API token",
        Some(_) => return None,
    };
    Some(Reply::json(401, &json!({"detail": detail})))
}

fn token_response() -> Reply {
    Reply::json(
        200,
        &json!({
            "access_token": tokens::jwt(USER_EMAIL, Duration::from_secs(3600)),
            "token_type": "Bearer",
            "expires_in": 3600,
            "refresh_token": tokens::opaque_token("ondayzero-refresh"),
            "scope": null,
        }),
    )
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
