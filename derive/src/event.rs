//! `#[derive(Event)]`: the `cdpspec::Event` implementation of a checked event struct.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::ast::Container;
use crate::ctxt::Ctxt;
use crate::{attr, check};

/// Expands `#[derive(Event)]`, or returns every error found in `input`.
pub fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let cx = Ctxt::new();
    let cont = Container::from_ast(&cx, input, attr::Event::from_ast, |_, _| ());
    check::event(&cx, &cont);
    cx.check()?;
    Ok(emit(&cont))
}

/// The implementation (the input is checked: it has a name).
fn emit(cont: &Container<attr::Event, ()>) -> TokenStream {
    let ident = cont.ident;
    let (impl_generics, ty_generics, where_clause) = cont.generics.split_for_impl();
    let attrs = &cont.attrs;
    let name = attrs.name.as_deref().unwrap_or_default();
    let version = attrs.version;
    let description = description(&attrs.docs).map(|d| quote!(const DESCRIPTION: ::core::option::Option<&'static str> = #d;));
    let owner = attrs.owner.as_ref().map(|o| quote!(const OWNER: ::core::option::Option<&'static str> = ::core::option::Option::Some(#o);));
    let deprecated = attrs.deprecated.as_ref().map(|d| quote!(const DEPRECATED: ::core::option::Option<&'static str> = ::core::option::Option::Some(#d);));
    let labels = (!attrs.labels.is_empty()).then(|| {
        let (keys, values): (Vec<_>, Vec<_>) = attrs.labels.iter().cloned().unzip();
        quote! {
            fn labels() -> ::std::vec::Vec<(&'static str, &'static str)> {
                ::std::vec![#((#keys, #values)),*]
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics ::cdpspec::Event for #ident #ty_generics #where_clause {
            const NAME: &'static str = #name;
            const VERSION: u32 = #version;
            #description
            #owner
            #deprecated
            #labels
            fn properties_schema() -> ::cdpspec::event::__private::Value {
                ::cdpspec::event::section_schema::<Self>()
            }
        }
    }
}

/// The description read from doc comment lines, as a `const` expression of type
/// `Option<&'static str>`, or `None` without a doc comment.
pub fn description(docs: &[TokenStream]) -> Option<TokenStream> {
    if docs.is_empty() {
        return None;
    }
    let lines = docs.iter().enumerate().map(|(i, line)| if i == 0 { quote!(#line) } else { quote!("\n", #line) });
    Some(quote!(::cdpspec::event::__private::doc_description(::core::concat!(#(#lines),*))))
}
