//! `REV:path` on either side, and two revisions: the report is the one the files checked out give.
//!
//! Each test builds a throwaway git repository holding `spec.yaml` at several revisions (fixture
//! pairs' texts), so the revisions compared are known and the project's own history is left alone.

use std::path::Path;
use std::process::Command;

use generator::diff::{Options, Report};
use tests::{read, root};

/// A change as a reviewer reads it, without the file names (which differ between a revision's
/// `spec.yaml` and a fixture's `old.yaml`): id, kind, subject, detail, whom it breaks, and lines.
type Seen = (String, String, String, String, (bool, bool), Option<usize>, Option<usize>);

fn seen(report: &Report) -> Vec<Seen> {
    report
        .changes()
        .map(|c| {
            let line = |l: &Option<generator::diag::Location>| l.as_ref().and_then(|l| l.line);
            (c.id.clone(), format!("{:?}", c.kind), c.subject.clone(), c.detail.clone(), (c.breaks.clients, c.breaks.servers), line(&c.old), line(&c.new))
        })
        .collect()
}

/// The review of two fixture files checked out.
fn files(old: &str, new: &str) -> Vec<Seen> {
    let (old, new) = (format!("{}/{old}", xtask::DIFF_FIXTURES), format!("{}/{new}", xtask::DIFF_FIXTURES));
    seen(&xtask::diff_given(&root(), &old, &new, &Options::default()).expect("files compare"))
}

struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new() -> Repo {
        let repo = Repo { dir: tempfile::tempdir().expect("temporary directory") };
        repo.git(&["init", "--quiet", "--initial-branch=main"]);
        repo
    }

    fn git(&self, args: &[&str]) {
        let status = Command::new("git")
            .args(["-c", "user.name=Review Test", "-c", "user.email=review@example.com", "-c", "commit.gpgsign=false"])
            .args(args)
            .current_dir(self.dir.path())
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?}");
    }

    /// Commits `spec.yaml` with the text of fixture file `fixture` on the branch checked out.
    fn commit(&self, fixture: &str) {
        std::fs::write(self.dir.path().join("spec.yaml"), read(&root().join(xtask::DIFF_FIXTURES).join(fixture))).expect("write spec.yaml");
        self.git(&["add", "spec.yaml"]);
        self.git(&["commit", "--quiet", "-m", fixture]);
    }

    fn review(&self, old: &str, new: &str) -> Report {
        xtask::diff_given(self.dir.path(), old, new, &Options::default()).unwrap_or_else(|e| panic!("{old} vs {new}: {e:#}"))
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

#[test]
fn a_revision_on_either_side_or_both_gives_the_report_of_the_files_checked_out() {
    let repo = Repo::new();
    repo.commit("operation-removed/old.yaml");
    repo.git(&["checkout", "--quiet", "-b", "feature/x"]);
    repo.commit("operation-removed/new.yaml");
    let removed = files("operation-removed/old.yaml", "operation-removed/new.yaml");
    let added = files("operation-removed/new.yaml", "operation-removed/old.yaml");
    assert!(!removed.is_empty() && !added.is_empty());

    assert_eq!(seen(&repo.review("main:spec.yaml", "spec.yaml")), removed, "a revision as the old side");
    // The new side was once read as the old one's revision: no change at all.
    assert_eq!(seen(&repo.review("spec.yaml", "main:spec.yaml")), added, "a revision as the new side");
    let both = repo.review("main:spec.yaml", "feature/x:spec.yaml");
    assert_eq!(seen(&both), removed, "two revisions, the pull-request gate");
    assert_eq!((both.old.as_slice(), both.new.as_slice()), (&["main:spec.yaml".to_owned()][..], &["feature/x:spec.yaml".to_owned()][..]), "named as given");
    let locations: Vec<&str> = both.changes().flat_map(|c| c.old.iter().chain(&c.new)).map(|l| l.file.as_str()).collect();
    assert!(!locations.is_empty() && locations.iter().all(|f| *f == "spec.yaml"), "located in the spec, not its copy: {locations:?}");
    assert!(repo.review("HEAD:spec.yaml", "feature/x:spec.yaml").is_empty(), "one revision under two names");
}

#[test]
fn revisions_whose_names_would_meet_as_folder_names_are_read_apart() {
    let repo = Repo::new();
    repo.commit("operation-removed/old.yaml");
    repo.git(&["checkout", "--quiet", "-b", "feature/x"]);
    repo.commit("operation-removed/new.yaml");
    repo.git(&["checkout", "--quiet", "-b", "feature_x", "main"]);
    repo.commit("param-added-required/new.yaml");
    let want = files("operation-removed/new.yaml", "param-added-required/new.yaml");
    assert!(!want.is_empty());
    assert_eq!(seen(&repo.review("feature/x:spec.yaml", "feature_x:spec.yaml")), want);
    assert_eq!(seen(&repo.review("feature_x:spec.yaml", "feature/x:spec.yaml")), files("param-added-required/new.yaml", "operation-removed/new.yaml"));
    assert!(repo.path().join("target/diff-revisions").is_dir());
}
