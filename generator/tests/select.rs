//! Selection (`--tag`, `--operation`, `--exclude-tag`, `--exclude-operation`, and the same keys in
//! a config file): only the chosen operations and the types they reach are generated.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn generate(out: &Path, selection: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_openapi-rust"))
        .current_dir(root())
        .args(["--spec", "tests/fixtures/specs/mock.yaml", "--name", "pets", "--out"])
        .arg(out)
        .args(selection)
        .output()
        .expect("openapi-rust runs")
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn one_tag_generates_its_operations_and_only_the_types_they_reach_and_builds() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let run = generate(&out, &["--tag", "media"]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let client = read(out.join("pets-client/src/mock_api.rs"));
    assert!(client.contains("pub async fn get_pet_photo(") && client.contains("pub async fn get_note("), "the tag's operations:\n{client}");
    assert!(!client.contains("fn list_pets(") && !client.contains("fn create_pet("), "no operation of another tag:\n{client}");
    let models = read(out.join("pets-models/src/mock_api.rs"));
    assert!(!models.contains("pub struct Pet ") && !models.contains("pub struct Problem "), "no type only other operations reach:\n{models}");

    // What is generated builds as it is, every feature on.
    std::fs::write(out.join("Cargo.toml"), "[workspace]\nresolver = \"2\"\nmembers = [\"pets-models\", \"pets-client\", \"pets-server\"]\n").expect("workspace");
    std::fs::copy(root().join("Cargo.lock"), out.join("Cargo.lock")).expect("lock file");
    let check = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(&out)
        .args(["check", "--quiet", "--workspace", "--all-features"])
        .env("CARGO_TARGET_DIR", root().join("target/copied-output"))
        .output()
        .expect("cargo runs");
    assert!(check.status.success(), "the selected crates build:\n{}", String::from_utf8_lossy(&check.stderr));
}

#[test]
fn an_excluded_operation_is_left_out_and_a_selector_matching_nothing_is_a_located_warning() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let run = generate(&out, &["--tag", "pets", "--exclude-operation", "deletePet", "--tag", "kittens"]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains("warning: tests/fixtures/specs/mock.yaml (#/tags): the selection's tag `kittens` matches nothing"), "{stderr}");
    let client = read(out.join("pets-client/src/mock_api.rs"));
    assert!(client.contains("pub async fn list_pets(") && !client.contains("fn delete_pet("), "{client}");
    assert!(!client.contains("fn get_note("), "{client}");
    assert!(read(out.join("pets-models/src/mock_api.rs")).contains("pub struct Pet "), "the tag's types stay");
}

#[test]
fn a_config_selects_as_the_flags_do() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(root().join("tests/fixtures/specs/mock.yaml"), dir.path().join("pets.yaml")).expect("spec");
    let config = "[[job]]\nname = \"pets\"\nout = \"out\"\nspec = [{ file = \"pets.yaml\" }]\ntags = [\"media\", \"kittens\"]\nexclude-operations = [\"get_note\"]\n";
    std::fs::write(dir.path().join("openapi-rust.toml"), config).expect("config");
    let run = Command::new(env!("CARGO_BIN_EXE_openapi-rust")).current_dir(dir.path()).output().expect("openapi-rust runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains("warning: openapi-rust.toml:1 (#/job/0): the selection's tag `kittens` matches nothing"), "located in the config: {stderr}");
    let client = read(dir.path().join("out/pets-client/src/pets.rs"));
    assert!(client.contains("pub async fn get_memo(") && !client.contains("fn get_note(") && !client.contains("fn list_pets("), "{client}");
}
