//! A light JSON value tree, filled by serde, that the jsonb encoder and the signature read.
//!
//! `serde_json::Value` allocates a `String` for every field name; struct field names here stay
//! `&'static str`, which matters with hundreds of thousands of objects in a snapshot.

use serde::ser::{self, Serialize};
use std::borrow::Cow;
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Array(Vec<Node>),
    Object(Vec<(Cow<'static, str>, Node)>),
}

#[derive(Debug)]
pub struct TreeError(String);

impl fmt::Display for TreeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for TreeError {}
impl ser::Error for TreeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        TreeError(msg.to_string())
    }
}

/// Serialises any `Serialize` value into a `Node`.
pub fn to_tree<T: Serialize + ?Sized>(value: &T) -> Result<Node, TreeError> {
    value.serialize(TreeSerializer)
}

struct TreeSerializer;

pub struct SeqBuilder(Vec<Node>);
pub struct MapBuilder {
    entries: Vec<(Cow<'static, str>, Node)>,
    pending_key: Option<String>,
}
pub struct VariantBuilder {
    name: &'static str,
    inner: MapBuilder,
}

impl ser::Serializer for TreeSerializer {
    type Ok = Node;
    type Error = TreeError;
    type SerializeSeq = SeqBuilder;
    type SerializeTuple = SeqBuilder;
    type SerializeTupleStruct = SeqBuilder;
    type SerializeTupleVariant = SeqBuilder;
    type SerializeMap = MapBuilder;
    type SerializeStruct = MapBuilder;
    type SerializeStructVariant = VariantBuilder;

    fn serialize_bool(self, v: bool) -> Result<Node, TreeError> {
        Ok(Node::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Node, TreeError> {
        Ok(Node::Int(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<Node, TreeError> {
        Ok(Node::Int(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<Node, TreeError> {
        Ok(Node::Int(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<Node, TreeError> {
        Ok(Node::Int(v))
    }
    fn serialize_u8(self, v: u8) -> Result<Node, TreeError> {
        Ok(Node::Int(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<Node, TreeError> {
        Ok(Node::Int(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<Node, TreeError> {
        Ok(Node::Int(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result<Node, TreeError> {
        i64::try_from(v).map(Node::Int).or(Ok(Node::Float(v as f64)))
    }
    fn serialize_f32(self, v: f32) -> Result<Node, TreeError> {
        Ok(Node::Float(v.into()))
    }
    fn serialize_f64(self, v: f64) -> Result<Node, TreeError> {
        Ok(Node::Float(v))
    }
    fn serialize_char(self, v: char) -> Result<Node, TreeError> {
        Ok(Node::Str(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Node, TreeError> {
        Ok(Node::Str(v.to_string()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Node, TreeError> {
        Ok(Node::Array(v.iter().map(|b| Node::Int((*b).into())).collect()))
    }
    fn serialize_none(self) -> Result<Node, TreeError> {
        Ok(Node::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Node, TreeError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Node, TreeError> {
        Ok(Node::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Node, TreeError> {
        Ok(Node::Null)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<Node, TreeError> {
        Ok(Node::Str(variant.to_string()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<Node, TreeError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Node, TreeError> {
        Ok(Node::Object(vec![(Cow::Borrowed(variant), value.serialize(TreeSerializer)?)]))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqBuilder, TreeError> {
        Ok(SeqBuilder(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqBuilder, TreeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<SeqBuilder, TreeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(self, _: &'static str, _: u32, _: &'static str, len: usize) -> Result<SeqBuilder, TreeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<MapBuilder, TreeError> {
        Ok(MapBuilder { entries: Vec::with_capacity(len.unwrap_or(0)), pending_key: None })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<MapBuilder, TreeError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<VariantBuilder, TreeError> {
        Ok(VariantBuilder { name: variant, inner: self.serialize_map(Some(len))? })
    }
}

impl ser::SerializeSeq for SeqBuilder {
    type Ok = Node;
    type Error = TreeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TreeError> {
        self.0.push(value.serialize(TreeSerializer)?);
        Ok(())
    }
    fn end(self) -> Result<Node, TreeError> {
        Ok(Node::Array(self.0))
    }
}

impl ser::SerializeTuple for SeqBuilder {
    type Ok = Node;
    type Error = TreeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TreeError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Node, TreeError> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for SeqBuilder {
    type Ok = Node;
    type Error = TreeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TreeError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Node, TreeError> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleVariant for SeqBuilder {
    type Ok = Node;
    type Error = TreeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TreeError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Node, TreeError> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeMap for MapBuilder {
    type Ok = Node;
    type Error = TreeError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), TreeError> {
        match key.serialize(TreeSerializer)? {
            Node::Str(s) => self.pending_key = Some(s),
            Node::Int(i) => self.pending_key = Some(i.to_string()),
            _ => return Err(TreeError("object keys must be strings".into())),
        }
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TreeError> {
        let key = self.pending_key.take().ok_or_else(|| TreeError("value without a key".into()))?;
        self.entries.push((Cow::Owned(key), value.serialize(TreeSerializer)?));
        Ok(())
    }
    fn end(self) -> Result<Node, TreeError> {
        Ok(Node::Object(self.entries))
    }
}

impl ser::SerializeStruct for MapBuilder {
    type Ok = Node;
    type Error = TreeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), TreeError> {
        self.entries.push((Cow::Borrowed(key), value.serialize(TreeSerializer)?));
        Ok(())
    }
    fn end(self) -> Result<Node, TreeError> {
        Ok(Node::Object(self.entries))
    }
}

impl ser::SerializeStructVariant for VariantBuilder {
    type Ok = Node;
    type Error = TreeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), TreeError> {
        ser::SerializeStruct::serialize_field(&mut self.inner, key, value)
    }
    fn end(self) -> Result<Node, TreeError> {
        let inner = ser::SerializeStruct::end(self.inner)?;
        Ok(Node::Object(vec![(Cow::Borrowed(self.name), inner)]))
    }
}
