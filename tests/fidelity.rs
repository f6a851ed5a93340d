//! A model gives back what it was given: each class of loss the round-trip harness found in real
//! specs has a fixture, and here its documented examples go through the generated model and come
//! back as the same JSON (numbers equal as numbers), while what the schema forbids is refused.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use tests::same_json;

/// Reads `value` as a `T` and writes it back.
fn round_trip<T: DeserializeOwned + Serialize>(value: &Value) -> Result<Value, String> {
    let model: T = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    serde_json::to_value(model).map_err(|e| e.to_string())
}

fn exact<T: DeserializeOwned + Serialize>(value: Value) {
    let back = round_trip::<T>(&value).unwrap_or_else(|e| panic!("{value} does not read: {e}"));
    assert!(same_json(&back, &value), "{value} came back as {back}");
}

#[test]
fn undeclared_properties_are_kept_and_written_back_unless_the_schema_forbids_them() {
    use extra_properties_models::extra_properties as m;
    // What the server added since the spec was written survives a read, a change and a write.
    let answer = json!({"id": "a1", "name": "Ada", "plan": {"tier": "gold", "seats": 3, "billed": "monthly"}, "beta_flags": ["x"]});
    let mut account: m::Account = serde_json::from_value(answer.clone()).expect("reads");
    assert_eq!(account.additional_properties["beta_flags"], json!(["x"]));
    assert_eq!(account.plan.as_ref().map(|p| p.additional_properties["billed"].clone()), Some(json!("monthly")));
    account.name = Some("Ada L.".into());
    let mut changed = answer.clone();
    changed["name"] = json!("Ada L.");
    assert!(same_json(&serde_json::to_value(&account).expect("writes"), &changed), "a PUT sends back what it read");
    // `additionalProperties: false`: an unknown property is refused, naming it.
    let refused = serde_json::from_value::<m::Settings>(json!({"theme": "dark", "font": "mono"})).expect_err("closed");
    assert!(refused.to_string().contains("`font` is not a property of `Settings`"), "{refused}");
    exact::<m::Settings>(json!({"theme": "dark"}));
    // Extending a closed schema by `allOf` opens it: the combined properties are data.
    exact::<m::Audited>(json!({"theme": "dark", "changed_by": "ada", "at": 3}));
}

#[test]
fn uris_uuids_and_date_times_keep_the_text_they_came_in() {
    use text_formats_models::text_formats as m;
    let example = json!({
        "sid": "5AB70D71-64C5-4C2A-9F23-0C8B7E0E2B55",
        "uri": "/2010-04-01/Accounts/AC1/Calls/CA1.json",
        "homepage": "http://example.com",
        "started": "2024-05-01T10:00:00.000+02:00",
        "day": "2024-05-01",
        "host": "2001:0db8::1",
    });
    exact::<m::Call>(example.clone());
    let call: m::Call = serde_json::from_value(example).expect("reads");
    // Still checked and still usable as the parsed values.
    assert_eq!(call.started.as_ref().map(|t| t.to_chrono().timestamp()), Some(1_714_550_400));
    assert_eq!(call.sid.as_ref().map(|s| s.to_uuid().as_u128() >> 96), Some(0x5AB7_0D71));
    for (field, bad) in [("sid", "not-a-uuid"), ("started", "yesterday"), ("day", "2024-02-30"), ("host", "::g")] {
        assert!(serde_json::from_value::<m::Call>(json!({ field: bad })).is_err(), "{field}: {bad}");
    }
}

