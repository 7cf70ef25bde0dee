#![deny(warnings)]
//! The Rust code lens_codegen writes for the test's three schemas, one module each, compiled
//! as an application includes it. LENS_CODEGEN_DIR names the directory that holds the files
//! (an include!'d file cannot carry inner attributes, so the lints are this crate's).

pub mod awkward {
    include!(concat!(env!("LENS_CODEGEN_DIR"), "/awkward.rs"));
}

pub mod realistic {
    include!(concat!(env!("LENS_CODEGEN_DIR"), "/realistic.rs"));
}

pub mod types {
    include!(concat!(env!("LENS_CODEGEN_DIR"), "/types.rs"));
}
