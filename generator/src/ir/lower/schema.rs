//! Lowering of schemas: component and inline schemas become [`TypeRef`]s and named [`TypeDef`]s.
//!
//! Inline objects and enums are named from their context (`Parent` + `Property`), `allOf` is merged
//! into one struct, and a merged struct identical to a component reuses the component's type.

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;

use super::Lowerer;
use crate::diag::{push_pointer, Error};
use crate::ir::naming::{self, is_secret_name, singular};
use crate::ir::{Constraints, Enum, Field, Struct, TypeDef, TypeKind, TypeRef, Variant};

/// String formats that [`Lowerer::string_type`] turns into types of their own.
const TYPED_FORMATS: &[&str] = &["date-time", "date", "uuid", "uri", "url", "ipv4", "ipv6", "byte", "binary"];

/// A schema reference or an inline schema, whatever box it came in.
#[derive(Clone, Copy)]
pub(super) enum SchemaView<'a> {
    Ref(&'a str),
    Inline(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SchemaView<'a> {
    fn from(r: &'a ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaView::Ref(reference),
            ReferenceOr::Item(s) => SchemaView::Inline(s),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SchemaView<'a> {
    fn from(r: &'a ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaView::Ref(reference),
            ReferenceOr::Item(s) => SchemaView::Inline(s),
        }
    }
}

/// A lowered schema: its type plus what a field or parameter of that type needs to know.
#[derive(Debug, Clone, Default)]
pub(super) struct Lowered {
    pub ty: Option<TypeRef>,
    pub nullable: bool,
    pub doc: Option<String>,
    pub constraints: Constraints,
    pub default: Option<Value>,
    pub password_format: bool,
    pub read_only: bool,
    pub write_only: bool,
}

impl Lowered {
    fn of(ty: TypeRef) -> Self {
        Lowered { ty: Some(ty), ..Default::default() }
    }

    pub fn ty(&self) -> TypeRef {
        self.ty.clone().unwrap_or(TypeRef::Any)
    }

    /// The type as a list's item, a map's value or a tuple's member, which no flag beside it
    /// makes nullable: [`TypeRef::Nullable`] when the schema admits `null`.
    pub fn item(&self) -> TypeRef {
        TypeRef::nullable(self.ty(), self.nullable)
    }
}

impl<'a> Lowerer<'a> {
    /// Lists each [`Restated`](super::merge::Restated) example with the type of the field it is an example of; one whose
    /// owner is no struct (through aliases, or a tagged base's own struct) is left out.
    pub(super) fn settle_restated(&mut self) {
        for restated in std::mem::take(&mut self.restated) {
            let mut owner = restated.owner.clone();
            let mut field = None;
            for _ in 0..32 {
                let TypeRef::Named(name) = &owner else { break };
                match self.types.iter().find(|t| &t.name == name).map(|t| &t.kind) {
                    Some(TypeKind::Struct(s)) => {
                        field = s.fields.iter().find(|f| f.wire_name == restated.property).map(|f| (f.ty.clone(), f.nullable));
                        break;
                    }
                    Some(TypeKind::Alias(target)) => owner = target.clone(),
                    Some(TypeKind::Tagged(t)) if t.fallback.is_some() => owner = t.fallback.clone().unwrap_or(TypeRef::Any),
                    _ => break,
                }
            }
            if let Some((ty, nullable)) = field {
                self.examples.push(crate::ir::Example { at: restated.at, schema: restated.schema, ty, nullable, value: restated.value });
            }
        }
    }

    /// The component schema a `#/components/schemas/…` reference names, with its pointer.
    pub(super) fn component_schema(&self, reference: &str, at: &str) -> Result<(&'a ReferenceOr<Schema>, String), Error> {
        let key = self.component_key(reference, "schemas", at)?;
        let schemas = &self.doc.openapi.components.as_ref().map(|c| &c.schemas);
        match schemas.and_then(|s| s.get(&key)) {
            Some(s) => Ok((s, push_pointer("/components/schemas", &key))),
            None => Err(self.invalid(&push_pointer(at, "$ref"), format!("`$ref` to `{reference}`, which does not exist"))),
        }
    }

    /// Records a documented example of the schema at `schema`, which lowered to `lowered` (any
    /// JSON value where the schema says nothing of its type).
    pub(super) fn example(&mut self, at: String, schema: &str, lowered: &Lowered, value: &serde_json::Value) {
        self.examples.push(crate::ir::Example { at, schema: schema.to_owned(), ty: lowered.ty(), nullable: lowered.nullable, value: value.clone() });
    }

    /// The examples the object at `holder` documents under `key` (`example`, or an Example
    /// object's `value`), each with its pointer: the model's `model`, unless loading kept them
    /// beside the model (`null` ones, a 3.1 schema's `examples` list).
    pub(super) fn documented(&self, holder: &str, key: &str, model: Option<&Value>) -> Vec<(String, Value)> {
        match self.doc.examples.get(holder) {
            Some(kept) => kept.clone(),
            None => model.map(|value| vec![(push_pointer(holder, key), value.clone())]).unwrap_or_default(),
        }
    }

    /// The Rust type of a schema. `hint` names inline types (`Parent` + `Property`).
    pub(super) fn lower_schema(&mut self, view: SchemaView<'a>, at: &str, hint: &str) -> Result<Lowered, Error> {
        match view {
            SchemaView::Ref(reference) => {
                let (target, target_at) = self.component_schema(reference, at)?;
                let name = self.component_type_name(&target_at);
                let mut lowered = Lowered::of(TypeRef::Named(name));
                if let ReferenceOr::Item(s) = target {
                    lowered.nullable = s.schema_data.nullable;
                    lowered.constraints = self.scalar_constraints(s);
                    lowered.constraints.keywords = self.untyped_keywords(&target_at);
                    lowered.password_format = is_password_format(s);
                    lowered.read_only = s.schema_data.read_only;
                    lowered.write_only = s.schema_data.write_only;
                }
                Ok(lowered)
            }
            SchemaView::Inline(schema) => {
                // A schema reached twice (a shared response or parameter) is one type, named at first use.
                if let Some(done) = self.lowered.get(at) {
                    return Ok(done.clone());
                }
                let lowered = self.lower_inline(schema, at, hint)?;
                self.lowered.insert(at.to_owned(), lowered.clone());
                for (example_at, value) in self.documented(at, "example", schema.schema_data.example.as_ref()) {
                    self.example(example_at, at, &lowered, &value);
                }
                Ok(lowered)
            }
        }
    }

    fn lower_inline(&mut self, schema: &'a Schema, at: &str, hint: &str) -> Result<Lowered, Error> {
        let data = &schema.schema_data;
        let mut lowered = Lowered {
            nullable: data.nullable,
            doc: data.description.clone().or_else(|| data.title.clone()),
            default: data.default.clone(),
            constraints: self.constraints_at(schema, at),
            password_format: is_password_format(schema),
            read_only: data.read_only,
            write_only: data.write_only,
            ty: None,
        };
        self.check_example(schema, at);
        if let Some(external) = self.external_type(schema, at) {
            lowered.ty = Some(external);
            return Ok(lowered);
        }
        let ty = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                if !s.enumeration.is_empty() {
                    lowered.nullable |= s.enumeration.iter().any(Option::is_none);
                    let values: Vec<String> = s.enumeration.iter().flatten().cloned().collect();
                    self.define_enum(hint, data.description.clone(), at, &values)
                } else {
                    self.string_type(schema, at)
                }
            }
            SchemaKind::Type(Type::Integer(i)) => integer_type(&i.format),
            SchemaKind::Type(Type::Number(_)) => Self::number_type(),
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Boolean,
            SchemaKind::Type(Type::Object(o)) => self.object_type(&o.properties, &o.required, o.additional_properties.as_ref(), data.description.clone(), at, hint)?,
            SchemaKind::Type(Type::Array(a)) => self.array_type(a.items.as_ref(), at, hint)?,
            SchemaKind::AllOf { all_of } => return self.lower_all_of(all_of.iter().map(SchemaView::from).collect(), lowered, at, hint),
            SchemaKind::OneOf { one_of } => self.union_type(one_of, "oneOf", data, at, hint)?,
            SchemaKind::AnyOf { any_of } => self.union_type(any_of, "anyOf", data, at, hint)?,
            SchemaKind::Not { .. } => {
                self.warn(at, "`not` cannot be expressed as a type; assumed any JSON value");
                TypeRef::Any
            }
            SchemaKind::Any(any) => {
                if !any.all_of.is_empty() {
                    return self.lower_all_of(any.all_of.iter().map(SchemaView::from).collect(), lowered, at, hint);
                }
                // A `oneOf`/`anyOf` beside object keywords with no properties (`additionalProperties:
                // true`, say) is the union: reading it as a map would refuse its other members.
                if any.properties.is_empty() && (!any.one_of.is_empty() || !any.any_of.is_empty()) {
                    let (members, keyword) = if any.one_of.is_empty() { (&any.any_of, "anyOf") } else { (&any.one_of, "oneOf") };
                    lowered.ty = Some(self.union_type(members, keyword, data, at, hint)?);
                    return Ok(lowered);
                }
                // A declared type wins over keywords of another (`type: string` with
                // `additionalProperties: true`): they constrain nothing of a value of that type.
                let typ = any.typ.as_deref();
                let object_keywords = !any.properties.is_empty() || any.additional_properties.is_some();
                if object_keywords && typ.is_some_and(|t| t != "object") {
                    self.warn(at, format!("object keywords (`properties`, `additionalProperties`) on a `type: {}` schema constrain nothing of such a value; ignored them", typ.unwrap_or_default()));
                }
                if any.items.is_some() && typ.is_some_and(|t| t != "array") {
                    self.warn(at, format!("`items` on a `type: {}` schema constrains nothing of such a value; ignored it", typ.unwrap_or_default()));
                }
                if (object_keywords && typ.is_none_or(|t| t == "object")) || typ == Some("object") {
                    self.object_type(&any.properties, &any.required, any.additional_properties.as_ref(), data.description.clone(), at, hint)?
                } else if (any.items.is_some() && typ.is_none_or(|t| t == "array")) || typ == Some("array") {
                    self.array_type(any.items.as_ref(), at, hint)?
                } else if !any.enumeration.is_empty() && any.enumeration.iter().all(|v| v.is_string() || v.is_null()) {
                    lowered.nullable |= any.enumeration.iter().any(Value::is_null);
                    let values: Vec<String> = any.enumeration.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect();
                    self.define_enum(hint, data.description.clone(), at, &values)
                } else {
                    match any.typ.as_deref() {
                        Some("string") => TypeRef::String,
                        Some("integer") => TypeRef::I64,
                        Some("number") => TypeRef::F64,
                        Some("boolean") => TypeRef::Boolean,
                        _ => {
                            lowered.ty = None;
                            return Ok(lowered);
                        }
                    }
                }
            }
        };
        lowered.ty = Some(ty);
        Ok(lowered)
    }

    /// A string's type by its `format`: dates, UUIDs, URLs, IP addresses and bytes are typed. A
    /// format whose examples or default contradict it (a placeholder date, a relative "uri") stays a
    /// string, with a warning.
    fn string_type(&mut self, schema: &Schema, at: &str) -> TypeRef {
        let SchemaKind::Type(Type::String(s)) = &schema.schema_kind else { return TypeRef::String };
        let format = match &s.format {
            openapiv3::VariantOrUnknownOrEmpty::Item(f) => serde_json::to_value(f).ok().and_then(|v| v.as_str().map(str::to_owned)),
            openapiv3::VariantOrUnknownOrEmpty::Unknown(f) => Some(f.clone()),
            openapiv3::VariantOrUnknownOrEmpty::Empty => None,
        };
        let data = &schema.schema_data;
        let samples: Vec<&str> = data.example.iter().chain(data.default.iter()).filter_map(Value::as_str).collect();
        let (ty, what, parses): (TypeRef, &str, fn(&str) -> bool) = match format.as_deref() {
            // The generated types check text as the runtime's `text` types do: with them.
            Some("date-time") => (TypeRef::DateTime, generator_runtime::DateTime::EXPECTED, |e| generator_runtime::DateTime::new(e).is_ok()),
            Some("date") => (TypeRef::Date, generator_runtime::Date::EXPECTED, |e| generator_runtime::Date::new(e).is_ok()),
            Some("uuid") => (TypeRef::Uuid, generator_runtime::Uuid::EXPECTED, |e| generator_runtime::Uuid::new(e).is_ok()),
            Some("uri" | "url" | "uri-reference") => (TypeRef::Url, generator_runtime::Uri::EXPECTED, |e| generator_runtime::Uri::new(e).is_ok()),
            Some("ipv4") => (TypeRef::Ipv4, "an IPv4 address", |e| e.parse::<std::net::Ipv4Addr>().is_ok()),
            Some("ipv6") => (TypeRef::Ipv6, generator_runtime::Ipv6::EXPECTED, |e| generator_runtime::Ipv6::new(e).is_ok()),
            Some("byte") => (TypeRef::Bytes, "base64", |e| base64_text(e)),
            Some("binary") => return TypeRef::Binary,
            _ => return TypeRef::String,
        };
        match samples.iter().find(|e| !parses(e)) {
            Some(bad) => {
                let format = format.unwrap_or_default();
                self.warn(at, format!("`format: {format}` but the example or default `{bad}` is not {what}; kept it a string"));
                TypeRef::String
            }
            None => ty,
        }
    }

    /// The user's own type for this schema: `x-rust-type`, or a replacement of its `format`.
    fn external_type(&mut self, schema: &Schema, at: &str) -> Option<TypeRef> {
        if let Some(spec) = schema.schema_data.extensions.get("x-rust-type") {
            let path = spec.get("path").and_then(Value::as_str).filter(|p| naming::is_rust_type(p));
            let krate = spec.get("crate").and_then(Value::as_str).filter(|c| naming::is_crate_name(c));
            let version = spec.get("version").and_then(Value::as_str).filter(|v| !v.is_empty() && !v.contains(['"', '\\', '\n']));
            match (path, krate, version) {
                (Some(path), Some(krate), Some(version)) => {
                    if krate != "std" && krate != "core" && krate != "alloc" {
                        self.dependencies.insert(format!("{krate} = \"{version}\""));
                    }
                    return Some(TypeRef::External(path.to_owned()));
                }
                _ => self.warn(&push_pointer(at, "x-rust-type"), "`x-rust-type` needs `crate`, `version` and `path` (a Rust type path); ignored it and generated the type"),
            }
        }
        let format = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => variant_text(&s.format),
            SchemaKind::Type(Type::Integer(i)) => variant_text(&i.format),
            SchemaKind::Type(Type::Number(n)) => variant_text(&n.format),
            _ => None,
        }?;
        self.options.formats.get(&format).map(|path| TypeRef::External(path.clone()))
    }

    /// `type: number` is an `f64`, whatever its name (a name that sounds like a count,
    /// `grandTotal`, does not make `123.1` unreadable) or format: `format: float` data is written
    /// in decimal, and `0.156851858` read into an `f32` comes back `0.15685186`.
    fn number_type() -> TypeRef {
        TypeRef::F64
    }

    fn object_type(
        &mut self,
        properties: &'a IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&'a AdditionalProperties>,
        doc: Option<String>,
        at: &str,
        hint: &str,
    ) -> Result<TypeRef, Error> {
        // JSON Schema allows any further property unless `additionalProperties: false` says
        // otherwise: a model keeps them (and writes them back) rather than dropping them.
        let additional_ty = match additional {
            Some(AdditionalProperties::Any(false)) => None,
            None | Some(AdditionalProperties::Any(true)) => Some(TypeRef::Any),
            Some(AdditionalProperties::Schema(s)) => {
                let value_hint = format!("{hint}Value");
                Some(self.lower_schema(SchemaView::from(s.as_ref()), &push_pointer(at, "additionalProperties"), &value_hint)?.item())
            }
        };
        if properties.is_empty() {
            return Ok(TypeRef::Map(Box::new(additional_ty.unwrap_or(TypeRef::Any))));
        }
        let props: IndexMap<String, (SchemaView<'a>, String)> = properties
            .iter()
            .map(|(k, v)| (k.clone(), (SchemaView::from(v), push_pointer(&push_pointer(at, "properties"), k))))
            .collect();
        let mark = self.types.len();
        let name = self.claim_type_name(hint);
        let fields = self.fields(&name, &props, required)?;
        let additional_name = extras_name(&fields);
        let required_undeclared = required.iter().filter(|r| !properties.contains_key(*r)).cloned().collect();
        let required_choices = self.doc.required_choices.get(at).cloned().unwrap_or_default();
        let def = TypeDef {
            shared_with: Vec::new(), member_schemas: Vec::new(), member_rules: Vec::new(),
            name: name.clone(),
            schema_name: None,
            doc,
            location: self.locate(at),
            kind: TypeKind::Struct(Struct { fields, additional: additional_ty, additional_name, required_undeclared, required_choices }),
        };
        Ok(TypeRef::Named(self.define_or_reuse(def, mark)))
    }

    pub(super) fn fields(&mut self, owner: &str, props: &IndexMap<String, (SchemaView<'a>, String)>, required: &[String]) -> Result<Vec<Field>, Error> {
        let mut scope = naming::Scope::default();
        let mut fields = Vec::new();
        for (wire, (view, at)) in props {
            let hint = format!("{owner}{}", naming::camel_name(wire));
            self.property = Some(wire.clone());
            let lowered = self.lower_schema(*view, at, &hint);
            self.property = None;
            let lowered = lowered?;
            let ty = lowered.ty();
            let secret = lowered.password_format || (is_secret_name(wire) && matches!(ty, TypeRef::String));
            // One type serves requests and answers: what only one of them carries is required of neither.
            let one_way = lowered.read_only || lowered.write_only;
            fields.push(Field {
                name: scope.claim(&naming::snake_name(wire)),
                wire_name: wire.clone(),
                ty,
                required: required.contains(wire) && !one_way,
                nullable: lowered.nullable,
                secret,
                boxed: false,
                read_only: lowered.read_only,
                write_only: lowered.write_only,
                doc: lowered.doc,
                constraints: lowered.constraints,
                default: lowered.default,
            });
        }
        Ok(fields)
    }

    fn array_type(&mut self, items: Option<&'a ReferenceOr<Box<Schema>>>, at: &str, hint: &str) -> Result<TypeRef, Error> {
        if let Some(members) = self.doc.tuples.get(at) {
            return self.tuple_type(members, items.is_some(), at, hint);
        }
        let Some(items) = items else {
            self.warn(at, "array without `items`; assumed a list of any JSON values");
            return Ok(TypeRef::List(Box::new(TypeRef::Any)));
        };
        let single = singular(hint);
        let item_hint = if single != hint && !self.type_names.contains(&single) { single } else { format!("{hint}Item") };
        let item = self.lower_schema(SchemaView::from(items), &push_pointer(at, "items"), &item_hint)?;
        Ok(TypeRef::List(Box::new(item.item())))
    }

    /// `prefixItems`: one type per position. Items allowed after them have no place in a tuple.
    fn tuple_type(&mut self, members: &'a [ReferenceOr<Schema>], more: bool, at: &str, hint: &str) -> Result<TypeRef, Error> {
        if more {
            self.warn(&push_pointer(at, "items"), "an array with `prefixItems` also allows further `items`; generated a tuple of the prefix, which cannot hold them");
        }
        let mut types = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let member_at = push_pointer(&push_pointer(at, "prefixItems"), &i.to_string());
            types.push(self.lower_schema(SchemaView::from(member), &member_at, &format!("{hint}Item{}", i + 1))?.item());
        }
        Ok(TypeRef::Tuple(types))
    }

    pub(super) fn define_enum(&mut self, hint: &str, doc: Option<String>, at: &str, values: &[String]) -> TypeRef {
        let name = self.claim_type_name(hint);
        let mut scope = naming::Scope::default();
        let variants: Vec<Variant> =
            values.iter().map(|v| Variant { name: scope.claim(&naming::variant_name(v)), value: v.clone() }).collect();
        let fallback = ["Unknown", "Other", "UnknownValue"].into_iter().find(|f| !scope.contains(f)).unwrap_or("Unrecognized").to_owned();
        self.types.push(TypeDef {
            shared_with: Vec::new(), member_schemas: Vec::new(), member_rules: Vec::new(),
            name: name.clone(),
            schema_name: None,
            doc,
            location: self.locate(at),
            kind: TypeKind::Enum(Enum { variants, fallback }),
        });
        TypeRef::Named(name)
    }

    /// The constraints of a schema at `at`, with a warning for a pattern that cannot be checked.
    fn constraints_at(&mut self, schema: &Schema, at: &str) -> Constraints {
        let mut c = self.scalar_constraints(schema);
        c.keywords = self.untyped_keywords(at);
        if let Some(pattern) = &c.unchecked_pattern {
            self.warn(&push_pointer(at, "pattern"), format!("the pattern `{pattern}` uses what Rust's regex engine does not support (backreferences or lookaround); documented, not checked"));
        }
        c
    }

    /// The JSON Schema keywords the types do not express, of the schema at `at`.
    fn untyped_keywords(&self, at: &str) -> std::collections::BTreeMap<String, Value> {
        self.doc.keywords.get(at).map(|k| k.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default()
    }

    fn scalar_constraints(&self, schema: &Schema) -> Constraints {
        let mut c = Constraints::default();
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                c.min_length = s.min_length.map(|v| v as u64);
                c.max_length = s.max_length.map(|v| v as u64);
                match &s.pattern {
                    Some(p) if regex_syntax::Parser::new().parse(p).is_err() => c.unchecked_pattern = Some(p.clone()),
                    other => c.pattern = other.clone(),
                }
                // Formats the type expresses (a `Uuid` is a UUID) are not restated as a rule. `uri`
                // is: the type admits a relative reference, which a server refuses there, unless the
                // schema's own example or default is one (the spec's authors meant a reference).
                let data = &schema.schema_data;
                let absolute = data.example.iter().chain(data.default.iter()).filter_map(Value::as_str).all(generator_runtime::text::is_absolute_uri);
                c.format = variant_text(&s.format).filter(|f| !TYPED_FORMATS.contains(&f.as_str()) || (f == "uri" && absolute));
            }
            SchemaKind::Type(Type::Integer(i)) => {
                c.minimum = i.minimum.map(|v| v as f64);
                c.maximum = i.maximum.map(|v| v as f64);
                c.exclusive_minimum = i.exclusive_minimum && i.minimum.is_some();
                c.exclusive_maximum = i.exclusive_maximum && i.maximum.is_some();
                c.allowed = i.enumeration.iter().flatten().map(|v| Value::from(*v)).collect();
            }
            SchemaKind::Type(Type::Number(n)) => {
                c.minimum = n.minimum;
                c.maximum = n.maximum;
                c.exclusive_minimum = n.exclusive_minimum && n.minimum.is_some();
                c.exclusive_maximum = n.exclusive_maximum && n.maximum.is_some();
                c.allowed = n.enumeration.iter().flatten().map(|v| Value::from(*v)).collect();
            }
            SchemaKind::Type(Type::Array(a)) => {
                c.min_items = a.min_items.map(|v| v as u64);
                c.max_items = a.max_items.map(|v| v as u64);
                c.unique_items = a.unique_items;
            }
            _ => {}
        }
        c
    }

    /// Examples that contradict their schema's type are placeholders: say so (they are not used).
    fn check_example(&mut self, schema: &Schema, at: &str) {
        let Some(example) = &schema.schema_data.example else { return };
        let expected = match &schema.schema_kind {
            SchemaKind::Type(Type::String(_)) => ("a string", example.is_string()),
            SchemaKind::Type(Type::Integer(_)) => ("an integer", example.is_i64() || example.is_u64()),
            SchemaKind::Type(Type::Number(_)) => ("a number", example.is_number()),
            SchemaKind::Type(Type::Boolean(_)) => ("a boolean", example.is_boolean()),
            SchemaKind::Type(Type::Array(_)) => ("an array", example.is_array()),
            SchemaKind::Type(Type::Object(_)) => ("an object", example.is_object()),
            _ => return,
        };
        if !expected.1 && !example.is_null() {
            self.warn(&push_pointer(at, "example"), format!("example `{example}` is not {}; treated it as a placeholder and ignored it", expected.0));
        }
    }
}

