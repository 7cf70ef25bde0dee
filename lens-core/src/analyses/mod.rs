//! What a snapshot tells about the schema: deletion risk and blast radius (`risk`), lint
//! (`checks`).

pub mod checks;
pub mod risk;
