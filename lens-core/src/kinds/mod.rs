//! What a snapshot is made of: the catalog rows that come in (`catalog`), the model of each
//! kind of object (`model`), the sections entries live in (`sections`), and names as the
//! server spells and quotes them (`ident`).

pub mod catalog;
pub mod declare;
pub mod ident;
pub mod model;
pub mod sections;
