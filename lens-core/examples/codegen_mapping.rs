//! Prints the type mapping table of `lens_codegen`, as README.md holds it between its
//! `codegen-mapping` markers (a core test compares the two):
//! `cargo run -q -p lens-core --example codegen_mapping`.

fn main() {
    print!("{}", lens_core::codegen::mapping::markdown());
}
