#!/usr/bin/env bash
# Compile time of the derive against the same providers written by hand.
#
# Generates two throwaway crates in a temporary directory, one with N derived
# providers and one with the same N written by hand with reqwest and serde,
# builds their dependencies once, then times a clean build of each crate
# itself (debug profile, the edit-compile loop) and prints the ratio. Also
# times oauth-derive alone and prints the syn features it enables.
#
# Usage: scripts/compile-time.sh [N]   (default 50)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
count=${1:-50}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat > "$work/Cargo.toml" <<EOF
[workspace]
resolver = "3"
members = ["derived", "hand-written"]

[workspace.dependencies]
oauth-core = { path = "$root/oauth-core" }
reqwest = { version = "0.12", default-features = false, features = ["rustls-tls"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
serde_urlencoded = "0.7"
EOF
cp "$root/Cargo.lock" "$work/Cargo.lock"

for crate in derived hand-written; do
    mkdir -p "$work/$crate/src"
    cat > "$work/$crate/Cargo.toml" <<EOF
[package]
name = "$crate"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
oauth-core.workspace = true
reqwest.workspace = true
serde.workspace = true
serde_json.workspace = true
serde_urlencoded.workspace = true
EOF
done

{
    echo "use oauth_core::{Secret, TokenEndpoint};"
    for i in $(seq 1 "$count"); do
        cat <<EOF

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth$i.example.com", path = "/oauth/token", body = "json")]
#[token(param(grant_type = "client_credentials"), response(access_token = "token"))]
pub struct Provider$i {
    client_id: String,
    #[token(secret)]
    client_secret: Secret,
    scope: Option<String>,
}
EOF
    done
} > "$work/derived/src/lib.rs"

{
    cat <<'EOF'
use std::time::{Duration, SystemTime};

use oauth_core::{Secret, Token};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
EOF
    for i in $(seq 1 "$count"); do
        cat <<EOF

pub struct Provider$i {
    client_id: String,
    client_secret: Secret,
    scope: Option<String>,
}

#[derive(Serialize)]
struct Request$i<'a> {
    client_id: &'a str,
    client_secret: &'a str,
    grant_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<&'a str>,
}

#[derive(Deserialize)]
struct Response$i {
    token: String,
    #[serde(default)]
    token_type: Option<String>,
    #[serde(default)]
    expires_in: Option<f64>,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(flatten)]
    extras: Map<String, Value>,
}

impl Provider$i {
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<Secret>) -> Self {
        Self { client_id: client_id.into(), client_secret: client_secret.into(), scope: None }
    }

    pub async fn fetch(&self, client: &reqwest::Client) -> Result<Token, String> {
        let body = serde_json::to_vec(&Request$i {
            client_id: &self.client_id,
            client_secret: self.client_secret.expose_secret(),
            grant_type: "client_credentials",
            scope: self.scope.as_deref(),
        })
        .map_err(|error| error.to_string())?;
        let response = client
            .post("https://auth$i.example.com/oauth/token")
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .map_err(|error| error.to_string())?;
        if !response.status().is_success() {
            return Err(format!("HTTP {}", response.status()));
        }
        let bytes = response.bytes().await.map_err(|error| error.to_string())?;
        let parsed: Response$i = serde_json::from_slice(&bytes).map_err(|error| error.to_string())?;
        let mut token = Token::new(parsed.token)
            .with_token_type(parsed.token_type.unwrap_or_else(|| String::from("Bearer")))
            .with_extras(parsed.extras);
        if let Some(seconds) = parsed.expires_in {
            let lifetime = Duration::try_from_secs_f64(seconds).map_err(|error| error.to_string())?;
            token = token.with_expires_at(SystemTime::now() + lifetime);
        }
        if let Some(refresh_token) = parsed.refresh_token {
            token = token.with_refresh_token(refresh_token);
        }
        Ok(token)
    }
}
EOF
    done
} > "$work/hand-written/src/lib.rs"

export CARGO_TARGET_DIR="$work/target"
echo "Building the dependencies once..."
cargo build --quiet --manifest-path "$work/Cargo.toml" --workspace

seconds() {
    local start end
    start=$(date +%s.%N)
    "$@"
    end=$(date +%s.%N)
    awk "BEGIN { printf \"%.2f\", $end - $start }"
}

clean_build() {
    cargo clean --quiet --manifest-path "$work/Cargo.toml" -p "$1"
    seconds cargo build --quiet --manifest-path "$work/Cargo.toml" -p "$1"
}

derived=$(clean_build derived)
hand_written=$(clean_build hand-written)
ratio=$(awk "BEGIN { printf \"%.2f\", $derived / $hand_written }")
echo "$count derived providers:      ${derived} s"
echo "$count hand-written providers: ${hand_written} s"
echo "derived / hand-written:       ${ratio}"

unset CARGO_TARGET_DIR
cargo build --quiet --manifest-path "$root/Cargo.toml" -p oauth-derive
cargo clean --quiet --manifest-path "$root/Cargo.toml" -p oauth-derive
derive_alone=$(seconds cargo build --quiet --manifest-path "$root/Cargo.toml" -p oauth-derive)
echo "oauth-derive alone (dependencies built): ${derive_alone} s"
echo "syn features oauth-derive asks for: $(grep '^syn' "$root/Cargo.toml")"
