//! Spec-change review (`cargo xtask diff`): every fixture pair under `tests/fixtures/diff/` reports
//! exactly its change, judged as the rule table in `generator::diff` says; the Docker Hub spec
//! against itself (as written and with every mapping reordered) reports nothing, and against its
//! 2023 revision reports the four removed operations and the new `token_label` length limits.

use std::collections::BTreeSet;
use std::path::Path;

use generator::diff::{ChangeKind, CodeChangeKind, FailOn, Ignored, ItemStatus, Options, Report, Side};
use tests::{read, root};

#[path = "diff/revisions.rs"]
mod revisions;

fn compare(old: &str, new: &str, options: &Options) -> Report {
    xtask::diff_specs(&root(), old, new, options).unwrap_or_else(|e| panic!("{old} vs {new}: {e:#}"))
}

fn fixture(case: &str) -> Report {
    compare(&format!("{}/{case}/old.yaml", xtask::DIFF_FIXTURES), &format!("{}/{case}/new.yaml", xtask::DIFF_FIXTURES), &Options::default())
}

fn hub() -> Options {
    Options { module: "v2".into(), prefix: "dockerhub".into(), ..Options::default() }
}

/// Where (an operation or a type), what kind, on what, and whether it breaks clients and servers.
type Judged = (String, ChangeKind, String, bool, bool);

/// A fixture case and the changes it must report, as [`Judged`] with borrowed text.
type Expected = (&'static str, &'static [(&'static str, ChangeKind, &'static str, bool, bool)]);

fn judged(report: &Report) -> Vec<Judged> {
    let mut out = Vec::new();
    for api in &report.apis {
        for c in &api.api {
            out.push(("API".to_owned(), c.kind, c.subject.clone(), c.breaks.clients, c.breaks.servers));
        }
        for op in &api.operations {
            for c in &op.changes {
                out.push((op.title(), c.kind, c.subject.clone(), c.breaks.clients, c.breaks.servers));
            }
        }
        for ty in &api.types {
            for c in &ty.changes {
                out.push((format!("type {}", ty.name), c.kind, c.subject.clone(), c.breaks.clients, c.breaks.servers));
            }
        }
    }
    out
}