/// An integer of the width its `format` names (`int8` … `uint64`); 64-bit signed without one.
fn integer_type(format: &openapiv3::VariantOrUnknownOrEmpty<openapiv3::IntegerFormat>) -> TypeRef {
    let (bits, signed) = match variant_text(format).as_deref() {
        Some("int8") => (8, true),
        Some("int16") => (16, true),
        Some("int32") => (32, true),
        Some("uint8") => (8, false),
        Some("uint16") => (16, false),
        Some("uint32") => (32, false),
        Some("uint64" | "uint") => (64, false),
        _ => (64, true),
    };
    TypeRef::Integer { bits, signed }
}

/// The text of a `format`, known to `openapiv3` or not.
fn variant_text<T: serde::Serialize>(format: &openapiv3::VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match format {
        openapiv3::VariantOrUnknownOrEmpty::Item(f) => serde_json::to_value(f).ok().and_then(|v| v.as_str().map(str::to_owned)),
        openapiv3::VariantOrUnknownOrEmpty::Unknown(f) => Some(f.clone()),
        openapiv3::VariantOrUnknownOrEmpty::Empty => None,
    }
}

/// Whether `text` is base64 (standard or URL-safe alphabet, padded or not).
fn base64_text(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_' | b'=' | b'\n' | b'\r'))
}

fn is_password_format(schema: &Schema) -> bool {
    matches!(&schema.schema_kind, SchemaKind::Type(Type::String(s)) if matches!(&s.format, openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Password)))
}

/// A property schema that carries only annotations (example, description), no type of its own.
pub(super) fn is_annotation_only(prop: &ReferenceOr<Box<Schema>>) -> bool {
    match prop {
        ReferenceOr::Reference { .. } => false,
        ReferenceOr::Item(s) => match &s.schema_kind {
            SchemaKind::Any(a) => a.typ.is_none() && a.properties.is_empty() && a.items.is_none() && a.all_of.is_empty() && a.enumeration.is_empty(),
            _ => false,
        },
    }
}

/// The name of a struct's field of further properties: `additional_properties`, unless a property
/// of the spec is called so.
pub(super) fn extras_name(fields: &[Field]) -> String {
    let mut scope = naming::Scope::default();
    for field in fields {
        scope.reserve(&field.name);
    }
    scope.claim("additional_properties")
}
