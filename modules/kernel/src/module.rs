//! The contract every domain module implements once (docs/architecture.md, "How a module plugs in").
//!
//! GraphQL roots are types, so they are merged by the gateway with `MergedObject` rather than
//! returned from this trait; migrations are listed by the Migrator. Everything else a module
//! brings — permissions, event handlers, scheduled jobs, attachment policies, demo data — comes
//! through here.
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;

use crate::Kernel;
use crate::attachments::AttachmentOwner;
use crate::error::AppResult;
use crate::outbox::EventHandler;
use crate::principal::PermissionDef;

/// Work a module runs on a schedule (overdue detection, period closing, …).
pub trait ScheduledJob: Send + Sync {
    /// Unique name, `module.job`.
    fn name(&self) -> &'static str;
    /// How often it runs.
    fn every(&self) -> Duration;
    fn run<'a>(&'a self, kernel: &'a Kernel) -> BoxFuture<'a, AppResult<()>>;
}

/// A domain module. `Any` lets a module's services find their own configured settings among
/// [`crate::Kernel::modules`] by downcasting.
pub trait Module: Send + Sync + std::any::Any {
    /// Short name, also the prefix of its permissions and events.
    fn name(&self) -> &'static str;
    /// Permissions it defines and the roles granted them.
    fn permissions(&self) -> Vec<PermissionDef> {
        Vec::new()
    }
    /// Topics of the events it publishes (`jianan_contracts::<module>::TOPICS`), each prefixed
    /// by its name.
    fn published_events(&self) -> Vec<&'static str> {
        Vec::new()
    }
    /// Topics of its events that partners may receive as webhooks, each with the permission a
    /// subscriber must hold ([`crate::webhooks`]). Nothing else leaves through a webhook.
    fn webhook_topics(&self) -> Vec<crate::webhooks::WebhookTopic> {
        Vec::new()
    }
    /// What it does when events are published.
    fn event_handlers(&self) -> Vec<Arc<dyn EventHandler>> {
        Vec::new()
    }
    /// Its scheduled jobs.
    fn jobs(&self) -> Vec<Arc<dyn ScheduledJob>> {
        Vec::new()
    }
    /// Recurring obligations it defines (the obligation engine judges them).
    fn obligations(&self) -> Vec<Arc<dyn crate::obligations::Obligation>> {
        Vec::new()
    }
    /// Root fields that check a password or secret (`login`, …): an operation may select at
    /// most one of them, whatever the module ([`crate::credentials::OneCredentialField`]).
    fn credential_fields(&self) -> Vec<&'static str> {
        Vec::new()
    }
    /// Files it offers through signed download links (ledgers as XLSX, …; [`crate::exports`]).
    fn exports(&self) -> Vec<Arc<dyn crate::exports::ExportSource>> {
        Vec::new()
    }
    /// Record types that may carry attachments, with their read/attach policy.
    fn attachment_owners(&self) -> Vec<Arc<dyn AttachmentOwner>> {
        Vec::new()
    }
    /// Reads its section `[modules.<name>]` of jianan.toml, once, before anything else is asked
    /// of it; an error (an unknown key, a bad value: the section's parser names the line) stops
    /// the start. The default accepts no key.
    fn configure(&mut self, section: &crate::settings::Section<'_>) -> Result<(), String> {
        section.parse::<crate::settings::NoSettings>().map(|_| ())
    }
    /// Grants its roles' holders get (see [`crate::principal::Grant`]): how a module gives, say,
    /// experts their own assignments without a kernel change.
    fn role_scopes(&self) -> Vec<crate::principal::RoleScope> {
        Vec::new()
    }
    /// Loads its demo data (`jianan seed --demo`); runs after the modules before it.
    fn seed_demo<'a>(&'a self, _kernel: &'a Kernel) -> BoxFuture<'a, AppResult<()>> {
        Box::pin(async { Ok(()) })
    }
    /// Loads its demo data for `jianan seed --scale N`, before any volume: the same as
    /// [`Module::seed_demo`] unless the module's demo data grows with the volume (the registry
    /// seeds `volume.copies` copies of the district's enterprises and projects).
    fn seed_demo_at<'a>(
        &'a self,
        kernel: &'a Kernel,
        _volume: &'a crate::volume::Volume,
    ) -> BoxFuture<'a, AppResult<()>> {
        self.seed_demo(kernel)
    }
    /// Bulk-loads a year of its own records at `volume` (`jianan seed --scale N`), after every
    /// module's demo data; reads other modules' rows from the database to link to them and
    /// returns what it wrote per table. A bulk load, not a history: no audit records, events or
    /// notifications (see [`crate::volume`]).
    fn seed_volume<'a>(
        &'a self,
        _kernel: &'a Kernel,
        _volume: &'a crate::volume::Volume,
    ) -> BoxFuture<'a, AppResult<crate::volume::Loaded>> {
        Box::pin(async { Ok(Vec::new()) })
    }
}
