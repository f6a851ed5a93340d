//! Whom a change breaks: the rule table of the [module docs](super), in one place.
//!
//! Every change is first described by its [`Effect`] (what happened to the element, whichever way data
//! flows through it) and then judged for the [`Side`]s the element is on. On the request side clients
//! produce and servers consume; on the response side it is the other way round, so most rules are
//! mirror images of each other. A type reached from both sides gets both judgements.

use std::collections::BTreeSet;
use std::fmt;

use serde::Serialize;

/// Which way data travels through the changed element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// Sent by clients, read by servers: parameters and request bodies.
    Request,
    /// Sent by servers, read by clients: response bodies and headers.
    Response,
}

impl Side {
    /// The other side: a webhook's request travels as an answer does.
    pub fn flipped(self) -> Side {
        match self {
            Side::Request => Side::Response,
            Side::Response => Side::Request,
        }
    }
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Side::Request => "request",
            Side::Response => "response",
        })
    }
}

/// Whom a change breaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Breaks {
    /// Code that calls the API (for example through a generated client) may stop compiling or working.
    pub clients: bool,
    /// Code that implements the API may stop compiling or stop meeting the spec.
    pub servers: bool,
}

impl Breaks {
    /// Breaks nobody.
    pub const NONE: Breaks = Breaks { clients: false, servers: false };
    /// Breaks clients only.
    pub const CLIENTS: Breaks = Breaks { clients: true, servers: false };
    /// Breaks servers only.
    pub const SERVERS: Breaks = Breaks { clients: false, servers: true };
    /// Breaks clients and servers.
    pub const BOTH: Breaks = Breaks { clients: true, servers: true };

    /// True when the change breaks anyone.
    pub fn any(self) -> bool {
        self.clients || self.servers
    }

    /// Breaks whoever either breaks.
    pub fn or(self, other: Breaks) -> Breaks {
        Breaks { clients: self.clients || other.clients, servers: self.servers || other.servers }
    }

    /// Whose code the judgement names, as the Markdown report shows it: `clients'`, `servers'`,
    /// `clients' and servers'`, or empty.
    pub fn whose(self) -> &'static str {
        match (self.clients, self.servers) {
            (true, true) => "clients' and servers'",
            (true, false) => "clients'",
            (false, true) => "servers'",
            (false, false) => "",
        }
    }

    /// The judgement in words, as the Markdown report shows it.
    pub fn label(self) -> &'static str {
        match (self.clients, self.servers) {
            (true, true) => "breaks clients and servers",
            (true, false) => "breaks clients",
            (false, true) => "breaks servers",
            (false, false) => "non-breaking",
        }
    }
}

/// What a change does to an element, before the side it is on is taken into account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Effect {
    /// A new element that must be sent.
    AddedRequired,
    /// A new element that may be left out.
    AddedOptional,
    /// An element (or one of its documented values) is gone.
    Removed,
    /// One of the values an element may take is gone: an enum value, a `oneOf` alternative. What a
    /// request may send shrinks; an answer only carries fewer kinds of value, which every client
    /// already reads.
    ValueRemoved,
    /// Was optional, must now be sent.
    BecameRequired,
    /// Was required, may now be left out.
    BecameOptional,
    /// May now be `null`.
    BecameNullable,
    /// May no longer be `null`.
    BecameNonNullable,
    /// Its type is different.
    TypeChanged,
    /// A new documented value: an enum value, media type, status or union shape.
    ValueAdded,
    /// Fewer values are valid (a new or stricter constraint).
    Tightened,
    /// More values are valid (a constraint dropped or relaxed).
    Loosened,
    /// Some constraints are stricter, others more relaxed (or a pattern changed).
    TightenedAndLoosened,
    /// The value assumed when the element is left out changed: whoever leaves it out now asks for
    /// something else.
    DefaultChanged,
    /// Became `writeOnly`: answers no longer carry it.
    LeftAnswers,
    /// Became `readOnly`: what a request sends there is no longer taken.
    LeftRequests,
    /// No effect on what travels: a deprecation mark, an operation id.
    Neutral,
}

