use pgrx::prelude::*;
::pgrx::pg_module_magic!(name, version);
#[pg_extern]
fn lens_hello() -> &'static str { "hi" }