#[test]
fn every_fixture_pair_reports_exactly_its_change_judged_by_the_rules() {
    use ChangeKind::*;
    #[rustfmt::skip]
    let expected: &[Expected] = &[
        ("allof-change", &[("type Entity", TypeChanged, "field `id`", true, true)]),
        // Whole bodies and parameters: null admitted or not, and the rules of a non-object body.
        ("body-rules-changed", &[
            ("GET /tags", NullableChanged, "response 200 `application/json`", true, false),
            ("PUT /tags", NullableChanged, "query parameter `note`", true, false),
            ("PUT /tags", ConstraintsChanged, "request body `application/json`", true, false),
            ("PUT /tags", ConstraintsChanged, "response 200 `text/plain`", false, true),
        ]),
        // A body typed where it took any JSON admits fewer values; the other way, more: one side each.
        ("body-typing-changed", &[
            ("POST /pets", TypeChanged, "request body `application/json`", true, false),
            ("POST /pets", TypeChanged, "response 201 `application/json`", true, false),
        ]),
        ("documentation-only", &[]),
        // An empty pattern matches every string: no change.
        ("empty-pattern-added", &[]),
        ("enum-both-sides", &[("type Status", EnumValuesAdded, "enum values", true, true)]),
        // Widening admits more values: servers must read them, clients may receive them.
        ("integer-widened", &[
            ("type NewPet", TypeChanged, "field `age`", false, true),
            ("type Pet", TypeChanged, "field `id`", true, false),
        ]),
        // 2020-12 keywords the types do not express still change what is valid.
        ("json-schema-2020-keywords", &[
            ("POST /orders", ConstraintsChanged, "request body `application/json`", true, false),
            ("type NewOrder", ConstraintsChanged, "field `items`", true, false),
        ]),
        // Links naming their operation in neither or both ways are read, with a warning each.
        ("link-operation-unclear", &[]),
        // OpenAPI 3.2: operations of QUERY and custom methods are operations like any other, keyed
        // by their method; a query string parameter is a parameter of its own place.
        ("methods-32", &[
            ("GET /books", RequiredChanged, "querystring parameter `filter`", true, false),
            ("QUERY /books", OperationAdded, "operation", false, true),
            ("PURGE /books", OperationRemoved, "operation", true, false),
        ]),
        ("nullable-changed", &[("type Pet", NullableChanged, "field `tag`", true, false)]),
        ("operation-added", &[("DELETE /pets/{id}", OperationAdded, "operation", false, true)]),
        ("operation-deprecated", &[("GET /pets", DeprecatedChanged, "operation", false, false)]),
        ("operation-removed", &[("DELETE /pets/{id}", OperationRemoved, "operation", true, false)]),
        // An operation moved to a server of its own: clients built before send it where it was.
        // Its other operation's server gained a trailing slash: no change.
        ("operation-servers-changed", &[("POST /pets", OperationServersChanged, "servers", true, false)]),
        ("param-added-optional", &[("GET /pets", ParameterAdded, "query parameter `owner`", false, false)]),
        ("param-added-required", &[("GET /pets", ParameterAdded, "query parameter `owner`", true, false)]),
        // A client leaving the parameter out now asks for something else.
        ("param-default-changed", &[("GET /pets", DefaultChanged, "query parameter `owner`", true, false)]),
        ("param-removed", &[("GET /pets", ParameterRemoved, "query parameter `owner`", true, false)]),
        // Deprecated first: callers were told to stop sending it, so its removal is planned.
        ("param-removed-deprecated", &[("GET /pets", ParameterRemoved, "query parameter `owner`", false, false)]),
        ("param-required-changed", &[
            ("GET /pets", RequiredChanged, "query parameter `limit`", false, true),
            ("GET /pets", RequiredChanged, "query parameter `owner`", true, false),
        ]),
        ("param-type-changed", &[("GET /pets", TypeChanged, "query parameter `limit`", true, true)]),
        ("path-parameter-renamed", &[("GET /pets/{id}", PathParameterRenamed, "path parameter `petId`", false, false)]),
        // The same path on the wire, but each value sent now means the other parameter.
        ("path-parameters-swapped", &[("GET /shelters/{pet}/{shelter}", PathParametersMoved, "path parameters", true, true)]),
        ("read-write-only-changed", &[
            ("type NewPet", AccessChanged, "field `kind`", true, false),
            ("type Pet", AccessChanged, "field `tag`", true, false),
        ]),
        // Deprecated, and the date its `Sunset` header (RFC 8594) announced has passed: planned.
        ("removal-after-sunset-header", &[("DELETE /pets/{id}", OperationRemoved, "operation", false, false)]),
        // Deprecated with a sunset still to come: removing it breaks the clients that were promised time.
        ("removal-before-sunset", &[("DELETE /pets/{id}", OperationRemoved, "operation", true, false)]),
        // A beta operation, and a deprecated one after its sunset: announced, so planned.
        ("removal-planned", &[
            ("POST /pets", OperationRemoved, "operation", false, false),
            ("DELETE /pets/{id}", OperationRemoved, "operation", false, false),
        ]),
        ("request-constraint-tightened", &[("type NewPet", ConstraintsChanged, "field `name`", true, false)]),
        ("request-enum-value-added", &[("type NewPetKind", EnumValuesAdded, "enum values", false, true)]),
        ("request-enum-value-removed", &[("type NewPetKind", EnumValuesRemoved, "enum values", true, false)]),
        ("request-field-added-required", &[("type NewPet", FieldAdded, "field `owner`", true, false)]),
        ("request-media-type-changed", &[
            ("POST /pets", MediaTypeRemoved, "request body `application/x-www-form-urlencoded`", true, false),
            ("POST /pets", MediaTypeAdded, "request body `application/xml`", false, true),
        ]),
        ("response-enum-value-added", &[("type PetStatus", EnumValuesAdded, "enum values", true, false)]),
        // Answers carry fewer kinds of value, which clients read already: only code that named the
        // value breaks (see the code judgements).
        ("response-enum-value-removed", &[("type PetStatus", EnumValuesRemoved, "enum values", false, false)]),
        ("response-field-added", &[("type Pet", FieldAdded, "field `color`", false, false)]),
        ("response-field-removed", &[("type Pet", FieldRemoved, "field `tag`", true, true)]),
        ("response-header-added", &[("GET /pets", HeaderAdded, "response 200 header `X-Rate-Limit`", false, false)]),
        // Clients ask for the media types they read (`Accept`): a new one reaches none of them.
        ("response-media-type-added", &[("GET /pets", MediaTypeAdded, "response 200 `text/csv`", false, false)]),
        ("response-status-added", &[("GET /pets", ResponseAdded, "response 404", true, false)]),
        ("response-status-removed", &[("GET /pets", ResponseRemoved, "response 404", true, true)]),
        ("response-union-member-removed", &[("type CreatePetResponse", UnionMembersRemoved, "alternatives (`oneOf`/`anyOf`)", false, false)]),
        // Alternatives: clients keep the one they use; servers must accept the new one.
        ("security-alternative-added", &[("GET /pets", SecurityChanged, "security", false, true)]),
        ("security-changed", &[("GET /pets", SecurityChanged, "security", true, true)]),
        ("server-trailing-slash", &[]),
        ("shared-schema-type-changed", &[("type Owner", TypeChanged, "field `id`", true, true)]),
        // One type became a list of types holding it: widened, as `integer` → `number`.
        ("type-widened-to-list", &[
            ("type NewPet", TypeChanged, "field `name`", false, true),
            ("type Pet", TypeChanged, "field `id`", true, false),
        ]),
        // A union member's own rules: a shorter `maxLength` lets fewer requests through (clients
        // sending longer ones break); a dropped `minimum` more (servers must read them).
        ("union-member-rules-changed", &[
            ("type Nickname", ConstraintsChanged, "alternative string", true, false),
            ("type Nickname", ConstraintsChanged, "alternative integer", false, true),
        ]),
        // A deprecated webhook past its sunset: its subscribers were told, so planned.
        ("webhook-removal-planned", &[("POST webhook petSold", OperationRemoved, "operation", false, false)]),
        // The API sends a webhook's request: a new required field there breaks servers, a webhook
        // removed breaks its subscribers (clients), one added the servers that must send it.
        ("webhooks-changed", &[
            ("POST webhook petAdopted", OperationAdded, "operation", false, true),
            ("POST webhook petSold", OperationRemoved, "operation", true, false),
            ("type PetEvent", FieldAdded, "field `at`", false, true),
        ]),
    ];
    let cases = xtask::diff_cases(&root()).expect("fixture cases listed");
    let listed: Vec<&str> = expected.iter().map(|(c, _)| *c).collect();
    assert_eq!(cases, listed, "every fixture pair has its expectation here, and every expectation its pair");
    for (case, want) in expected {
        let report = fixture(case);
        let want: Vec<Judged> = want.iter().map(|(at, k, s, c, sv)| (at.to_string(), *k, s.to_string(), *c, *sv)).collect();
        assert_eq!(judged(&report), want, "{case}");
        let s = report.summary;
        let count = |f: fn(&Judged) -> bool| want.iter().filter(|j| f(j)).count();
        assert_eq!(s.breaking_for_clients, count(|j| j.3), "{case}: clients count");
        assert_eq!(s.breaking_for_servers, count(|j| j.4), "{case}: servers count");
        assert_eq!(s.non_breaking, count(|j| !j.3 && !j.4), "{case}: non-breaking count");
    }
}

