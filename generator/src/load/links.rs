//! Link objects that name their operation in neither or both of the two ways the `openapiv3` model
//! requires exactly one of (`operationId`, `operationRef`). The generator makes nothing of links,
//! so such a link is read rather than refused: with both, the `operationId` is kept (it names the
//! operation in this document, where an `operationRef` may point anywhere); with neither, the link
//! says nothing to follow and is left out. Each with a warning at the link.

use serde_json::{Map, Value};

use super::Note;
use crate::diag::push_pointer;

/// Repairs every link of the map `map[section]` (a response's `links`, or `components.links`).
pub(crate) fn links(map: &mut Map<String, Value>, at: &str, section: &str, notes: &mut Vec<Note>) {
    let Some(Value::Object(links)) = map.get_mut(section) else { return };
    let at = push_pointer(at, section);
    let mut unnamed = Vec::new();
    for (name, link) in links.iter_mut() {
        let Value::Object(link) = link else { continue };
        if name.starts_with("x-") || link.contains_key("$ref") {
            continue;
        }
        let here = push_pointer(&at, name);
        match (link.contains_key("operationId"), link.contains_key("operationRef")) {
            (true, true) => {
                link.shift_remove("operationRef");
                notes.push(Note { pointer: here, message: "a link with both `operationId` and `operationRef` (one is allowed); kept the `operationId`".into() });
            }
            (false, false) => {
                unnamed.push(name.clone());
                notes.push(Note { pointer: here, message: "a link with neither `operationId` nor `operationRef` names no operation; left it out".into() });
            }
            _ => {}
        }
    }
    for name in unnamed {
        links.shift_remove(&name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_link_keeps_one_way_to_its_operation_or_is_left_out() {
        let mut response = json!({"links": {
            "both": {"operationId": "getPet", "operationRef": "#/paths/~1pets/get"},
            "neither": {"parameters": {"id": "$response.body#/id"}},
            "fine": {"operationRef": "#/paths/~1pets/get"},
            "shared": {"$ref": "#/components/links/Pet"}
        }});
        let Value::Object(map) = &mut response else { unreachable!() };
        let mut notes = Vec::new();
        links(map, "/r", "links", &mut notes);
        assert_eq!(response, json!({"links": {"both": {"operationId": "getPet"}, "fine": {"operationRef": "#/paths/~1pets/get"}, "shared": {"$ref": "#/components/links/Pet"}}}));
        let pointers: Vec<&str> = notes.iter().map(|n| n.pointer.as_str()).collect();
        assert_eq!(pointers, ["/r/links/both", "/r/links/neither"]);
    }
}
