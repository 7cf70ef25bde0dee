//! jsonb in and out of the extension's functions.
//!
//! Out: the bytes `lens_core::jsonb` lays out, copied into palloc'd memory, returned as is.
//! In: a jsonb argument as JSON text (`JsonbText`, through `jsonb_out`), as a JSON value read
//! from its binary form (`JsonbValue`), or as its bytes (`JsonbBytes`, for `lens_diff`); and
//! the other argument types the functions take (`regclass`, `name`).

use pgrx::pgrx_sql_entity_graph::metadata::{
    ArgumentError, ReturnsError, ReturnsRef, SqlMappingRef, SqlTranslatable, TypeOrigin,
};
use pgrx::callconv::{Arg, ArgAbi, BoxRet, FcInfo};
use pgrx::datum::Datum;
use pgrx::prelude::*;
use pgrx::{FromDatum, IntoDatum};

/// Declares a function argument type read with its `FromDatum`: its SQL type, and the ERROR
/// (message, hint) a NULL gets when the function is not STRICT.
macro_rules! sql_argument {
    ($ty:ty, $sql:literal, $null_message:literal, $null_hint:literal) => {
        unsafe impl<'fcx> ArgAbi<'fcx> for $ty {
            unsafe fn unbox_arg_unchecked(arg: Arg<'_, 'fcx>) -> Self {
                match unsafe { arg.unbox_arg_using_from_datum() } {
                    Some(v) => v,
                    None => crate::errors::bad_argument($null_message, $null_hint),
                }
            }
        }

        unsafe impl SqlTranslatable for $ty {
            const TYPE_IDENT: &'static str = pgrx::pgrx_resolved_type!($ty);
            const TYPE_ORIGIN: TypeOrigin = TypeOrigin::External;
            const ARGUMENT_SQL: Result<SqlMappingRef, ArgumentError> = Ok(SqlMappingRef::literal($sql));
            const RETURN_SQL: Result<ReturnsRef, ReturnsError> = Ok(ReturnsRef::One(SqlMappingRef::literal($sql)));
        }
    };
}

/// A jsonb value already in PostgreSQL's binary layout.
pub struct EncodedJsonb(pub Vec<u8>);

impl IntoDatum for EncodedJsonb {
    fn into_datum(self) -> Option<pg_sys::Datum> {
        unsafe {
            // SAFETY: the bytes are a complete varlena (4-byte header included) laid out by
            // lens_core::jsonb; palloc in the current (caller's) memory context.
            let ptr = pg_sys::palloc(self.0.len()) as *mut u8;
            std::ptr::copy_nonoverlapping(self.0.as_ptr(), ptr, self.0.len());
            Some(pg_sys::Datum::from(ptr))
        }
    }

    fn type_oid() -> pg_sys::Oid {
        pg_sys::JSONBOID
    }
}

unsafe impl BoxRet for EncodedJsonb {
    unsafe fn box_into<'fcx>(self, fcinfo: &mut FcInfo<'fcx>) -> Datum<'fcx> {
        match self.into_datum() {
            Some(datum) => unsafe { fcinfo.return_raw_datum(datum) },
            None => fcinfo.return_null(),
        }
    }
}

unsafe impl SqlTranslatable for EncodedJsonb {
    const TYPE_IDENT: &'static str = pgrx::pgrx_resolved_type!(EncodedJsonb);
    const TYPE_ORIGIN: TypeOrigin = TypeOrigin::External;
    const ARGUMENT_SQL: Result<SqlMappingRef, ArgumentError> = Ok(SqlMappingRef::literal("jsonb"));
    const RETURN_SQL: Result<ReturnsRef, ReturnsError> = Ok(ReturnsRef::One(SqlMappingRef::literal("jsonb")));
}

/// A jsonb argument, as JSON text.
pub struct JsonbText(pub String);

impl FromDatum for JsonbText {
    unsafe fn from_polymorphic_datum(datum: pg_sys::Datum, is_null: bool, _: pg_sys::Oid) -> Option<Self> {
        if is_null {
            return None;
        }
        // jsonb_out returns a C string (not a text varlena).
        let cstr = pgrx::direct_function_call::<&std::ffi::CStr>(pg_sys::jsonb_out, &[Some(datum)])?;
        let text = cstr.to_string_lossy().into_owned();
        unsafe { pg_sys::pfree(cstr.as_ptr() as *mut std::ffi::c_void) };
        Some(JsonbText(text))
    }
}

