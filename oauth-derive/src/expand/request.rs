//! The token request and the refresh request.

use proc_macro2::TokenStream;
use quote::quote;
use syn::LitStr;

use super::assertion::{assertion, build_refresh_request_methods};
use super::{Runtime, endpoint_url, local, param_of};
use crate::ast::{Field, Provider, Role};
use crate::attr::{BasicEncoding, Encoding, Method, NestedValue};

pub(super) fn build_request(provider: &Provider<'_>, runtime: &Runtime<'_>) -> TokenStream {
    let private = &runtime.private;
    let method = match provider.method {
        Method::Post => quote!(POST),
        Method::Get => quote!(GET),
    };
    let encoding = body_variant(provider, provider.encoding);
    let content_type = content_type(provider.content_type.as_ref(), runtime);
    let fields = provider
        .fields
        .iter()
        .map(|field| field_statement(provider, runtime, field, true));
    let shared_headers = shared_headers(provider, runtime);
    let krate = runtime.krate;
    let constants = provider.params.iter().map(|constant| {
        let name = crate::ast::unraw(&constant.name);
        let value = &constant.value;
        quote!(__request.body_param(#name, #krate::Param::to_param(&#value));)
    });
    let nested = provider.constants.iter().map(|constant| {
        let path = &constant.at.segments;
        match &constant.value {
            NestedValue::One(value) => {
                quote!(__request.body_param_at(&[#(#path),*], #krate::Param::to_param(&#value));)
            }
            NestedValue::List(items) => quote! {
                __request.body_list_at(&[#(#path),*], &[#(#krate::Param::to_param(&#items)),*]);
            },
        }
    });
    let token_url = local("token_url");
    let (sign, assertion_params) =
        assertion(provider, runtime, &token_url, provider.jwt_bearer_grant());
    quote! {
        #sign
        let mut __request = #private::RequestBuilder::new(
            #private::Method::#method,
            #token_url,
            #private::BodyEncoding::#encoding,
            #content_type,
        );
        #shared_headers
        #(#fields)*
        #(#constants)*
        #(#nested)*
        #assertion_params
        ::core::result::Result::Ok(__request.finish())
    }
}

/// The headers every request of the provider carries: static ones and HTTP Basic client authentication.
fn shared_headers(provider: &Provider<'_>, runtime: &Runtime<'_>) -> TokenStream {
    let krate = runtime.krate;
    let statics = provider.headers.iter().map(|header| {
        let name = &header.name;
        let value = &header.value;
        quote!(__request.header(#name, #krate::Param::to_param(#value))?;)
    });
    let basic = provider.basic.as_ref().map(|basic| {
        let [user, password] = [&basic.user, &basic.password].map(|name| {
            provider.field(name).map_or_else(
                || quote!(::core::option::Option::None),
                |field| param_of(runtime, field),
            )
        });
        match basic.encoding {
            BasicEncoding::Form => quote!(__request.basic_auth(#user, #password)?;),
            BasicEncoding::Plain => quote!(__request.basic_auth_plain(#user, #password)?;),
        }
    });
    quote! {
        #(#statics)*
        #basic
    }
}

/// Places one field in the request; body fields only when `with_body` (a refresh sends just the ones it names).
fn field_statement(
    provider: &Provider<'_>,
    runtime: &Runtime<'_>,
    field: &Field<'_>,
    with_body: bool,
) -> TokenStream {
    if provider.taken_by_client_auth(field) {
        return quote!();
    }
    let value = param_of(runtime, field);
    let wire_name = field.wire_name();
    match &field.role {
        Role::Body if with_body && provider.nested => {
            let path = field.body_path();
            quote!(__request.body_param_at(&[#(#path),*], #value);)
        }
        Role::Body if with_body => quote!(__request.body_param(#wire_name, #value);),
        Role::Query => quote!(__request.query_param(#wire_name, #value);),
        Role::Header(header) => quote!(__request.header(#header, #value)?;),
        Role::Bearer => quote!(__request.bearer(#value)?;),
        Role::Body | Role::Url | Role::PrivateKey | Role::Claim(_) => quote!(),
    }
}

pub(super) fn refresh(provider: &Provider<'_>, runtime: &Runtime<'_>) -> TokenStream {
    let Some(refresh) = &provider.refresh else {
        return quote!();
    };
    let Runtime { krate, private } = runtime;
    let path = refresh.path.as_ref().map(|path| {
        quote! {
            fn refresh_path(&self) -> &str {
                #path
            }
        }
    });
    // Resolved as the token URL is, rather than joined and parsed on every refresh.
    let url = endpoint_url(
        provider,
        runtime,
        refresh.path.as_ref().or(provider.path.as_ref()),
    );
    let encoding = body_variant(provider, refresh.encoding);
    let content_type = content_type(
        provider
            .content_type
            .as_ref()
            .filter(|_| refresh.encoding == provider.encoding),
        runtime,
    );
    let carried = provider
        .fields
        .iter()
        .map(|field| field_statement(provider, runtime, field, false));
    let shared_headers = shared_headers(provider, runtime);
    let sent = refresh
        .send
        .iter()
        .filter_map(|name| provider.field(name))
        .map(|field| field_statement(provider, runtime, field, true));
    let (refresh_url, refresh_token) = (local("refresh_url"), local("refresh_token"));
    let grant = refresh.grant.then(|| {
        quote! {
            __request.body_param("grant_type", #krate::Param::to_param("refresh_token"));
            __request.body_param("refresh_token", #krate::Param::to_param(#refresh_token));
        }
    });
    let unused = (!refresh.grant).then(|| quote!(let _ = #refresh_token;));
    // A refresh authenticates the client as the token request does, with an assertion of its own.
    let (sign, assertion_params) = assertion(provider, runtime, &refresh_url, false);
    let body = quote! {
        #unused
        #sign
        let mut __request = #private::RequestBuilder::new(
            #private::Method::POST,
            #refresh_url,
            #private::BodyEncoding::#encoding,
            #content_type,
        );
        #shared_headers
        #(#carried)*
        #(#sent)*
        #grant
        #assertion_params
        ::core::result::Result::Ok(::core::option::Option::Some(__request.finish()))
    };
    let methods = build_refresh_request_methods(provider, runtime, &body);
    quote! {
        #path

        fn refresh_url(&self) -> ::core::result::Result<#private::Url, #krate::Error> {
            #url
        }

        #methods
    }
}

/// The runtime's encoding: a JSON body is written as a tree when the provider nests its parameters.
fn body_variant(provider: &Provider<'_>, encoding: Encoding) -> TokenStream {
    match encoding {
        Encoding::Json if provider.nested => quote!(JsonTree),
        Encoding::Json => quote!(Json),
        Encoding::Form => quote!(Form),
        Encoding::Empty => quote!(Empty),
    }
}

/// The declared content type as a header value made at compile time (the derive checked its characters).
fn content_type(declared: Option<&LitStr>, runtime: &Runtime<'_>) -> TokenStream {
    let private = &runtime.private;
    match declared {
        Some(content_type) => quote! {
            ::core::option::Option::Some({
                const __CONTENT_TYPE: #private::HeaderValue = #private::HeaderValue::from_static(#content_type);
                __CONTENT_TYPE
            })
        },
        None => quote!(::core::option::Option::None),
    }
}
