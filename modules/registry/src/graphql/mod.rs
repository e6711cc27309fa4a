//! GraphQL of the registry.
pub struct RegistryQuery; pub struct RegistryMutation;
