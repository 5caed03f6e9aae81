//! `#[derive(TrackingPlan)]`: the `cdpspec::TrackingPlan` implementation of a checked plan enum,
//! and the compile-time check that no two variants are the same event name and version.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::DeriveInput;
use syn::spanned::Spanned;

use crate::ast::{Container, Data, Variant};
use crate::attr::{self, Role};
use crate::ctxt::Ctxt;
use crate::{check, event};

/// Expands `#[derive(TrackingPlan)]`, or returns every error found in `input`.
pub fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let cx = Ctxt::new();
    let cont = Container::from_ast(&cx, input, attr::Plan::from_ast, attr::Variant::from_ast);
    check::plan(&cx, &cont);
    cx.check()?;
    Ok(emit(&cont))
}

/// The implementation and the duplicate check (the input is checked: an enum of one-type
/// variants, with a name, at most one identify and one group).
fn emit(cont: &Container<attr::Plan, attr::Variant>) -> TokenStream {
    let ident = cont.ident;
    let (impl_generics, ty_generics, where_clause) = cont.generics.split_for_impl();
    let Data::Enum(variants) = &cont.data else { return TokenStream::new() };
    let attrs = &cont.attrs;
    let name = attrs.name.as_deref().unwrap_or_default();
    let version = option_string(attrs.version.as_deref());
    let description = match (&attrs.description, event::description(&attrs.docs)) {
        (Some(d), _) => quote!(::core::option::Option::Some(::std::string::String::from(#d))),
        (None, Some(doc)) => quote!(#doc.map(::std::string::String::from)),
        (None, None) => quote!(::core::option::Option::None),
    };
    let traits = |role: Role| match variants.iter().find(|v| v.attrs.role == role) {
        Some(v) => {
            let ty = v.fields[0].ty;
            quote_spanned!(ty.span()=> ::core::option::Option::Some(::cdpspec::event::__private::traits_rule::<#ty>()))
        }
        None => quote!(::core::option::Option::None),
    };
    let (identify, group) = (traits(Role::Identify), traits(Role::Group));
    let events: Vec<&Variant<attr::Variant>> = variants.iter().filter(|v| v.attrs.role == Role::Event).collect();
    let plan_events = events.iter().map(|v| {
        let ty = v.fields[0].ty;
        quote_spanned!(ty.span()=> <#ty as ::cdpspec::Event>::plan_event())
    });
    let duplicates = duplicates(ident, &events);
    let constructors: Vec<_> = variants.iter().map(|v| v.ident).collect();
    let reads = (!constructors.is_empty()).then(|| {
        quote! {
            let _ = |plan: &#ident| match plan {
                #(#ident::#constructors(field) => ::core::mem::size_of_val(field),)*
            };
        }
    });
    quote! {
        // The variants declare the plan: naming their constructors and fields keeps `dead_code`
        // from reporting them as never constructed or read.
        const _: () = {
            let _ = (#(#ident::#constructors,)*);
            #reads
        };
        #[automatically_derived]
        impl #impl_generics ::cdpspec::TrackingPlan for #ident #ty_generics #where_clause {
            fn plan() -> ::cdpspec::plan::Plan {
                ::cdpspec::plan::Plan {
                    name: ::std::string::String::from(#name),
                    version: #version,
                    description: #description,
                    identify: #identify,
                    group: #group,
                    events: ::cdpspec::event::merge_events([#(#plan_events),*]),
                    ..::core::default::Default::default()
                }
            }
        }
        #duplicates
    }
}

/// A compile-time assertion per pair of event variants that they are not the same event name
/// and version, failing at the later variant's type with a message naming both variants.
fn duplicates(plan: &syn::Ident, events: &[&Variant<attr::Variant>]) -> TokenStream {
    let mut asserts = Vec::new();
    for (j, later) in events.iter().enumerate() {
        let b = later.fields[0].ty;
        for earlier in &events[..j] {
            let a = earlier.fields[0].ty;
            let message = format!(
                "duplicate event in tracking plan `{plan}`: variants `{}` and `{}` have the same event name and version; give the newer type `#[event(version = ...)]`",
                earlier.ident, later.ident
            );
            asserts.push(quote_spanned! {b.span()=>
                ::core::assert!(
                    !::cdpspec::event::__private::same_event(
                        <#a as ::cdpspec::Event>::NAME,
                        <#a as ::cdpspec::Event>::VERSION,
                        <#b as ::cdpspec::Event>::NAME,
                        <#b as ::cdpspec::Event>::VERSION,
                    ),
                    #message
                );
            });
        }
    }
    if asserts.is_empty() {
        return TokenStream::new();
    }
    quote! {
        const _: () = {
            #(#asserts)*
        };
    }
}

/// `Some(String::from(value))` or `None`.
fn option_string(value: Option<&str>) -> TokenStream {
    match value {
        Some(v) => quote!(::core::option::Option::Some(::std::string::String::from(#v))),
        None => quote!(::core::option::Option::None),
    }
}
