//! The documented success body of each seed, as the provider serves it.

use std::fmt;

#[derive(Clone, Copy, Debug)]
pub enum Seed {
    EzzyDoc,
    MyZeePay,
    OnDayZero,
    Daftra,
    Sohar,
}

impl Seed {
    pub const ALL: [Self; 5] = [
        Self::EzzyDoc,
        Self::MyZeePay,
        Self::OnDayZero,
        Self::Daftra,
        Self::Sohar,
    ];

    /// The seeds whose body is a standard RFC 6749 response the `oauth2` crate can read.
    pub const STANDARD: [Self; 4] = [Self::MyZeePay, Self::OnDayZero, Self::Daftra, Self::Sohar];

    pub fn body(self) -> &'static str {
        match self {
            // The JWT's exp is 2100-01-01.
            Self::EzzyDoc => {
                r#"{"service_status":{"invoice_id":0,"message":"","status":0},"token":"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJjbGllbnQiLCJleHAiOjQxMDI0NDQ4MDB9.c2lnbmF0dXJl"}"#
            }
            Self::MyZeePay => {
                r#"{"token_type":"Bearer","expires_in":31536000,"access_token":"mzp_access_0123456789abcdef","refresh_token":"mzp_refresh_0123456789abcdef"}"#
            }
            Self::OnDayZero => {
                r#"{"access_token":"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyIn0.c2ln","token_type":"Bearer","expires_in":3600,"refresh_token":"odz_refresh_0123456789","scope":null}"#
            }
            Self::Daftra => {
                r#"{"access_token":"eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIsImp0aSI6IjExMTExMWFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6MTIzNDU2Nzg5MCIsImV4cCI6MTY3OTE0MTQ1MCwiaWF0IjoxNjc4MTAyNjUwfQ","token_type":"Bearer","expires_in":3600,"refresh_token":"def50200abc1234567890"}"#
            }
            Self::Sohar => {
                r#"{"access_token":"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzb2hhciI6ImhlYWx0aCJ9.0sXbystKB9fXid-8ESps2JnaFRFPmLFOc8n6jnCDih4","token_type":"Bearer","expires_in":3600}"#
            }
        }
    }
}

impl fmt::Display for Seed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}