#[test]
fn a_link_naming_its_operation_in_neither_or_both_ways_is_read_with_a_located_warning() {
    let report = fixture("link-operation-unclear");
    assert!(report.is_empty(), "links are no part of the comparison: {}", report.to_markdown());
    let warnings: Vec<(String, Option<usize>, &str)> = report.assumed.iter().map(|w| (w.location.file.rsplit('/').next().unwrap_or_default().to_owned(), w.location.line, w.location.pointer.as_str())).collect();
    assert_eq!(
        warnings,
        [
            ("old.yaml".to_owned(), Some(48), "/paths/~1pets/post/responses/201/links/DeleteIt"),
            ("old.yaml".to_owned(), Some(71), "/components/links/ListAll"),
            ("new.yaml".to_owned(), Some(48), "/paths/~1pets/post/responses/201/links/DeleteIt"),
            ("new.yaml".to_owned(), Some(69), "/components/links/ListAll"),
        ],
        "{:#?}",
        report.assumed
    );
    assert!(report.assumed[0].message.contains("both `operationId` and `operationRef`"), "{}", report.assumed[0]);
    assert!(report.assumed[1].message.contains("neither `operationId` nor `operationRef`"), "{}", report.assumed[1]);
}

#[test]
fn a_spec_compared_with_itself_says_each_warning_once() {
    let spec = format!("{}/link-operation-unclear/old.yaml", xtask::DIFF_FIXTURES);
    let report = compare(&spec, &spec, &Options::default());
    let shown: Vec<String> = report.assumed.iter().map(ToString::to_string).collect();
    assert_eq!(shown.len(), 2, "{shown:#?}");
    assert!(shown.iter().all(|w| w.contains("old.yaml")), "{shown:#?}");
}

