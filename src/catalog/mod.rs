//! Reading the catalog: the snapshot reader (`reader`, with its SQL in `sql/catalog/`),
//! direct scans of the big catalogs (`scan`), relation sizes from their files (`sizes`), and
//! lookups through the server's catalog caches (`syscache`).

pub mod reader;
pub mod scan;
pub mod sizes;
pub mod syscache;
