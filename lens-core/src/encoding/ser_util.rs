//! The serde plumbing the jsonb writer and the canonical signature encoder share.

/// Implements serde's three sequence traits (`SerializeSeq`, `SerializeTuple`,
/// `SerializeTupleStruct`) for `&mut $ty`: each element is serialised by `&mut $ty` itself and
/// the sequence ends with `$ty::close()`.
macro_rules! sequence_impls {
    ($ty:ty, $err:ty) => {
        impl<'a> serde::ser::SerializeSeq for &'a mut $ty {
            type Ok = ();
            type Error = $err;
            fn serialize_element<T: serde::Serialize + ?Sized>(&mut self, value: &T) -> Result<(), $err> {
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), $err> {
                self.close()
            }
        }

        impl<'a> serde::ser::SerializeTuple for &'a mut $ty {
            type Ok = ();
            type Error = $err;
            fn serialize_element<T: serde::Serialize + ?Sized>(&mut self, value: &T) -> Result<(), $err> {
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), $err> {
                self.close()
            }
        }

        impl<'a> serde::ser::SerializeTupleStruct for &'a mut $ty {
            type Ok = ();
            type Error = $err;
            fn serialize_field<T: serde::Serialize + ?Sized>(&mut self, value: &T) -> Result<(), $err> {
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), $err> {
                self.close()
            }
        }
    };
}
pub(crate) use sequence_impls;