/// Whether a change breaks clients and servers.
type Breaks = (bool, bool);

#[test]
fn each_change_says_whether_it_breaks_the_wire_or_code_against_the_generated_crates() {
    // (case, kind, wire: clients and servers, code: clients and servers)
    #[rustfmt::skip]
    let expected: &[(&str, ChangeKind, Breaks, Breaks)] = &[
        // A `match` arm naming the removed variant stops compiling; no answer that worked fails.
        ("response-enum-value-removed", ChangeKind::EnumValuesRemoved, (false, false), (true, true)),
        ("response-union-member-removed", ChangeKind::UnionMembersRemoved, (false, false), (true, true)),
        // Widened on the wire for one side, but `i64` is no `f64` in the generated code.
        ("integer-widened", ChangeKind::TypeChanged, (false, true), (true, true)),
        ("param-added-optional", ChangeKind::ParameterAdded, (false, false), (false, false)),
        ("param-added-required", ChangeKind::ParameterAdded, (true, false), (true, true)),
        ("request-constraint-tightened", ChangeKind::ConstraintsChanged, (true, false), (false, false)),
        ("response-enum-value-added", ChangeKind::EnumValuesAdded, (true, false), (false, false)),
        ("operation-added", ChangeKind::OperationAdded, (false, true), (false, true)),
        ("removal-planned", ChangeKind::OperationRemoved, (false, false), (true, true)),
    ];
    for (case, kind, wire, code) in expected {
        let report = fixture(case);
        let change = report.changes().find(|c| c.kind == *kind).unwrap_or_else(|| panic!("{case}: no {kind:?}"));
        assert_eq!((change.breaks.clients, change.breaks.servers), *wire, "{case}: on the wire");
        assert_eq!((change.code.clients, change.code.servers), *code, "{case}: in code");
    }
    let none = Ignored::default();
    let fails = |case: &str, level: FailOn| !xtask::diff_failures(&fixture(case), Some(level), &none).is_empty();
    assert!(!fails("response-enum-value-removed", FailOn::Breaking) && fails("response-enum-value-removed", FailOn::Code));
    assert!(fails("response-enum-value-removed", FailOn::Either) && !fails("request-constraint-tightened", FailOn::Code));
    let markdown = fixture("response-enum-value-removed").to_markdown();
    assert!(markdown.contains("**Non-breaking on the wire; breaks clients' and servers' code.**"), "{markdown}");
}

#[test]
fn announced_removals_are_planned_and_fail_only_when_asked() {
    let none = Ignored::default();
    let planned = fixture("removal-planned");
    let details: Vec<&str> = planned.changes().map(|c| c.detail.as_str()).collect();
    assert_eq!(details, ["removed, as its stability level `beta` allowed (calls to it fail)", "removed after its sunset 2020-01-31 (calls to it fail)"]);
    assert!(planned.changes().all(|c| c.planned));
    assert_eq!(planned.summary.planned, 2);
    assert!(xtask::diff_failures(&planned, Some(FailOn::Breaking), &none).is_empty(), "planned: non-breaking by default");
    assert_eq!(xtask::diff_failures(&planned, Some(FailOn::Planned), &none).len(), 2);
    let early = fixture("removal-before-sunset");
    let change = early.changes().next().expect("a change");
    assert_eq!(change.detail, "removed before its announced sunset 2999-12-31 (calls to it fail)");
    assert!(!change.planned && change.breaks.clients);
    let header = fixture("removal-after-sunset-header");
    assert_eq!(header.changes().map(|c| c.detail.as_str()).collect::<Vec<_>>(), ["removed after its sunset 2020-01-01 (calls to it fail)"]);
    assert_eq!("planned".parse::<FailOn>(), Ok(FailOn::Planned));
}