#[test]
fn a_discriminated_base_reads_into_the_subtype_its_tag_names() {
    use inheritance_models::inheritance as m;
    let cat = json!({"petType": "Cat", "name": "Tom", "huntingSkill": "lazy"});
    match serde_json::from_value::<m::Pet>(cat.clone()).expect("reads") {
        m::Pet::Cat(c) => assert_eq!(c.hunting_skill, Some(m::CatHuntingSkill::Lazy)),
        other => panic!("a Cat, not {other:?}"),
    }
    exact::<m::Pet>(cat);
    // The mapping names `dog`; a required field of the subtype is required.
    let dog = json!({"petType": "dog", "name": "Rex", "packSize": 4});
    assert!(matches!(serde_json::from_value::<m::Pet>(dog.clone()), Ok(m::Pet::Dog(d)) if d.pack_size == 4));
    exact::<m::Pet>(dog);
    assert!(serde_json::from_value::<m::Pet>(json!({"petType": "dog", "name": "Rex"})).is_err(), "a dog without its pack");
    // Another tag is the base's own fields, every other property kept.
    let parrot = json!({"petType": "Parrot", "name": "Polly", "words": 12});
    assert!(matches!(serde_json::from_value::<m::Pet>(parrot.clone()), Ok(m::Pet::PetBase(_))));
    exact::<m::Pet>(parrot);
    // The subtypes stay usable on their own.
    exact::<m::Cat>(json!({"petType": "Cat", "name": "Tom"}));
    // A `oneOf` with a discriminator picks by the tag, not by trying members in order.
    let square = json!({"kind": "square", "side": 2.5});
    assert!(matches!(serde_json::from_value::<m::Shape>(square.clone()), Ok(m::Shape::Square(_))));
    exact::<m::Shape>(square);
    // Without a discriminator, the member whose enum lists the value is read, not the first whose
    // enum would keep it as an unknown value; a value no member lists still reads, as the first.
    let wallet = json!({"type": "googlepay", "token": "t"});
    assert!(matches!(serde_json::from_value::<m::Payment>(wallet.clone()), Ok(m::Payment::WalletPayment(_))));
    exact::<m::Payment>(wallet);
    let newer = json!({"type": "crypto"});
    assert!(matches!(serde_json::from_value::<m::Payment>(newer.clone()), Ok(m::Payment::CardPayment(c)) if c.type_.as_str() == "crypto"));
    exact::<m::Payment>(newer);
}

#[test]
fn readings_that_once_guessed_keep_valid_data_readable() {
    use repairs_models::repairs as m;
    exact::<m::Order>(json!({"grandTotal": 123.1, "page": 2, "labels": {"rush": {"by": "noon"}}, "anything": [1, "two"]}));
    for anything in [json!("a"), json!(1.5), json!(true), json!({"x": 1}), Value::Null] {
        let value = json!({ "anything": anything });
        if anything.is_null() {
            assert!(round_trip::<m::Order>(&value).is_ok());
        } else {
            exact::<m::Order>(value);
        }
    }
}

#[test]
fn read_only_and_write_only_properties_are_required_of_neither_direction() {
    use read_write_only_models::read_write_only as m;
    // The request: no `id`, which only the server gives.
    exact::<m::User>(json!({"name": "Ada", "password": "hunter2"}));
    // The answer: no `password`, which the server never sends.
    exact::<m::User>(json!({"id": 7, "name": "Ada"}));
    assert!(serde_json::from_value::<m::User>(json!({"id": 7})).is_err(), "`name` is required both ways");
}

#[test]
fn an_optional_nullable_property_keeps_absent_and_null_apart() {
    use nullable_models::nullable as m;
    // Absent leaves a value as it is, `null` clears it: a read-change-write must not turn one into
    // the other.
    let absent = json!({"title": "Dune", "subtitle": null, "pages": 412, "edition": null, "author": {"name": "Frank Herbert"}, "tags": [], "translator": null, "awards": null});
    let cleared = json!({"title": "Dune", "subtitle": null, "pages": 412, "edition": null, "author": {"name": "Frank Herbert"}, "tags": [], "translator": null, "awards": null, "series": null});
    exact::<m::Book>(absent.clone());
    exact::<m::Book>(cleared.clone());
    let read: m::Book = serde_json::from_value(absent).expect("reads");
    assert_eq!(read.series, None);
    let read: m::Book = serde_json::from_value(cleared.clone()).expect("reads");
    assert_eq!(read.series, Some(None));
    // Required, even where null is allowed: absent is missing.
    let mut no_subtitle = cleared;
    no_subtitle.as_object_mut().map(|o| o.remove("subtitle"));
    let missing = serde_json::from_value::<m::Book>(no_subtitle).expect_err("subtitle is required");
    assert_eq!(missing.to_string(), "missing field `subtitle`");
}
