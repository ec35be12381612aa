//! basic(...) names fields of the struct.
use oauth_core::{Secret, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://api.example.com", path = "/login")]
#[token(basic(user = "usrname", password = "password", encoding = "plain"))]
struct Acme {
    username: String,
    password: Secret,
}

fn main() {}
