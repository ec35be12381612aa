//! `PrivateKey`: every form a key comes in reads as the same key, every key
//! that cannot sign is refused with a reason, and none is ever printed.

use oauth_core::{
    Algorithm, ConfigError, Error, FieldMetadata, FromSettings, KeyError, PrivateKey,
    ServiceAccountKey, SettingSource, TokenEndpoint,
};
use oauth_tests::keys::{self, pem_body_lines};
use serde_json::Value;

fn public(jwk: &str) -> Value {
    serde_json::from_str(jwk).unwrap()
}

#[test]
fn every_form_of_a_key_reads_as_that_key() {
    let cases = [
        (
            keys::RSA_PUBLIC,
            Algorithm::Rs256,
            vec![keys::RSA_PKCS8, keys::RSA_PKCS1, keys::RSA_JWK],
        ),
        (
            keys::P256_PUBLIC,
            Algorithm::Es256,
            vec![keys::P256_SEC1, keys::P256_PKCS8, keys::P256_JWK],
        ),
        (
            keys::P384_PUBLIC,
            Algorithm::Es384,
            vec![keys::P384_SEC1, keys::P384_PKCS8, keys::P384_JWK],
        ),
        (
            keys::ED25519_PUBLIC,
            Algorithm::EdDsa,
            vec![keys::ED25519_PKCS8, keys::ED25519_JWK],
        ),
    ];
    for (expected, algorithm, forms) in cases {
        for form in forms {
            let key: PrivateKey = form
                .parse()
                .unwrap_or_else(|error| panic!("{error}: {form}"));
            assert_eq!(key.public_jwk(), public(expected), "{algorithm}");
            assert_eq!(key.algorithm(), algorithm);
        }
    }
}

#[test]
fn a_jwk_brings_its_kid_and_alg() {
    assert_eq!(
        PrivateKey::from_jwk(keys::P256_JWK).unwrap().key_id(),
        Some("test-p256")
    );
    assert_eq!(
        PrivateKey::from_pem(keys::P256_PKCS8).unwrap().key_id(),
        None
    );

    let mut jwk: Value = serde_json::from_str(keys::RSA_JWK).unwrap();
    jwk["alg"] = "PS256".into();
    let key = PrivateKey::from_jwk(&jwk.to_string()).unwrap();
    assert_eq!(key.algorithm(), Algorithm::Ps256);
    jwk["alg"] = "ES256".into();
    assert_eq!(
        PrivateKey::from_jwk(&jwk.to_string()).unwrap_err(),
        KeyError::AlgorithmMismatch {
            algorithm: Algorithm::Es256,
            key: "RSA"
        }
    );
}

#[test]
fn the_thumbprint_is_the_rfc_7638_hash_of_the_public_jwk() {
    let key = PrivateKey::from_pem(keys::P256_SEC1).unwrap();
    let from_jwk = PrivateKey::from_jwk(keys::P256_JWK).unwrap();
    assert_eq!(key.thumbprint(), from_jwk.thumbprint());
    let other = PrivateKey::from_pem(keys::P384_SEC1).unwrap();
    assert_ne!(key.thumbprint(), other.thumbprint());
}

#[test]
fn keys_that_cannot_sign_are_refused_with_a_reason_that_quotes_nothing() {
    let truncated = &keys::RSA_PKCS8[..keys::RSA_PKCS8.len() / 2];
    let public_only = keys::P256_PUBLIC;
    let cases = [
        (keys::ENCRYPTED_PKCS8.to_owned(), KeyError::Encrypted),
        (
            keys::RSA_1024_PKCS8.to_owned(),
            KeyError::Rejected("RSA keys need 2048 bits at least"),
        ),
        (
            truncated.to_owned(),
            KeyError::Malformed("the PEM section has no END line"),
        ),
        (
            public_only.to_owned(),
            KeyError::Unsupported("a public JWK; signing needs the private key (`d`)"),
        ),
        (
            keys::RSA_PKCS8.replace("PRIVATE KEY", "RSA PRIVATE KEY"),
            KeyError::Rejected("its DER encoding is not valid"),
        ),
        (
            "not a key".to_owned(),
            KeyError::Malformed("no PEM private key section (-----BEGIN PRIVATE KEY-----)"),
        ),
    ];
    let secret_lines: Vec<&str> = [keys::RSA_PKCS8, keys::P256_PKCS8, keys::RSA_1024_PKCS8]
        .into_iter()
        .flat_map(pem_body_lines)
        .collect();
    for (text, expected) in cases {
        let error = text.parse::<PrivateKey>().unwrap_err();
        assert_eq!(error, expected);
        let shown = format!("{error} {error:?} {}", Error::from(error));
        for line in &secret_lines {
            assert!(!shown.contains(line), "{shown}");
        }
    }
}

#[test]
fn debug_and_display_show_no_key_material() {
    let key = PrivateKey::from_pem(keys::RSA_PKCS8)
        .unwrap()
        .with_key_id("kid-1");
    assert_eq!(key.to_string(), "[redacted]");
    assert_eq!(
        format!("{key:?}"),
        r#"PrivateKey { algorithm: Rs256, key_id: Some("kid-1"), .. }"#
    );
}