#[test]
fn every_change_names_its_place_in_both_specs() {
    let report = fixture("param-required-changed");
    for change in report.changes() {
        let (old, new) = (change.old.as_ref().expect("old location"), change.new.as_ref().expect("new location"));
        assert_eq!(old.file, "tests/fixtures/diff/param-required-changed/old.yaml");
        assert_eq!(new.file, "tests/fixtures/diff/param-required-changed/new.yaml");
        assert_eq!((old.line, old.pointer.as_str()), (Some(8), "/paths/~1pets/get"));
        assert_eq!(change.sides, vec![Side::Request]);
    }
    let markdown = report.to_markdown();
    assert!(markdown.contains("(`tests/fixtures/diff/param-required-changed/old.yaml:8` → `tests/fixtures/diff/param-required-changed/new.yaml:8`)"), "{markdown}");
}

#[test]
fn a_change_to_a_shared_schema_is_reported_once_with_every_operation_it_reaches() {
    let report = fixture("shared-schema-type-changed");
    let api = &report.apis[0];
    assert_eq!(api.types.len(), 1, "only Owner changed: Pet and Shelter only refer to it");
    let owner = &api.types[0];
    let ops: Vec<&str> = owner.used_by.iter().map(|u| u.operation.as_str()).collect();
    assert_eq!(ops, vec!["GET /pets", "GET /shelters/{id}"]);
    assert_eq!((owner.old.as_ref().and_then(|l| l.line), owner.new.as_ref().and_then(|l| l.line)), (Some(56), Some(56)));
    for op in &api.operations {
        assert!(op.changes.is_empty(), "{}: no change of its own", op.title());
        assert_eq!(op.through_types, vec!["Owner".to_owned()]);
    }
}

#[test]
fn a_change_through_all_of_is_reported_on_the_included_schema() {
    let report = fixture("allof-change");
    let api = &report.apis[0];
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, vec!["Entity"], "Pet and Toy copy Entity's fields but the change is Entity's");
    let entity = &api.types[0];
    assert_eq!(entity.included_in, vec!["Pet".to_owned(), "Toy".to_owned()]);
    let uses: Vec<(&str, &[Side])> = entity.used_by.iter().map(|u| (u.operation.as_str(), u.sides.as_slice())).collect();
    assert_eq!(uses, vec![("GET /pets", &[Side::Response][..]), ("POST /toys", &[Side::Request][..])]);
}

#[test]
fn a_type_on_both_sides_gets_both_judgements() {
    let report = fixture("enum-both-sides");
    let status = &report.apis[0].types[0];
    let post = status.used_by.iter().find(|u| u.operation == "POST /pets").expect("POST /pets uses Status");
    assert_eq!(post.sides, vec![Side::Request, Side::Response]);
    assert_eq!(status.changes[0].sides, vec![Side::Request, Side::Response]);
}

#[test]
fn documentation_changes_are_listed_but_never_counted_as_breaking() {
    let report = fixture("documentation-only");
    assert!(!report.is_breaking());
    assert_eq!((report.summary.non_breaking, report.summary.documentation), (0, 2));
    let items: Vec<(&str, Vec<&str>)> = report.apis[0].documentation.iter().map(|d| (d.item.as_str(), d.what.iter().map(String::as_str).collect())).collect();
    assert_eq!(items, vec![("`GET /pets`", vec!["summary", "description of response 200"]), ("type `Pet`", vec!["description"])]);
}

#[test]
fn fail_on_breaking_fails_only_when_asked_and_something_breaks() {
    let breaking = fixture("param-added-required");
    let quiet = fixture("documentation-only");
    let none = Ignored::default();
    assert_eq!(xtask::diff_failures(&breaking, Some(FailOn::Breaking), &none).len(), 1);
    assert!(xtask::diff_failures(&breaking, None, &none).is_empty());
    assert!(xtask::diff_failures(&quiet, Some(FailOn::Any), &none).is_empty(), "documentation is no change to fail on");
}

#[test]
fn each_fail_on_level_fails_on_what_it_names() {
    let none = Ignored::default();
    let fails = |case: &str, level: FailOn| !xtask::diff_failures(&fixture(case), Some(level), &none).is_empty();
    // Breaks servers only (an enum value added to a request).
    assert!(fails("request-enum-value-added", FailOn::Servers) && !fails("request-enum-value-added", FailOn::Clients));
    assert!(fails("request-enum-value-added", FailOn::Breaking));
    // A deprecation breaks nobody, but is what `deprecations` is for.
    assert!(!fails("operation-deprecated", FailOn::Breaking) && fails("operation-deprecated", FailOn::Deprecations));
    // An optional parameter added breaks nobody: only `any` fails on it.
    assert!(!fails("param-added-optional", FailOn::Deprecations) && fails("param-added-optional", FailOn::Any));
    assert_eq!("servers".parse::<FailOn>(), Ok(FailOn::Servers));
    assert!("sometimes".parse::<FailOn>().is_err());
}

