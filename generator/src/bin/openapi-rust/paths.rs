//! How the command names files: relative to the output directory in what it writes (the same
//! bytes on any machine), relative to the working directory on the terminal.

use std::path::{Component, Path};

/// The directories of `path` from the root, `.` and `..` folded, made absolute against the
/// current directory.
fn components(path: &Path) -> Vec<String> {
    let mut stack: Vec<String> = Vec::new();
    for c in std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()).components() {
        match c {
            Component::ParentDir => {
                stack.pop();
            }
            Component::CurDir => {}
            other => stack.push(other.as_os_str().to_string_lossy().into_owned()),
        }
    }
    stack
}

/// `to` as a relative path from the directory `from`, with `/` between its parts; `None` where
/// there is none (another drive).
fn relative(from: &Path, to: &Path) -> Option<String> {
    let (from, to) = (components(from), components(to));
    if from.first() != to.first() {
        return None;
    }
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut path = vec!["..".to_owned(); from.len() - common];
    path.extend(to[common..].iter().cloned());
    Some(if path.is_empty() { ".".to_owned() } else { path.join("/") })
}

/// How the generator names a file given on the command line: relative to the output directory,
/// so that headers, READMEs and diagnostics are the same on any machine and from any working
/// directory; by its name alone where no relative path leads to it.
pub fn name_from(out: &Path, file: &str) -> String {
    relative(out, Path::new(file)).unwrap_or_else(|| Path::new(file).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| file.to_owned()))
}

/// A file as the generator named it (relative to `out`), as the user would name it from the
/// current directory, for the terminal.
pub fn for_terminal(out: &Path, name: &str) -> String {
    let here = Path::new(".");
    relative(here, &out.join(name)).unwrap_or_else(|| name.to_owned())
}