#[test]
fn a_service_account_key_file_is_a_key_with_its_id() {
    let account = ServiceAccountKey::from_json(keys::SERVICE_ACCOUNT).unwrap();
    assert_eq!(account.client_email(), "robot@test-project.iam.example.com");
    assert_eq!(
        account.token_uri(),
        Some("https://oauth2.example.com/token")
    );
    assert_eq!(
        account.private_key().key_id(),
        Some("test-service-account-key")
    );
    assert_eq!(account.private_key().public_jwk(), public(keys::RSA_PUBLIC));
    let debug = format!("{account:?}");
    assert!(debug.contains("robot@test-project"), "{debug}");
    for line in pem_body_lines(keys::RSA_PKCS8) {
        assert!(!debug.contains(line), "{debug}");
    }

    let from_str: PrivateKey = keys::SERVICE_ACCOUNT.parse().unwrap();
    assert_eq!(from_str.key_id(), Some("test-service-account-key"));

    let without_email = keys::SERVICE_ACCOUNT.replace("client_email", "email");
    assert_eq!(
        ServiceAccountKey::from_json(&without_email).unwrap_err(),
        KeyError::Malformed("the key file has no `client_email`")
    );
}

/// A provider every required field of which a key file can fill.
#[derive(Debug, TokenEndpoint)]
#[token(
    base_url = "https://oauth2.example.com",
    path = "/token",
    assertion(grant)
)]
struct Robot {
    #[token(claim = "iss")]
    client_email: String,
    #[token(claim)]
    project_id: String,
    #[token(private_key)]
    private_key: PrivateKey,
}

/// One the key file cannot fill: it has no `audience`.
#[derive(Debug, TokenEndpoint)]
#[token(
    base_url = "https://oauth2.example.com",
    path = "/token",
    assertion(grant)
)]
struct NeedsMore {
    #[token(claim = "iss")]
    client_email: String,
    #[token(claim = "aud")]
    audience: String,
    #[token(private_key)]
    private_key: PrivateKey,
}

#[test]
fn a_key_file_fills_a_provider_by_field_name_and_points_it_at_token_uri() {
    let account = ServiceAccountKey::from_json(keys::SERVICE_ACCOUNT).unwrap();
    let robot = account.provider::<Robot>().unwrap();
    assert_eq!(
        robot.token_url().unwrap().as_str(),
        "https://oauth2.example.com/token"
    );
    assert!(format!("{robot:?}").contains("test-service-account-key"));
    let error = account.provider::<NeedsMore>().unwrap_err();
    assert_eq!(
        error.to_string(),
        "`audience` in the service account key file is not set"
    );
}

/// Settings from a map, as a configuration file or a secret store would give them.
struct Settings(Vec<(&'static str, String)>);

impl SettingSource for Settings {
    fn get(&mut self, field: &FieldMetadata) -> Result<Option<String>, Error> {
        let value = self.0.iter().find(|(name, _)| *name == field.name);
        Ok(value.map(|(_, value)| value.clone()))
    }

    fn describe(&self, field: &FieldMetadata) -> String {
        field.name.to_owned()
    }
}

#[test]
fn a_key_field_is_a_secret_setting_read_from_pem_with_escaped_line_breaks() {
    let private_key = Robot::METADATA
        .fields
        .iter()
        .find(|field| field.name == "private_key")
        .unwrap();
    assert!(private_key.secret && private_key.required);

    let escaped = keys::P256_PKCS8.trim_end().replace('\n', "\\n");
    let robot = Robot::from_settings(&mut Settings(vec![
        ("client_email", "robot@example.com".into()),
        ("project_id", "project".into()),
        ("private_key", escaped),
    ]))
    .unwrap();
    let request = robot.build_request().unwrap();
    assert!(request.body().unwrap().starts_with(b"grant_type=urn"));

    let error = Robot::from_settings(&mut Settings(vec![
        ("client_email", "robot@example.com".into()),
        ("project_id", "project".into()),
        ("private_key", keys::ENCRYPTED_PKCS8.into()),
    ]))
    .unwrap_err();
    assert_eq!(error.to_string(), "the value of private_key is not valid");
}

/// The error and every cause under it, as a reporter prints them.
fn chain(error: &dyn std::error::Error) -> String {
    let mut report = error.to_string();
    let mut cause = error.source();
    while let Some(error) = cause {
        report = format!("{report}: {error}");
        cause = error.source();
    }
    report
}

#[test]
fn a_key_setting_that_cannot_sign_says_why_and_quotes_none_of_it() {
    let p521 = r#"{"kty":"EC","crv":"P-521","x":"AA","y":"AA","d":"Y2FuYXJ5LWtleS1tYXRlcmlhbA"}"#;
    let cases = [
        (keys::ENCRYPTED_PKCS8, KeyError::Encrypted),
        (
            p521,
            KeyError::Unsupported("EC curves other than P-256 and P-384"),
        ),
        (
            keys::RSA_1024_PKCS8,
            KeyError::Rejected("RSA keys need 2048 bits at least"),
        ),
        (
            keys::P256_PUBLIC,
            KeyError::Unsupported("a public JWK; signing needs the private key (`d`)"),
        ),
    ];
    for (text, expected) in cases {
        let error = Robot::from_settings(&mut Settings(vec![
            ("client_email", "robot@example.com".into()),
            ("project_id", "project".into()),
            ("private_key", text.into()),
        ]))
        .unwrap_err();
        assert_eq!(error.to_string(), "the value of private_key is not valid");
        let Error::Config(ConfigError::InvalidSetting {
            source: Some(reason),
            ..
        }) = &error
        else {
            panic!("{error:?}")
        };
        assert_eq!(reason.downcast_ref::<KeyError>(), Some(&expected));
        let report = chain(&error);
        assert_eq!(
            report,
            format!("the value of private_key is not valid: {expected}")
        );
        for secret in pem_body_lines(text).into_iter().chain(["Y2FuYXJ5"]) {
            assert!(!report.contains(secret), "{report}");
        }
    }
}
