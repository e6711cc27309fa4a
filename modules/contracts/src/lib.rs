//! The events modules exchange, as Rust types (docs/architecture.md, "Events are typed contracts").
//!
//! A module never imports another domain module; what crosses between them is an event published
//! through the kernel's outbox. Each event is a serde struct here, with its topic and version, so
//! the publisher and every consumer are checked by the compiler against the same shape. One
//! submodule per publishing module: [`kernel`], [`registry`], [`inspections`], [`credit`],
//! [`rewards`], [`housing`], [`experts`], [`duty`], [`oversight`].
//!
//! Versioning: [`DomainEvent::VERSION`] is a major version. Adding an optional field keeps it;
//! removing, renaming or changing the meaning of a field bumps it, and a consumer built for an
//! older version refuses the newer payload (the kernel records the refusal on the event and retries
//! it once the consumer is upgraded) instead of misreading it.
//!
//! The JSON of every payload uses camelCase field names; GraphQL subscriptions show it as is.
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

pub mod credit;
pub mod duty;
pub mod experts;
pub mod housing;
pub mod inspections;
pub mod kernel;
pub mod oversight;
pub mod registry;
pub mod rewards;

/// A domain event: a versioned payload published on one topic.
pub trait DomainEvent: Serialize + DeserializeOwned + Send + Sync + 'static {
    /// `module.what_happened`, prefixed by the publishing module's name.
    const TOPIC: &'static str;
    /// Major version of the payload's shape.
    const VERSION: u32;
    /// GraphQL type name of the record the event is about (the outbox's aggregate type).
    fn aggregate_type(&self) -> &str;
    /// Id of that record.
    fn aggregate_id(&self) -> Uuid;
}

/// Declares the topic, version and aggregate of an event about one record type.
macro_rules! event {
    ($ty:ty, $topic:literal, v $version:literal, $aggregate:literal, $id:ident) => {
        impl $crate::DomainEvent for $ty {
            const TOPIC: &'static str = $topic;
            const VERSION: u32 = $version;
            fn aggregate_type(&self) -> &str {
                $aggregate
            }
            fn aggregate_id(&self) -> ::uuid::Uuid {
                self.$id
            }
        }
    };
}
pub(crate) use event;

#[cfg(test)]
pub(crate) mod testing {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::DomainEvent;

    /// `event` serialises to exactly `json` (documented field names), reads back equal, and its
    /// topic is one of `topics` and starts with `module.`.
    pub fn round_trip<E: DomainEvent + PartialEq + std::fmt::Debug>(
        module: &str,
        topics: &[&str],
        event: E,
        json: serde_json::Value,
    ) {
        assert_eq!(serde_json::to_value(&event).unwrap(), json, "{}", E::TOPIC);
        let back: E = serde_json::from_value(json).unwrap();
        assert_eq!(back, event, "{}", E::TOPIC);
        assert!(
            E::TOPIC.starts_with(&format!("{module}.")),
            "{} is not prefixed by {module}",
            E::TOPIC
        );
        assert!(
            topics.contains(&E::TOPIC),
            "{} missing from TOPICS",
            E::TOPIC
        );
        assert!(E::VERSION >= 1);
    }

    /// No topic is listed twice.
    pub fn unique(topics: &[&str]) {
        let mut seen = std::collections::BTreeSet::new();
        for t in topics {
            assert!(seen.insert(*t), "{t} listed twice");
        }
    }
}