#[test]
fn change_ids_are_stable_and_an_ignore_file_accepts_changes_by_id_with_a_reason() {
    let report = fixture("read-write-only-changed");
    let ids: Vec<&str> = report.changes().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["access_changed:#/components/schemas/NewPet/properties/kind", "access_changed:#/components/schemas/Pet/properties/tag"]);
    assert_eq!(ids, fixture("read-write-only-changed").changes().map(|c| c.id.as_str()).collect::<Vec<_>>(), "the same in every run");
    let ignored = Ignored::parse("# accepted changes\naccess_changed:#/components/schemas/Pet/properties/tag # no client reads tag\ngone:x:y # stale\n", "ignore.txt").expect("parses");
    let failing: Vec<&str> = xtask::diff_failures(&report, Some(FailOn::Breaking), &ignored).iter().map(|c| c.id.as_str()).collect();
    assert_eq!(failing, ["access_changed:#/components/schemas/NewPet/properties/kind"]);
    assert_eq!(ignored.unused(&report), ["gone:x:y"]);
    let refused = Ignored::parse("access_changed:#/components/schemas/Pet/properties/tag\n", "ignore.txt").expect_err("a reason is required");
    assert!(refused.starts_with("ignore.txt:1:"), "{refused}");
}

/// The reports of every fixture pair, by case.
fn every_fixture() -> Vec<(String, Report)> {
    xtask::diff_cases(&root()).expect("cases").into_iter().map(|case| {
        let report = fixture(&case);
        (case, report)
    }).collect()
}

#[test]
fn change_ids_say_what_changed_where_and_nothing_else() {
    let mut ids = BTreeSet::new();
    for (case, report) in every_fixture().iter().chain([("hub-latest".to_owned(), compare("spec/hub.yaml", xtask::HUB_LATEST, &hub()))].iter()) {
        let mut seen = BTreeSet::new();
        for change in report.changes() {
            assert!(seen.insert(change.id.clone()), "{case}: two changes named {}", change.id);
            let words = change.subject.replace('`', "");
            assert!(!change.id.contains(&words) || !words.contains(' '), "{case}: {} holds the report's wording `{words}`", change.id);
            assert!(!change.id.contains(&change.detail), "{case}: {} holds the report's wording", change.id);
            ids.insert(change.id.clone());
        }
    }
    // An operation's element, a type's, an operation as a whole.
    for id in ["parameter_added:GET /pets:parameters/query/owner", "media_type_added:GET /pets:responses/200/content/text~1csv", "enum_values_removed:#/components/schemas/Pet/properties/status/enum", "operation_removed:DELETE /pets/{id}"] {
        assert!(ids.contains(id), "{id} among {ids:#?}");
    }
}

#[test]
fn change_ids_stay_when_the_spec_is_reordered() {
    let case = "request-media-type-changed";
    let want: Vec<String> = fixture(case).changes().map(|c| c.id.clone()).collect();
    let dir = tempfile::tempdir().expect("temporary directory");
    let copy = |side: &str| {
        let text = read(&root().join(xtask::DIFF_FIXTURES).join(case).join(format!("{side}.yaml")));
        let path = dir.path().join(format!("{side}.yaml"));
        std::fs::write(&path, serde_yaml::to_string(&reversed(serde_yaml::from_str(&text).expect("YAML"))).expect("serializes")).expect("write");
        path.to_string_lossy().into_owned()
    };
    let report = compare(&copy("new"), &copy("old"), &Options::default());
    let back = compare(&copy("old"), &copy("new"), &Options::default());
    assert_eq!(back.changes().map(|c| c.id.clone()).collect::<Vec<_>>(), want, "the same changes, the same ids");
    assert_eq!(report.changes().count(), want.len());
}

#[test]
fn github_annotations_put_each_change_on_its_spec_line() {
    let report = fixture("integer-widened");
    let ignored = Ignored::parse("type_changed:#/components/schemas/Pet/properties/id # clients read ids as f64 already\n", "ignore.txt").expect("parses");
    let lines: Vec<String> = report.to_github(&ignored).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert_eq!(lines[0], "::error file=tests/fixtures/diff/integer-widened/new.yaml,line=75,title=type_changed%3A#/components/schemas/NewPet/properties/age::breaks servers on the wire; breaks clients' and servers' code: field `age` type integer → number");
    assert!(lines[1].starts_with("::notice file=tests/fixtures/diff/integer-widened/new.yaml,line=61,title=type_changed%3A#/components/schemas/Pet/properties/id::"), "{}", lines[1]);
    assert!(lines[1].ends_with("(accepted: clients read ids as f64 already)"), "{}", lines[1]);
}