impl Effect {
    /// The judgement of this effect on an element on `side`.
    pub(crate) fn on(self, side: Side) -> Breaks {
        use Effect::*;
        match (self, side) {
            (Neutral | AddedOptional, _) => Breaks::NONE,
            // A client that leaves a request element out relied on its default; what a server
            // leaves out of an answer, a client reads as the default (policy: only the request side
            // counts, as the README says).
            (DefaultChanged, Side::Request) | (LeftRequests, Side::Request) | (LeftAnswers, Side::Response) => Breaks::CLIENTS,
            (DefaultChanged | LeftRequests | LeftAnswers, _) => Breaks::NONE,
            (TypeChanged | TightenedAndLoosened, _) => Breaks::BOTH,
            // Clients send requests: whatever they must newly send, may no longer send, or send
            // differently breaks them; whatever servers must newly accept breaks servers.
            (AddedRequired | Removed | ValueRemoved | BecameRequired | BecameNonNullable | Tightened, Side::Request) => Breaks::CLIENTS,
            (ValueRemoved, Side::Response) => Breaks::NONE,
            (BecameOptional | BecameNullable | ValueAdded | Loosened, Side::Request) => Breaks::SERVERS,
            // Servers send responses: what they must newly send breaks them, what clients may newly
            // receive (or no longer receive) breaks clients; a removal also breaks servers' code and
            // their promise to existing clients.
            (Removed, Side::Response) => Breaks::BOTH,
            (AddedRequired | BecameRequired | BecameNonNullable | Tightened, Side::Response) => Breaks::SERVERS,
            (BecameOptional | BecameNullable | ValueAdded | Loosened, Side::Response) => Breaks::CLIENTS,
        }
    }

    /// Whose code against the generated crates may stop compiling when a change of `kind` has
    /// this effect: the clients' (which call the client crate and read its models) and the
    /// servers' (which implement the server crate's traits with the same models) alike, since
    /// both name the same items. An item gone (a field, variant, argument, method, type), a Rust
    /// type changed (also by a compatible widening: `i64` is no `f64`), `Option` added or taken
    /// away, a new required argument or field, a method renamed: breaks both. A new operation is
    /// a new trait method servers must implement. A value added to an enum is assumed to meet a
    /// `match` with a wildcard arm (the generated enums keep unknown values); optional additions
    /// to be built with `..Default::default()`; validation, defaults and documentation change
    /// no Rust item.
    pub(crate) fn code(self, kind: super::ChangeKind) -> Breaks {
        use super::ChangeKind as K;
        match (kind, self) {
            (K::OperationAdded, _) => Breaks::SERVERS,
            (K::PathParametersMoved | K::OperationRemoved | K::ParameterRemoved | K::RequestBodyRemoved | K::MediaTypeRemoved | K::ResponseRemoved | K::HeaderRemoved | K::FieldRemoved, _) => Breaks::BOTH,
            (K::EnumValuesRemoved | K::UnionMembersRemoved | K::TypeRemoved | K::TypeChanged | K::RequiredChanged | K::NullableChanged | K::OperationIdChanged | K::AdditionalPropertiesChanged, _) => Breaks::BOTH,
            (K::ParameterAdded | K::RequestBodyAdded | K::HeaderAdded | K::FieldAdded, Effect::AddedRequired) => Breaks::BOTH,
            _ => Breaks::NONE,
        }
    }

    /// The judgement on every side in `sides` together; no side (a type no operation uses) breaks nobody.
    pub(crate) fn on_sides(self, sides: &BTreeSet<Side>) -> Breaks {
        sides.iter().fold(Breaks::NONE, |acc, side| acc.or(self.on(*side)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_and_response_rules_mirror_each_other() {
        assert_eq!(Effect::AddedRequired.on(Side::Request), Breaks::CLIENTS);
        assert_eq!(Effect::AddedRequired.on(Side::Response), Breaks::SERVERS);
        assert_eq!(Effect::AddedOptional.on(Side::Response), Breaks::NONE);
        assert_eq!(Effect::ValueAdded.on(Side::Request), Breaks::SERVERS);
        assert_eq!(Effect::ValueAdded.on(Side::Response), Breaks::CLIENTS);
        assert_eq!(Effect::Removed.on(Side::Request), Breaks::CLIENTS);
        assert_eq!(Effect::Removed.on(Side::Response), Breaks::BOTH);
        assert_eq!(Effect::BecameOptional.on(Side::Request), Breaks::SERVERS);
        assert_eq!(Effect::BecameNullable.on(Side::Response), Breaks::CLIENTS);
        assert_eq!(Effect::Tightened.on(Side::Request), Breaks::CLIENTS);
        assert_eq!(Effect::TypeChanged.on(Side::Request), Breaks::BOTH);
        assert_eq!(Effect::DefaultChanged.on(Side::Request), Breaks::CLIENTS);
        assert_eq!(Effect::DefaultChanged.on(Side::Response), Breaks::NONE);
        assert_eq!(Effect::LeftAnswers.on(Side::Response), Breaks::CLIENTS);
        assert_eq!(Effect::LeftAnswers.on(Side::Request), Breaks::NONE);
    }

    #[test]
    fn both_sides_combine_and_no_side_breaks_nobody() {
        let both: BTreeSet<Side> = [Side::Request, Side::Response].into();
        assert_eq!(Effect::ValueAdded.on_sides(&both), Breaks::BOTH);
        assert_eq!(Effect::TypeChanged.on_sides(&BTreeSet::new()), Breaks::NONE);
        assert_eq!(Breaks::CLIENTS.label(), "breaks clients");
        assert_eq!(Breaks::NONE.label(), "non-breaking");
    }
}