sql_argument!(JsonbText, "jsonb", "the snapshot argument is NULL", "Pass a snapshot that lens_snapshot() returned.");

impl EncodedJsonb {
    /// The value as a query parameter (copied into palloc'd memory).
    pub fn as_arg(&self) -> crate::spi_read::Arg {
        crate::spi_read::raw_arg(pg_sys::JSONBOID, EncodedJsonb(self.0.clone()).into_datum())
    }

    /// Any JSON value, laid out as jsonb.
    pub fn from_value(value: &serde_json::Value) -> EncodedJsonb {
        match lens_core::jsonb::to_jsonb(value) {
            Ok(bytes) => EncodedJsonb(bytes),
            Err(e) => crate::errors::internal(format!("could not encode jsonb: {e}")),
        }
    }
}

/// A jsonb argument read from its binary form into a JSON value (no text round trip).
pub struct JsonbValue(pub serde_json::Value);

impl JsonbValue {
    /// Reads a jsonb datum.
    pub unsafe fn from_jsonb_datum(datum: pg_sys::Datum) -> Result<serde_json::Value, lens_core::jsonb_read::ReadError> {
        lens_core::jsonb_read::jsonb_to_value(unsafe { jsonb_bytes(datum) })
    }
}

impl FromDatum for JsonbValue {
    unsafe fn from_polymorphic_datum(datum: pg_sys::Datum, is_null: bool, _: pg_sys::Oid) -> Option<Self> {
        if is_null {
            return None;
        }
        match unsafe { JsonbValue::from_jsonb_datum(datum) } {
            Ok(value) => Some(JsonbValue(value)),
            Err(e) => crate::errors::bad_argument(e.to_string(), "Pass a jsonb value."),
        }
    }
}

sql_argument!(JsonbValue, "jsonb", "the snapshot argument is NULL", "Pass a snapshot that lens_snapshot() returned.");

/// A jsonb argument as its binary bytes (detoasted, valid for the call), for functions that
/// read large values in place (`lens_diff`).
pub struct JsonbBytes(pub &'static [u8]);

impl FromDatum for JsonbBytes {
    unsafe fn from_polymorphic_datum(datum: pg_sys::Datum, is_null: bool, _: pg_sys::Oid) -> Option<Self> {
        if is_null {
            return None;
        }
        Some(JsonbBytes(unsafe { jsonb_bytes(datum) }))
    }
}

/// The bytes of a jsonb datum after its varlena header, detoasted into the current memory
/// context (the call's: the slice must not outlive the function call).
unsafe fn jsonb_bytes(datum: pg_sys::Datum) -> &'static [u8] {
    unsafe {
        // SAFETY: a jsonb datum; detoasting gives a plain varlena in palloc'd memory.
        let varlena = pg_sys::pg_detoast_datum(datum.cast_mut_ptr::<pg_sys::varlena>());
        let len = pgrx::varlena::varsize_any_exhdr(varlena);
        std::slice::from_raw_parts(pgrx::varlena::vardata_any(varlena) as *const u8, len)
    }
}

sql_argument!(JsonbBytes, "jsonb", "the snapshot argument is NULL", "Pass a snapshot that lens_snapshot() returned.");

/// A `regclass` argument: the relation's oid.
pub struct RegClass(pub pg_sys::Oid);

impl FromDatum for RegClass {
    unsafe fn from_polymorphic_datum(datum: pg_sys::Datum, is_null: bool, _: pg_sys::Oid) -> Option<Self> {
        (!is_null).then(|| RegClass(pg_sys::Oid::from(datum.value() as u32)))
    }
}

sql_argument!(RegClass, "regclass", "the table argument is NULL", "Pass a table, e.g. 'public.users'::regclass.");

/// A `name` argument, as a Rust string.
pub struct NameArg(pub String);

impl FromDatum for NameArg {
    unsafe fn from_polymorphic_datum(datum: pg_sys::Datum, is_null: bool, _: pg_sys::Oid) -> Option<Self> {
        if is_null {
            return None;
        }
        unsafe {
            // SAFETY: a name datum points at a NameData (NUL-terminated within 64 bytes).
            let name = datum.cast_mut_ptr::<pg_sys::NameData>();
            Some(NameArg(std::ffi::CStr::from_ptr((*name).data.as_ptr()).to_string_lossy().into_owned()))
        }
    }
}

sql_argument!(NameArg, "name", "the column argument is NULL", "Pass a column name.");
