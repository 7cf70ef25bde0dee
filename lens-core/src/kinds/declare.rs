//! One declaration per kind of object: `declare!` takes a struct's fields with their JSON
//! names once and makes of them the struct (with serde's names and defaults), its in-place
//! jsonb writer (`jsonb_model`) and its field list. A field marked `[optional]` is left out
//! of the snapshot when absent (None, false, empty), by serde and the jsonb writer alike.

/// A value that can be left out of its object: None, false, an empty list or map.
pub trait Absent {
    fn absent(&self) -> bool;
}

impl<T> Absent for Option<T> {
    fn absent(&self) -> bool {
        self.is_none()
    }
}

impl Absent for bool {
    fn absent(&self) -> bool {
        !*self
    }
}

impl<T> Absent for Vec<T> {
    fn absent(&self) -> bool {
        self.is_empty()
    }
}

impl<K, V> Absent for std::collections::BTreeMap<K, V> {
    fn absent(&self) -> bool {
        self.is_empty()
    }
}

/// serde's `serialize_with` for a float that is often whole (a function's cost): whole values
/// as integers, so that JSON text, jsonb and the signature all see `100`, never `100.0`.
pub fn whole_as_integer<S: serde::Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        serializer.serialize_i64(*value as i64)
    } else {
        serializer.serialize_f64(*value)
    }
}

/// serde's `skip_serializing_if` for `[optional]` fields.
pub fn absent<T: Absent>(value: &T) -> bool {
    value.absent()
}

/// The JSON field names of a declared struct, in declaration order (the order the
/// signature's canonical form hashes them in).
pub trait Fields {
    const FIELDS: &'static [&'static str];
}

/// Declares model structs: `"jsonName" field: Type [optional]`, doc comments and extra serde
/// attributes (`#[serde(default = "yes")]`) before a field as usual.
macro_rules! declare {
    ($(
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* $json:literal $field:ident : $ty:ty $([$opt:ident])? ),* $(,)?
        }
    )*) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct $name {
            $(
                $(#[$fmeta])*
                #[serde(rename = $json)]
                $(#[serde(default, skip_serializing_if = "crate::kinds::declare::absent")] #[doc = concat!("(", stringify!($opt), ")")])?
                pub $field: $ty,
            )*
        }
        impl crate::kinds::declare::Fields for $name {
            const FIELDS: &'static [&'static str] = &[$($json),*];
        }
        crate::encoding::jsonb_model::write_jsonb_struct!($name { $($json => $field $($opt)?),* });
    )*};
}
pub(crate) use declare;