#[test]
fn a_spec_at_a_git_revision_is_compared_as_the_file_was_then() {
    let root = root();
    // The seed spec as first committed; `HEAD` holds the same text.
    let at = xtask::spec_at_revision(&root, "HEAD:spec/hub.yaml").expect("git reads it").expect("a revision");
    assert_eq!(read(&at.join("spec/hub.yaml")), read(&root.join("spec/hub.yaml")));
    assert!(xtask::spec_at_revision(&root, "spec/hub.yaml").expect("plain").is_none(), "a plain path is the file");
    let missing = xtask::spec_at_revision(&root, "HEAD:spec/no-such.yaml").expect_err("not there");
    assert!(missing.to_string().contains("spec/no-such.yaml"), "{missing}");
    let options = Options { old_root: Some(at), ..hub() };
    let report = compare("spec/hub.yaml", "spec/hub.yaml", &options);
    assert!(report.is_empty(), "the same spec at HEAD and in the tree: nothing changed");
}

#[test]
fn the_json_report_holds_the_same_data() {
    let report = fixture("param-required-changed");
    let json: serde_json::Value = serde_json::from_str(&report.to_json().expect("serializes")).expect("valid JSON");
    assert_eq!(json["summary"]["breaking_for_clients"], 1);
    let change = &json["apis"][0]["operations"][0]["changes"][0];
    assert_eq!(change["kind"], "required_changed");
    assert_eq!(change["breaks"], serde_json::json!({ "clients": false, "servers": true }));
    assert_eq!(change["old"]["line"], 8);
}

#[test]
fn hub_spec_against_itself_reports_nothing() {
    let report = compare("spec/hub.yaml", "spec/hub.yaml", &hub());
    assert!(report.is_empty(), "{}", report.to_markdown());
    assert!(report.to_markdown().contains("No changes to the API."));
}

/// Rewrites every mapping of a YAML document in reverse key order.
fn reversed(value: serde_yaml::Value) -> serde_yaml::Value {
    match value {
        serde_yaml::Value::Mapping(map) => {
            let entries: Vec<(serde_yaml::Value, serde_yaml::Value)> = map.into_iter().collect();
            serde_yaml::Value::Mapping(entries.into_iter().rev().map(|(k, v)| (k, reversed(v))).collect())
        }
        serde_yaml::Value::Sequence(items) => serde_yaml::Value::Sequence(items.into_iter().map(reversed).collect()),
        other => other,
    }
}

#[test]
fn hub_spec_against_a_key_reordered_copy_of_itself_reports_nothing() {
    let text = read(&root().join("spec/hub.yaml"));
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).expect("hub.yaml is YAML");
    let dir = tempfile::tempdir().expect("temporary directory");
    let copy = dir.path().join("hub-reordered.yaml");
    std::fs::write(&copy, serde_yaml::to_string(&reversed(doc)).expect("serializes")).expect("write the reordered copy");
    let first_key = read(&copy).lines().next().unwrap_or_default().to_owned();
    assert!(first_key.starts_with("components:"), "the copy really is reordered: {first_key}");

    let report = compare("spec/hub.yaml", &copy.to_string_lossy(), &hub());
    assert!(report.is_empty(), "{}", report.to_markdown());
}

