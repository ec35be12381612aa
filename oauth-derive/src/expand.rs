//! Code generation: the `TokenEndpoint` impl and the constructor, from a checked model.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{DeriveInput, Lit, LitStr};

use crate::ast::{ClientAuth, Encoding, Field, Format, JsonPath, Method, Provider, Role, Success};
use crate::errors::Errors;
use crate::template::Piece;
use crate::{fallback, valid};

pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    let mut errors = Errors::default();
    let provider = Provider::from_input(input, &mut errors);
    valid::check(&provider, &mut errors);
    match errors.finish() {
        Ok(()) => expand(&provider),
        Err(error) => {
            let mut tokens = error.into_compile_error();
            tokens.extend(fallback::expand(input, &provider.krate));
            tokens
        }
    }
}

fn expand(provider: &Provider<'_>) -> TokenStream {
    let input = provider.input;
    let krate = &provider.krate;
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let name = &provider.name;
    let token_path = provider.attrs.path.value();
    let base_url = endpoint_url(provider, None);
    let token_url = endpoint_url(provider, token_path);
    let build_request = build_request(provider);
    let parse_response = parse_response(provider);
    let constructor = constructor(provider);
    let refresh = refresh(provider);
    let settings = settings(provider);
    quote! {
        const _: () = {
            #[automatically_derived]
            impl #impl_generics #krate::TokenEndpoint for #ident #ty_generics #where_clause {
                fn provider_name(&self) -> &'static str {
                    #name
                }

                fn base_url(&self) -> ::core::result::Result<#krate::__private::Url, #krate::Error> {
                    #base_url
                }

                fn token_path(&self) -> &str {
                    #token_path
                }

                fn token_url(&self) -> ::core::result::Result<#krate::__private::Url, #krate::Error> {
                    #token_url
                }

                fn build_request_to(
                    &self,
                    __token_url: #krate::__private::Url,
                ) -> ::core::result::Result<#krate::TokenRequest, #krate::Error> {
                    #build_request
                }

                fn parse_response(
                    &self,
                    __response: &#krate::TokenResponse<'_>,
                ) -> ::core::result::Result<#krate::Token, #krate::Error> {
                    #parse_response
                }

                #refresh
            }

            #constructor

            #settings
        };
    }
}

