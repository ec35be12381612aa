//! Checks on field types, which only the compiler can answer: whether a type
//! is a secret is a property of the type (`Param::SECRET`), so an alias or a
//! user's own secret type counts. They are emitted beside attribute errors too,
//! so every mistake shows in one build.

use proc_macro2::{Group, Ident, TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;

use super::Runtime;
use crate::ast::{Field, Provider, Role, Secrecy};

pub(super) fn expand(provider: &Provider<'_>, runtime: &Runtime<'_>) -> TokenStream {
    if provider.has_type_parameters() {
        return quote!();
    }
    let checks = provider
        .fields
        .iter()
        .map(|field| field_checks(runtime, field, provider.is_basic_password(field)));
    quote! {
        #(#checks)*
    }
}

fn field_checks(runtime: &Runtime<'_>, field: &Field<'_>, basic_password: bool) -> TokenStream {
    let krate = runtime.krate;
    let ty = static_lifetimes(field.ty.to_token_stream());
    let span = field.ty.span();
    if field.is_private_key() {
        // A key signs and is never a parameter; a `PrivateKey` left unmarked is refused in `valid`.
        let private = &runtime.private;
        return quote_spanned!(span=>
            const _: fn(&#ty) -> &#krate::PrivateKey = <#ty as #private::PrivateKeyField>::private_key;
        );
    }
    let is_secret = quote_spanned!(span=> <#ty as #krate::Param>::SECRET);
    let assertion = |holds: TokenStream, message: String| {
        let message = message.replace('{', "{{").replace('}', "}}");
        quote_spanned!(span=> const _: () = ::core::assert!(#holds, #message);)
    };
    let name = &field.name;
    let secret_type = if field.option_of.is_some() {
        "Option<Secret>"
    } else {
        "Secret"
    };
    let must_be_secret = if field.secrecy == Secrecy::Declared {
        Some(format!(
            "`{name}` is declared #[token(secret)], so its type must be a secret: {name}: {secret_type}"
        ))
    } else if field.secrecy == Secrecy::Waived {
        None
    } else if field.role == Role::Bearer {
        Some(format!(
            "`{name}` is the bearer token, a credential, so its type must be a secret: {name}: {secret_type}"
        ))
    } else if basic_password {
        Some(format!(
            "`{name}` is the HTTP Basic password, a credential, so its type must be a secret: {name}: {secret_type}"
        ))
    } else if field.named_like_credential() {
        Some(format!(
            "`{name}` is named like a credential, so its type must be a secret to stay out of Debug and logs: \
             {name}: {secret_type}; if it holds no secret, mark it #[token(not_secret)]"
        ))
    } else {
        None
    };
    let must_be_secret = must_be_secret.map(|message| assertion(is_secret.clone(), message));
    // A declared secret in the URL is already refused on its `secret` key.
    let not_in_url = (field.role == Role::Url && field.secrecy != Secrecy::Declared).then(|| {
        assertion(
            quote_spanned!(span=> !#is_secret),
            format!(
                "`{name}` fills {{{name}}} in base_url, and a secret cannot be part of the URL (URLs end up in logs); \
                 send it as a body field or a header"
            ),
        )
    });
    // Every field is a request parameter; said here too, for a declaration with other errors.
    let is_param = quote_spanned!(span=> const _: bool = #is_secret;);
    quote! {
        #is_param
        #must_be_secret
        #not_in_url
    }
}

/// `ty` with every lifetime made `'static`, so the checks can name it outside the struct.
fn static_lifetimes(tokens: TokenStream) -> TokenStream {
    let mut out = Vec::new();
    let mut after_quote = false;
    for token in tokens {
        let token = match token {
            TokenTree::Group(group) => {
                let mut inner = Group::new(group.delimiter(), static_lifetimes(group.stream()));
                inner.set_span(group.span());
                TokenTree::Group(inner)
            }
            TokenTree::Ident(ident) if after_quote => {
                TokenTree::Ident(Ident::new("static", ident.span()))
            }
            other => other,
        };
        after_quote = matches!(&token, TokenTree::Punct(punct) if punct.as_char() == '\'');
        out.push(token);
    }
    out.into_iter().collect()
}
