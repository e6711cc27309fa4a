//! The module list is the one place modules plug in: whatever a module contributes is named with
//! its module's prefix and is unique across the build, so two modules can never collide.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use jianan_api::schema::{Records, modules};
use jianan_kernel::node::NodeDirectory;

fn check(kind: &str, module: &str, name: &str, seen: &mut BTreeSet<String>) {
    assert!(
        name.starts_with(&format!("{module}.")) && name.len() > module.len() + 1,
        "{kind} `{name}` of module `{module}` is not prefixed `{module}.`"
    );
    assert!(
        seen.insert(name.to_owned()),
        "{kind} `{name}` is defined twice"
    );
}

#[test]
fn every_contribution_is_prefixed_by_its_module_and_unique() {
    let mods = modules();
    let names: Vec<&str> = mods.iter().map(|m| m.name()).collect();
    assert_eq!(names[0], "kernel", "the kernel comes first");
    assert!(names.contains(&"registry"));
    let unique: BTreeSet<&str> = names.iter().copied().collect();
    assert_eq!(unique.len(), names.len(), "module names repeat: {names:?}");

    let (mut perms, mut jobs, mut obligations, mut handlers, mut events) = Default::default();
    let mut counted = 0;
    for m in &mods {
        let name = m.name();
        for p in m.permissions() {
            check("permission", name, p.name, &mut perms);
            counted += 1;
        }
        for j in m.jobs() {
            check("job", name, j.name(), &mut jobs);
        }
        for o in m.obligations() {
            check("obligation", name, o.def().code, &mut obligations);
        }
        for h in m.event_handlers() {
            check("event handler", name, h.name(), &mut handlers);
        }
        for t in m.published_events() {
            check("event topic", name, t, &mut events);
        }
    }
    // The check ran over real contributions, not an empty list.
    assert!(counted > 10 && !obligations.is_empty(), "{counted}");
    assert!(
        events.contains("inspections.enforcement_issued"),
        "{events:?}"
    );
    assert!(events.contains("kernel.obligation_missed"), "{events:?}");
}

#[test]
fn record_types_are_unique_and_cover_every_module() {
    let dir = NodeDirectory::of::<Records>();
    let names = dir.type_names();
    for t in [
        "Account",
        "Attachment",
        "Enterprise",
        "Notification",
        "OrgUnit",
        "Project",
    ] {
        assert!(names.contains(&t), "{t} missing from {names:?}");
    }
    #[cfg(feature = "inspections")]
    for t in ["EnforcementAction", "Hazard", "Inspection", "RandomDraw"] {
        assert!(names.contains(&t), "{t} missing from {names:?}");
    }
}

#[cfg(feature = "inspections")]
#[test]
fn each_module_gets_its_section_of_the_settings_file() {
    use jianan_api::app::configured_modules;
    use jianan_api::config::{Config, Overrides};

    let dir = tempfile::tempdir().unwrap();
    let write = |text: &str| {
        let path = dir.path().join("jianan.toml");
        std::fs::write(&path, text).unwrap();
        Config::load(Some(&path), &Overrides::default()).unwrap()
    };
    let every = |c: &Config| {
        let mods = configured_modules(c).unwrap();
        let m = mods.iter().find(|m| m.name() == "inspections").unwrap();
        m.jobs()[0].every().as_secs()
    };
    // Defaults without a section; the section's value when given.
    assert_eq!(every(&write("listen = \"127.0.0.1:0\"\n")), 60);
    let c = write("listen = \"127.0.0.1:0\"\n\n[modules.inspections]\noverdue_scan_seconds = 5\n");
    assert_eq!(every(&c), 5);
    // The late-record grace window reaches the services (InspectionsModule::settings_of).
    let grace = |c: &Config| {
        jianan_inspections::InspectionsModule::settings_in(&configured_modules(c).unwrap())
            .late_grace_days
    };
    assert_eq!(grace(&write("listen = \"127.0.0.1:0\"\n")), 3);
    assert_eq!(
        grace(&write("[modules.inspections]\nlate_grace_days = 0\n")),
        0
    );

    // Refused with the line: an unknown key, a bad value, a module this build does not have,
    // a key for a module that takes none.
    for (text, expect) in [
        ("[modules.inspections]\noverdue_scan_second = 5\n", "line 2"),
        (
            "\n[modules.inspections]\noverdue_scan_seconds = 0\n",
            "1到86400",
        ),
        ("[modules.inspections]\nlate_grace_days = 32\n", "0到31"),
        (
            "[modules.inspectoins]\noverdue_scan_seconds = 5\n",
            "inspectoins",
        ),
        ("[modules.registry]\nanything = 1\n", "line 2"),
    ] {
        let err = configured_modules(&write(text)).err().expect(text).0;
        assert!(err.contains(expect), "{text}: {err}");
    }
}
