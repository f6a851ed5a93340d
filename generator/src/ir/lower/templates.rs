//! The path parameters an operation declares and the `{name}`s of its path template, made to
//! agree. A template name nothing declares is a required string; a declared path parameter the
//! template does not name can never be sent, and a server reading it would refuse every request:
//! where exactly one of each is left, the declaration is of that name, misspelt (CycloneDX's
//! `tei_urn` for `/product/uuid/{uuid}`, Red Hat's `topicname` for `/helptopics/{name}`); any
//! other is left out. Each with a warning.

use super::Lowerer;
use crate::ir::naming::{self, Scope};
use crate::ir::{Param, ParamEncoding, ParamLocation, TypeRef};

impl Lowerer<'_> {
    /// Makes `lowered`, the parameters of the operation at `at`, agree with `path`'s template.
    pub(super) fn agree_with_template(&mut self, path: &str, lowered: &mut Vec<Param>, scope: &mut Scope, at: &str) {
        let names = template_params(path);
        let undeclared: Vec<String> = names.iter().filter(|n| !lowered.iter().any(|p| p.location == ParamLocation::Path && p.wire_name == **n)).cloned().collect();
        let strays: Vec<usize> = lowered.iter().enumerate().filter(|(_, p)| p.location == ParamLocation::Path && !names.contains(&p.wire_name)).map(|(i, _)| i).collect();
        if let ([name], [stray]) = (undeclared.as_slice(), strays.as_slice()) {
            let declared = std::mem::replace(&mut lowered[*stray].wire_name, name.clone());
            self.warn(at, format!("path parameter `{declared}` is not in the path, and nothing declares its `{{{name}}}`; read it as `{name}`"));
            return;
        }
        for stray in strays.into_iter().rev() {
            let param = lowered.remove(stray);
            self.warn(at, format!("path parameter `{}` is not in the path, so it can never be sent; left it out", param.wire_name));
        }
        for name in undeclared {
            self.warn(at, format!("path parameter `{name}` is in the path but not declared; assumed a required string"));
            lowered.push(Param {
                name: scope.claim(&naming::param_name(&name, true)),
                wire_name: name,
                location: ParamLocation::Path,
                required: true,
                ty: TypeRef::String,
                doc: None,
                nullable: false,
                constraints: Default::default(),
                default: None,
                encoding: ParamEncoding::default_for(ParamLocation::Path),
                schema: None,
                deprecated: false,
                allow_empty_value: None,
            });
        }
    }
}

/// The `{name}`s of a path template, in order.
pub(super) fn template_params(path: &str) -> Vec<String> {
    crate::ir::template_names(path).map(str::to_owned).collect()
}
