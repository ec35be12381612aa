//! The values keys take that are one of a fixed set of names.

/// An enum whose variants are written as these names in attributes.
macro_rules! named {
    ($(#[$meta:meta])* $name:ident { $($(#[$variant_meta:meta])* $variant:ident = $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Debug)]
        pub(crate) enum $name {
            $($(#[$variant_meta])* $variant,)*
        }

        impl $name {
            /// Every name, in declaration order.
            pub(crate) const NAMES: &'static [&'static str] = &[$($text,)*];
            const ALL: &'static [Self] = &[$(Self::$variant,)*];

            /// The variant written `name`, if any.
            pub(crate) fn from_name(name: &str) -> Option<Self> {
                Self::NAMES
                    .iter()
                    .position(|known| *known == name)
                    .and_then(|index| Self::ALL.get(index).copied())
            }
        }
    };
}

pub(crate) use named;

named! {
    /// The HTTP method of the token request.
    Method {
        Post = "POST",
        Get = "GET",
    }
}

named! {
    /// How body parameters are encoded.
    Encoding {
        Form = "form",
        Json = "json",
        /// No body: parameters travel in the query.
        Empty = "none",
    }
}

named! {
    /// How the client authenticates (RFC 6749 section 2.3, RFC 7523, RFC 8705).
    ClientAuth {
        /// `client_id` and `client_secret` in the body, as any other field.
        Body = "body",
        /// `client_id` and `client_secret` in an HTTP Basic `Authorization` header.
        Basic = "basic",
        /// A JWT assertion signed with the `private_key` field (RFC 7523 section 2.2).
        PrivateKeyJwt = "private_key_jwt",
        /// A JWT assertion signed HS256 with `client_secret`, which is not sent.
        ClientSecretJwt = "client_secret_jwt",
        /// The TLS client certificate (RFC 8705 section 2): only `client_id` in the body.
        TlsCertificate = "tls_client_auth",
    }
}

impl ClientAuth {
    /// The fields HTTP Basic authentication takes over.
    pub(crate) const BASIC_FIELDS: [&'static str; 2] = ["client_id", "client_secret"];

    /// Whether the client authenticates with a signed JWT assertion.
    pub(crate) fn signs(self) -> bool {
        matches!(self, Self::PrivateKeyJwt | Self::ClientSecretJwt)
    }
}

named! {
    /// The algorithm of DPoP proofs (RFC 9449); their keys are generated for each token.
    DpopAlgorithm {
        Es256 = "ES256",
        Es384 = "ES384",
        EdDsa = "EdDSA",
    }
}

named! {
    /// The declared format of response bodies, overriding their content type.
    Format {
        Json = "json",
        Form = "form",
    }
}

named! {
    /// How `basic(...)` encodes the user and password before base64.
    BasicEncoding {
        /// As they are (RFC 7617).
        Plain = "plain",
        /// Form-urlencoded first, as RFC 6749 section 2.3.1 asks of OAuth servers.
        Form = "form",
    }
}

named! {
    /// What a lifetime of zero seconds means.
    ZeroLifetime {
        Expired = "expired",
        Never = "never",
    }
}
