//! The SCIM service's description of itself (RFC 7643 §5–7): what it supports
//! (`ServiceProviderConfig`), the one resource type it serves (`User`) and that type's schema. Plain
//! constructors: the answers never change.

use dockerhub_server::models::v2 as m;

/// The core User schema's URN.
pub(crate) const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
/// The URN of list answers.
pub(crate) const LIST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
/// The most users one page may hold (`count`'s maximum).
pub(crate) const MAX_RESULTS: i64 = 200;

/// What the service supports.
pub(crate) fn service_provider_config() -> m::ScimServiceProviderConfig {
    let unsupported = Some(false);
    m::ScimServiceProviderConfig {
        schemas: Some(vec!["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig".into()]),
        documentation_uri: Some("https://docs.docker.com/security/for-admins/provisioning/scim/".into()),
        patch: Some(m::ScimServiceProviderConfigChangePassword { supported: unsupported, additional_properties: Default::default() }),
        bulk: Some(m::ScimServiceProviderConfigBulk { supported: unsupported, max_operations: Some(0), max_payload_size: Some(0), additional_properties: Default::default() }),
        filter: Some(m::ScimServiceProviderConfigFilter { supported: Some(true), max_results: Some(MAX_RESULTS), additional_properties: Default::default() }),
        change_password: Some(m::ScimServiceProviderConfigChangePassword { supported: unsupported, additional_properties: Default::default() }),
        sort: Some(m::ScimServiceProviderConfigChangePassword { supported: Some(true), additional_properties: Default::default() }),
        etag: Some(m::ScimServiceProviderConfigChangePassword { supported: unsupported, additional_properties: Default::default() }),
        authentication_schemes: Some(m::ScimServiceProviderConfigAuthenticationSchemes {
            name: Some("OAuth Bearer Token".into()),
            description: Some("Authentication with the organization's SCIM bearer token".into()),
            spec_uri: Some("https://www.rfc-editor.org/info/rfc6750".into()),
            type_: Some("oauthbearertoken".into()),
            additional_properties: Default::default(),
        }),
        additional_properties: Default::default(),
    }
}

/// The `User` resource type.
pub(crate) fn user_resource_type() -> m::ScimResourceType {
    m::ScimResourceType {
        schemas: Some(vec!["urn:ietf:params:scim:schemas:core:2.0:ResourceType".into()]),
        id: Some("User".into()),
        name: Some("User".into()),
        description: Some("User Account".into()),
        endpoint: Some("/Users".into()),
        schema: Some(USER_SCHEMA.into()),
        additional_properties: Default::default(),
    }
}

fn attribute(name: &str, kind: m::ScimSchemaAttributeType, description: &str, required: bool, mutability: &str, uniqueness: &str) -> m::ScimSchemaAttribute {
    m::ScimSchemaAttribute {
        name: Some(name.into()),
        type_: Some(kind),
        multi_valued: Some(false),
        description: Some(description.into()),
        required: Some(required),
        case_exact: Some(false),
        mutability: Some(mutability.into()),
        returned: Some("default".into()),
        uniqueness: Some(uniqueness.into()),
        additional_properties: Default::default(),
    }
}

fn parent(attribute: m::ScimSchemaAttribute, multi_valued: bool, sub_attributes: Vec<m::ScimSchemaAttribute>) -> m::ScimSchemaParentAttribute {
    m::ScimSchemaParentAttribute {
        name: attribute.name,
        type_: attribute.type_,
        multi_valued: Some(multi_valued),
        description: attribute.description,
        required: attribute.required,
        case_exact: attribute.case_exact,
        mutability: attribute.mutability,
        returned: attribute.returned,
        uniqueness: attribute.uniqueness,
        sub_attributes: (!sub_attributes.is_empty()).then_some(sub_attributes),
        additional_properties: Default::default(),
    }
}

/// The core User schema, as far as the service uses it.
pub(crate) fn user_schema() -> m::ScimSchema {
    use m::ScimSchemaAttributeType::{Boolean, Complex, String as Text};
    let plain = |name, kind, description, required, mutability, uniqueness| parent(attribute(name, kind, description, required, mutability, uniqueness), false, Vec::new());
    m::ScimSchema {
        schemas: Some(vec!["urn:ietf:params:scim:schemas:core:2.0:Schema".into()]),
        id: Some(USER_SCHEMA.into()),
        name: Some("User".into()),
        description: Some("User Account".into()),
        attributes: Some(vec![
            plain("userName", Text, "The user's email address. This must be reachable via email.", true, "readWrite", "server"),
            parent(
                attribute("name", Complex, "The components of the user's name.", false, "readWrite", "none"),
                false,
                vec![
                    attribute("givenName", Text, "The given name of the user.", false, "readWrite", "none"),
                    attribute("familyName", Text, "The family name of the user.", false, "readWrite", "none"),
                ],
            ),
            plain("displayName", Text, "The username in Docker. Also known as the \"Docker ID\".", false, "readOnly", "server"),
            plain("active", Boolean, "Whether the user can use the organization.", false, "readWrite", "none"),
            parent(
                attribute("emails", Complex, "The user's email addresses.", false, "readOnly", "none"),
                true,
                vec![
                    attribute("value", Text, "An email address.", false, "readOnly", "none"),
                    attribute("display", Text, "How the address is shown.", false, "readOnly", "none"),
                    attribute("primary", Boolean, "Whether it is the primary address.", false, "readOnly", "none"),
                ],
            ),
            parent(
                attribute("groups", Complex, "The teams the user belongs to.", false, "readOnly", "none"),
                true,
                vec![
                    attribute("value", Text, "The team's identifier.", false, "readOnly", "none"),
                    attribute("display", Text, "The team's name.", false, "readOnly", "none"),
                ],
            ),
        ]),
        additional_properties: Default::default(),
    }
}
