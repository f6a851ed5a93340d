//! Builds, from the generator's own IR of `spec/hub-latest.yaml` under its overlay (the source of the
//! v2 crates), a function that round-trips a JSON value
//! through the generated model type of a given name: the examples test can then check any example
//! against whatever type the spec gives it, with no hand-kept list of types.

use std::path::Path;

use quote::{format_ident, quote};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    println!("cargo:rerun-if-changed=../spec/hub-latest.yaml");
    println!("cargo:rerun-if-changed=../spec/hub-latest.overlay.yaml");
    let (apis, _) = generator::Generator::new("dockerhub")
        .root(&root)
        .spec("spec/hub-latest.yaml", "v2")
        .overlay("spec/hub-latest.overlay.yaml")
        .lower()
        .expect("spec/hub-latest.yaml lowers");
    let arms = apis[0].types.iter().map(|t| {
        let name = &t.name;
        let ident = format_ident!("{}", t.name);
        quote!(#name => Some(round_trip::<dockerhub_models::v2::#ident>(value)),)
    });
    let code = quote! {
        /// Deserializes `value` as the v2 model named `type_name` and serializes it back.
        fn round_trip_as(type_name: &str, value: &serde_json::Value) -> Option<Result<serde_json::Value, String>> {
            match type_name {
                #(#arms)*
                _ => None,
            }
        }
    };
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR is set")).join("round_trip.rs");
    std::fs::write(out, code.to_string()).expect("write round_trip.rs");
}