#[test]
fn hub_spec_against_its_2023_revision() {
    let report = compare("spec/hub.yaml", xtask::HUB_2023, &hub());
    let api = &report.apis[0];

    let removed: BTreeSet<String> = api.operations.iter().filter(|o| o.status == ItemStatus::Removed).map(|o| o.title()).collect();
    let want: BTreeSet<String> = [
        "GET /v2/namespaces/{namespace}/repositories/{repository}/images-summary",
        "GET /v2/namespaces/{namespace}/repositories/{repository}/images",
        "GET /v2/namespaces/{namespace}/repositories/{repository}/images/{digest}/tags",
        "POST /v2/namespaces/{namespace}/delete-images",
    ]
    .map(String::from)
    .into();
    assert_eq!(removed, want, "the four Advanced Image Management operations");
    for op in api.operations.iter().filter(|o| o.status == ItemStatus::Removed) {
        assert_eq!(op.changes.len(), 1);
        assert_eq!(op.changes[0].kind, ChangeKind::OperationRemoved);
        assert!(op.changes[0].breaks.clients && !op.changes[0].breaks.servers, "{}", op.title());
        assert_eq!(op.old.as_ref().map(|l| l.file.as_str()), Some("spec/hub.yaml"));
    }
    assert!(api.operations.iter().all(|o| o.status != ItemStatus::Added));

    let token_label: Vec<(&str, &str, bool)> = api
        .types
        .iter()
        .flat_map(|t| t.changes.iter().map(move |c| (t, c)))
        .filter(|(_, c)| c.subject == "field `token_label`")
        .map(|(t, c)| {
            assert_eq!(c.kind, ChangeKind::ConstraintsChanged);
            assert!(c.detail.contains("minLength none → 1") && c.detail.contains("maxLength none → 100"), "{}", c.detail);
            assert_eq!(c.new.as_ref().map(|l| l.file.as_str()), Some(xtask::HUB_2023));
            (t.name.as_str(), t.used_by[0].operation.as_str(), c.breaks.clients)
        })
        .collect();
    assert_eq!(
        token_label,
        vec![("CreateAccessTokenRequest", "POST /v2/access-tokens", true), ("PatchAccessTokenRequest", "PATCH /v2/access-tokens/{uuid}", true)],
        "a tighter request field breaks clients that send an empty or long label"
    );

    let s = report.summary;
    assert_eq!((s.breaking_for_clients, s.breaking_for_servers, s.non_breaking), (6, 0, 0), "{}", report.to_markdown());
    assert!(s.documentation > 0, "summaries and descriptions changed");
    assert!(report.changes().all(|c| c.kind != ChangeKind::TypeRemoved), "the removed operations' schemas stay");
    let markdown = report.to_markdown();
    assert!(markdown.contains("**6 breaking for clients · 0 breaking for servers · 0 non-breaking**"), "{markdown}");
}

#[test]
fn code_diff_shows_what_downstream_code_must_follow() {
    let report = compare("spec/hub.yaml", xtask::HUB_2023, &Options { code: true, ..hub() });
    let code = report.code.as_ref().expect("--code asked for");
    let models = code.modules.iter().find(|m| m.module == "dockerhub_models::v2").expect("the models module changes");
    assert!(models.file.starts_with("dockerhub-models/src/v2/"), "the changed types live in the v2 module's files: {}", models.file);
    let removed: Vec<&str> = models.changes.iter().filter(|c| c.change == CodeChangeKind::Removed).map(|c| c.path.as_str()).collect();
    assert!(removed.contains(&"dockerhub_models::v2::ListRepositoryImagesOrdering"), "{removed:?}");
    assert!(models.changes.iter().all(|c| !c.path.contains("AccessToken")), "length limits change no Rust type");

    let report = compare("tests/fixtures/diff/response-field-removed/old.yaml", "tests/fixtures/diff/response-field-removed/new.yaml", &Options { code: true, ..Options::default() });
    let code = report.code.expect("--code asked for");
    let tag: Vec<_> = code.modules.iter().flat_map(|m| &m.changes).filter(|c| c.path == "api_models::api::Pet::tag").collect();
    assert_eq!(tag.len(), 1);
    assert_eq!((tag[0].change, tag[0].old.as_deref()), (CodeChangeKind::Removed, Some("Option<String>")));
}

#[test]
fn golden_reports_are_fresh() {
    let root = root();
    let golden = xtask::diff_golden(&root).expect("reports generated");
    let stale = xtask::stale_files(&root, std::slice::from_ref(&golden)).expect("comparison runs");
    assert!(stale.is_empty(), "{} is stale: run `{}`", stale.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", "), xtask::COMMAND);
    for case in xtask::diff_cases(&root).expect("cases") {
        assert!(golden.files.contains_key(Path::new(&format!("{case}.md"))), "{case} has a golden report");
    }
    let json = read(&root.join(xtask::DIFF_GOLDEN).join("shared-schema-type-changed.json"));
    let value: serde_json::Value = serde_json::from_str(&json).expect("the golden JSON report is JSON");
    assert_eq!(value["report"]["summary"]["breaking_for_clients"], 1);
}