/// `<FieldType as Param>::to_param(&self.field)`, spanned on the type so a type that cannot be sent is reported there.
fn param_of(krate: &syn::Path, field: &Field<'_>) -> TokenStream {
    let ident = field.ident;
    let ty = field.ty;
    quote_spanned!(ty.span()=> <#ty as #krate::Param>::to_param(&self.#ident))
}

/// The URL a template produces, followed by `path` when given: parsed once per
/// process when the template is fixed, filled and parsed once per call otherwise.
fn endpoint_url(provider: &Provider<'_>, path: Option<&LitStr>) -> TokenStream {
    let krate = &provider.krate;
    if let Some([Piece::Literal(fixed)]) = provider.template.as_deref() {
        let (url, what) = match path {
            Some(path) => (
                format!("{}{}", fixed.trim_end_matches('/'), path.value()),
                "token URL",
            ),
            None => (fixed.clone(), "base URL"),
        };
        return quote! {
            static __URL: ::std::sync::OnceLock<::core::result::Result<#krate::__private::Url, #krate::Error>> =
                ::std::sync::OnceLock::new();
            #krate::__private::fixed_url(&__URL, #url, #what)
        };
    }
    let finish = match path {
        Some(path) => quote!(__template.finish_with_path(#path)),
        None => quote!(__template.finish()),
    };
    let pieces = provider.template.iter().flatten().map(|piece| match piece {
        Piece::Literal(text) => quote!(__template.literal(#text);),
        Piece::Origin(name) | Piece::Part(name) => {
            let method = if matches!(piece, Piece::Origin(_)) {
                format_ident!("origin")
            } else {
                format_ident!("part")
            };
            let value = provider
                .field(name)
                .map(|field| param_of(krate, field))
                .unwrap_or_else(|| quote!(::core::option::Option::None));
            quote!(__template.#method(#name, #value)?;)
        }
    });
    quote! {
        let mut __template = #krate::__private::UrlTemplate::new();
        #(#pieces)*
        #finish
    }
}

fn build_request(provider: &Provider<'_>) -> TokenStream {
    let krate = &provider.krate;
    let method = match provider.method {
        Method::Post => quote!(POST),
        Method::Get => quote!(GET),
    };
    let encoding = encoding_variant(provider.encoding);
    let content_type = match provider.attrs.content_type.value() {
        Some(content_type) => quote!(::core::option::Option::Some(#content_type)),
        None => quote!(::core::option::Option::None),
    };
    let secret_checks = provider
        .fields
        .iter()
        .filter(|field| field.attrs.secret.get().is_some())
        .map(|field| {
            let ty = field.ty;
            quote_spanned!(ty.span()=> #krate::__private::assert_secret::<#ty>();)
        });
    let fields = provider
        .fields
        .iter()
        .map(|field| field_statement(provider, field, true));
    let shared_headers = shared_headers(provider);
    let constants = provider.attrs.params.iter().map(|constant| {
        let name = crate::ast::unraw(&constant.name);
        let value = &constant.value;
        quote!(__request.body_param(#name, #krate::Param::to_param(&#value));)
    });
    quote! {
        #(#secret_checks)*
        let mut __request = #krate::__private::RequestBuilder::new(
            #krate::__private::Method::#method,
            __token_url,
            #krate::__private::BodyEncoding::#encoding,
            #content_type,
        );
        #shared_headers
        #(#fields)*
        #(#constants)*
        ::core::result::Result::Ok(__request.finish())
    }
}

/// The headers every request of the provider carries: static ones and HTTP Basic client authentication.
fn shared_headers(provider: &Provider<'_>) -> TokenStream {
    let krate = &provider.krate;
    let statics = provider.attrs.headers.iter().map(|header| {
        let name = crate::valid::static_header_name(&header.name);
        let value = &header.value;
        quote!(__request.header(#name, #krate::Param::to_param(#value))?;)
    });
    let basic = (provider.client_auth == ClientAuth::Basic).then(|| {
        let [id, secret] = ClientAuth::BASIC_FIELDS.map(|name| {
            provider
                .field(name)
                .map(|field| param_of(krate, field))
                .unwrap_or_else(|| quote!(::core::option::Option::None))
        });
        quote!(__request.basic_auth(#id, #secret)?;)
    });
    quote! {
        #(#statics)*
        #basic
    }
}

/// Places one field in the request; body fields only when `with_body` (a refresh sends just the ones it names).
fn field_statement(provider: &Provider<'_>, field: &Field<'_>, with_body: bool) -> TokenStream {
    if provider.in_basic_auth(field) {
        return quote!();
    }
    let krate = &provider.krate;
    let value = param_of(krate, field);
    let wire_name = field.wire_name();
    match field.role() {
        Role::Body if with_body => quote!(__request.body_param(#wire_name, #value);),
        Role::Query => quote!(__request.query_param(#wire_name, #value);),
        Role::Header(header) => {
            let header = header.value().to_ascii_lowercase();
            quote!(__request.header(#header, #value)?;)
        }
        Role::Bearer => quote!(__request.bearer(#value)?;),
        Role::Body | Role::Url => quote!(),
    }
}

fn refresh(provider: &Provider<'_>) -> TokenStream {
    let Some(refresh) = &provider.refresh else {
        return quote!();
    };
    let krate = &provider.krate;
    let path = refresh.path.as_ref().map(|path| {
        quote! {
            fn refresh_path(&self) -> &str {
                #path
            }
        }
    });
    let encoding = encoding_variant(refresh.encoding);
    let content_type = match provider.attrs.content_type.value() {
        Some(content_type) if refresh.encoding == provider.encoding => {
            quote!(::core::option::Option::Some(#content_type))
        }
        _ => quote!(::core::option::Option::None),
    };
    let carried = provider
        .fields
        .iter()
        .map(|field| field_statement(provider, field, false));
    let shared_headers = shared_headers(provider);
    let sent = refresh
        .send
        .iter()
        .filter_map(|name| provider.field(&name.value()))
        .map(|field| field_statement(provider, field, true));
    let grant = refresh.grant.then(|| {
        quote! {
            __request.body_param("grant_type", #krate::Param::to_param("refresh_token"));
            __request.body_param("refresh_token", #krate::Param::to_param(__refresh_token));
        }
    });
    quote! {
        #path

        fn build_refresh_request_to(
            &self,
            __refresh_url: #krate::__private::Url,
            __refresh_token: &#krate::Secret,
        ) -> ::core::result::Result<::core::option::Option<#krate::TokenRequest>, #krate::Error> {
            let mut __request = #krate::__private::RequestBuilder::new(
                #krate::__private::Method::POST,
                __refresh_url,
                #krate::__private::BodyEncoding::#encoding,
                #content_type,
            );
            #shared_headers
            #(#carried)*
            #(#sent)*
            #grant
            ::core::result::Result::Ok(::core::option::Option::Some(__request.finish()))
        }
    }
}

fn encoding_variant(encoding: Encoding) -> TokenStream {
    match encoding {
        Encoding::Json => quote!(Json),
        Encoding::Form => quote!(Form),
        Encoding::Empty => quote!(Empty),
    }
}

fn parse_response(provider: &Provider<'_>) -> TokenStream {
    let krate = &provider.krate;
    let name = &provider.name;
    let response = &provider.response;
    let mut overrides = Vec::new();
    let paths = [
        ("access_token", &response.access_token),
        ("token_type", &response.token_type),
        ("expires_in", &response.expires_in),
        ("refresh_token", &response.refresh_token),
        ("scope", &response.scope),
        ("expires_at", &response.expires_at),
    ];
    for (member, path) in paths {
        if let Some(path) = path {
            let member = format_ident!("{member}");
            let path = field_path(path);
            overrides.push(quote!(#member: #path,));
        }
    }
    if response.expiry_from_jwt {
        overrides.push(quote!(expiry_from_jwt: true,));
    }
    if let Some(format) = response.format {
        let format = match format {
            Format::Json => quote!(Json),
            Format::Form => quote!(Form),
        };
        overrides.push(
            quote!(format: ::core::option::Option::Some(#krate::__private::BodyFormat::#format),),
        );
    }
    if let Some(success) = &response.success {
        let condition = success_condition(krate, success);
        overrides.push(quote!(success: ::core::option::Option::Some(#condition),));
    }
    if response.error_code.is_some() || response.error_description.is_some() {
        let default = quote!(#krate::__private::ErrorShape::RFC6749);
        let code = response
            .error_code
            .as_ref()
            .map_or_else(|| quote!(#default.code), field_path);
        let description = response
            .error_description
            .as_ref()
            .map_or_else(|| quote!(#default.description), field_path);
        overrides.push(quote! {
            error: #krate::__private::ErrorShape { code: #code, description: #description },
        });
    }
    quote! {
        const __SPEC: #krate::__private::ResponseSpec = #krate::__private::ResponseSpec {
            #(#overrides)*
            ..#krate::__private::ResponseSpec::RFC6749
        };
        #krate::__private::parse_response(&__SPEC, #name, __response)
    }
}

fn success_condition(krate: &syn::Path, success: &Success) -> TokenStream {
    let field = field_path(&success.field);
    let equals = match &success.equals {
        Lit::Str(text) => quote!(#krate::__private::Expected::Text(#text)),
        Lit::Bool(flag) => quote!(#krate::__private::Expected::Bool(#flag)),
        other => quote!(#krate::__private::Expected::Integer(#other)),
    };
    let message = match &success.message {
        Some(path) => {
            let path = field_path(path);
            quote!(::core::option::Option::Some(#path))
        }
        None => quote!(::core::option::Option::None),
    };
    let codes = &success.codes;
    quote! {
        #krate::__private::SuccessCondition {
            field: #field,
            equals: #equals,
            message: #message,
            code_names: &[#(#codes),*],
        }
    }
}

fn field_path(path: &JsonPath) -> TokenStream {
    let segments = &path.segments;
    quote!(&[#(#segments),*])
}

fn constructor(provider: &Provider<'_>) -> TokenStream {
    let krate = &provider.krate;
    let input = provider.input;
    let ident = &input.ident;
    let vis = &input.vis;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let required = provider.fields.iter().filter(|field| field.is_required());
    let arguments = required.clone().map(|field| {
        let (name, ty) = (field.ident, field.ty);
        quote!(#name: impl ::core::convert::Into<#ty>)
    });
    let initializers = provider.fields.iter().map(|field| {
        let name = field.ident;
        if let Some(default) = field.attrs.default.value() {
            let ty = field.ty;
            quote_spanned!(default.span()=> #name: <#ty as #krate::__private::DefaultText>::from_default(#default))
        } else if field.option_of.is_some() {
            quote!(#name: ::core::option::Option::None)
        } else {
            quote!(#name: ::core::convert::Into::into(#name))
        }
    });
    let new_doc = format!(
        "Creates the `{ident}` provider from its required fields; the others start unset or at their default."
    );
    let setters = provider.fields.iter().filter(|field| !field.is_required()).map(|field| {
        let name = field.ident;
        let setter = format_ident!("with_{}", crate::ast::unraw(name));
        let doc = format!("Sets `{}`.", crate::ast::unraw(name));
        match field.option_of {
            Some(inner) => quote! {
                #[doc = #doc]
                #[must_use]
                #vis fn #setter(mut self, #name: impl ::core::convert::Into<#inner>) -> Self {
                    self.#name = ::core::option::Option::Some(::core::convert::Into::into(#name));
                    self
                }
            },
            None => {
                let ty = field.ty;
                quote! {
                    #[doc = #doc]
                    #[must_use]
                    #vis fn #setter(mut self, #name: impl ::core::convert::Into<#ty>) -> Self {
                        self.#name = ::core::convert::Into::into(#name);
                        self
                    }
                }
            }
        }
    });
    quote! {
        #[automatically_derived]
        #[allow(dead_code)]
        impl #impl_generics #ident #ty_generics #where_clause {
            #[doc = #new_doc]
            #vis fn new(#(#arguments),*) -> Self {
                Self { #(#initializers),* }
            }

            #(#setters)*
        }
    }
}

/// `FromSettings`: the provider's metadata, and building it from named settings.
/// Left out for generic structs, whose fields may borrow.
fn settings(provider: &Provider<'_>) -> TokenStream {
    let input = provider.input;
    if !input.generics.params.is_empty() {
        return quote!();
    }
    let krate = &provider.krate;
    let ident = &input.ident;
    let name = &provider.name;
    let metadata = provider.fields.iter().map(|field| {
        let field_name = crate::ast::unraw(field.ident);
        let secret = field.is_secret();
        let required = field.is_required();
        let doc = &field.doc;
        quote!(#krate::__private::field_metadata(#field_name, #secret, #required, #doc))
    });
    let readers = provider.fields.iter().enumerate().map(|(index, field)| {
        let member = field.ident;
        let value_type = field.option_of.unwrap_or(field.ty);
        let parse = quote_spanned!(value_type.span()=>
            |__text: &str| (&#krate::__private::Setting::<#value_type>::new()).parse_setting(__text)
        );
        let read = if field.option_of.is_some() {
            quote!(#krate::__private::read(__source, &__FIELDS[#index], #parse)?)
        } else if let Some(default) = field.attrs.default.value() {
            let ty = field.ty;
            quote! {
                match #krate::__private::read(__source, &__FIELDS[#index], #parse)? {
                    ::core::option::Option::Some(__value) => __value,
                    ::core::option::Option::None => <#ty as #krate::__private::DefaultText>::from_default(#default),
                }
            }
        } else {
            quote!(#krate::__private::required(__source, &__FIELDS[#index], #parse)?)
        };
        quote!(#member: #read)
    });
    quote! {
        const __FIELD_METADATA: &[#krate::FieldMetadata] = &[#(#metadata),*];

        #[automatically_derived]
        impl #krate::FromSettings for #ident {
            const METADATA: #krate::ProviderMetadata = #krate::__private::provider_metadata(#name, __FIELD_METADATA);

            fn from_settings(
                __source: &mut dyn #krate::SettingSource,
            ) -> ::core::result::Result<Self, #krate::Error> {
                #[allow(unused_imports)]
                use #krate::__private::{CannotParseSetting as _, ParseSetting as _};
                const __FIELDS: &[#krate::FieldMetadata] = <#ident as #krate::FromSettings>::METADATA.fields;
                ::core::result::Result::Ok(Self { #(#readers),* })
            }
        }
    }
}
