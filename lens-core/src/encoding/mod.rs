//! A snapshot's bytes: jsonb written and read without a server (`jsonb`, `jsonb_model`,
//! `jsonb_read`), the canonical signature (`signature`), snapshots handed back checked and
//! upgraded (`snapshot_io`), long values stored apart (`stored_values`).

pub mod jsonb;
pub mod jsonb_model;
pub mod jsonb_read;
pub mod parts;
pub(crate) mod ser_util;
pub mod signature;
pub mod snapshot_io;
pub mod stored_values;
