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
    /// Where the client's credentials go (RFC 6749 section 2.3.1).
    ClientAuth {
        /// `client_id` and `client_secret` in the body, as any other field.
        Body = "body",
        /// `client_id` and `client_secret` in an HTTP Basic `Authorization` header.
        Basic = "basic",
    }
}

impl ClientAuth {
    /// The fields HTTP Basic authentication takes over.
    pub(crate) const BASIC_FIELDS: [&'static str; 2] = ["client_id", "client_secret"];
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
