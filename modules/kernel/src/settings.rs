//! Module settings: each module's typed section `[modules.<name>]` of `jianan.toml`, read once at
//! start and handed to the module ([`crate::module::Module::configure`]). As for the gateway's own
//! keys, an unknown key or a bad value refuses to start, naming the file and the line.
//!
//! ```toml
//! [modules.inspections]
//! overdue_scan_seconds = 60
//! ```
use std::fmt;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use serde::de::{self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// The table under which module sections live.
pub const TABLE: &str = "modules";

/// `jianan.toml` as read from disk. Its text may hold secrets, so `Debug` shows only the path.
#[derive(Clone)]
pub struct SettingsFile {
    path: PathBuf,
    text: String,
}

impl fmt::Debug for SettingsFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SettingsFile({})", self.path.display())
    }
}

impl SettingsFile {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        SettingsFile {
            path: path.into(),
            text: text.into(),
        }
    }
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// A module's section of the settings file (absent when there is no file or no section).
#[derive(Debug, Clone, Copy)]
pub struct Section<'a> {
    module: &'a str,
    file: Option<&'a SettingsFile>,
    production: bool,
}

/// The settings of a module that has none: any key in its section is refused.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoSettings {}

impl<'a> Section<'a> {
    pub fn new(module: &'a str, file: Option<&'a SettingsFile>) -> Self {
        Section {
            module,
            file,
            production: false,
        }
    }

    /// The same section, telling the module whether the server runs in production mode (where
    /// a module refuses to start without the secrets it needs, instead of deriving development
    /// ones).
    pub fn in_production(mut self, production: bool) -> Self {
        self.production = production;
        self
    }

    /// Whether the server runs in production mode.
    pub fn is_production(&self) -> bool {
        self.production
    }

    /// Parses the section as `T` (declare it `#[serde(deny_unknown_fields, default)]`); a missing
    /// section gives `T::default()`. The error names the file, the section and the line.
    pub fn parse<T: DeserializeOwned + Default>(&self) -> Result<T, String> {
        let Some(file) = self.file else {
            return Ok(T::default());
        };
        let seed = Document::<T> {
            module: self.module,
            _t: PhantomData,
        };
        seed.deserialize(toml::Deserializer::new(&file.text))
            .map(Option::unwrap_or_default)
            .map_err(|e| {
                format!(
                    "配置文件 {} 的 [{TABLE}.{}] 有误：{e}",
                    file.path.display(),
                    self.module
                )
            })
    }
}

/// Refuses sections of modules this build does not have (a misspelt module name would
/// otherwise be ignored silently).
pub fn check_known(file: Option<&SettingsFile>, known: &[&str]) -> Result<(), String> {
    let Some(file) = file else { return Ok(()) };
    let seed = KnownModules { known };
    seed.deserialize(toml::Deserializer::new(&file.text))
        .map_err(|e| format!("配置文件 {} 有误：{e}", file.path.display()))
}

/// Visits the document's top-level keys; only `modules` is looked into.
struct Document<'a, T> {
    module: &'a str,
    _t: PhantomData<fn() -> T>,
}

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for Document<'_, T> {
    type Value = Option<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for Document<'_, T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a settings file")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<T>, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == TABLE {
                found = map.next_value_seed(ModuleTable::<T> {
                    module: self.module,
                    _t: PhantomData,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// Visits `[modules]`; only this module's section is parsed.
struct ModuleTable<'a, T> {
    module: &'a str,
    _t: PhantomData<fn() -> T>,
}

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for ModuleTable<'_, T> {
    type Value = Option<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for ModuleTable<'_, T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a table of module sections")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<T>, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == self.module {
                found = Some(map.next_value::<T>()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// Checks the names under `[modules]`.
struct KnownModules<'a> {
    known: &'a [&'a str],
}

impl<'de> DeserializeSeed<'de> for KnownModules<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for KnownModules<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a settings file")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == TABLE {
                map.next_value_seed(ModuleNames { known: self.known })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

struct ModuleNames<'a> {
    known: &'a [&'a str],
}

impl<'de> DeserializeSeed<'de> for ModuleNames<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ModuleNames<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a table of module sections")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if !self.known.contains(&key.as_str()) {
                let known = self.known.join(", ");
                return Err(de::Error::custom(format!(
                    "没有名为 `{key}` 的模块（本版本的模块：{known}）"
                )));
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields, default)]
    struct Demo {
        scan_seconds: u64,
        label: String,
    }

    impl Default for Demo {
        fn default() -> Self {
            Demo {
                scan_seconds: 60,
                label: "默认".into(),
            }
        }
    }

    const TEXT: &str = "listen = \"127.0.0.1:1\"\n\
        jwt_secret = \"do-not-print-me-0123456789abcdef\"\n\
        \n\
        [modules.demo]\n\
        scan_seconds = 5\n\
        \n\
        [modules.other]\n\
        anything = true\n";

    fn file(text: &str) -> SettingsFile {
        SettingsFile::new("/etc/jianan.toml", text)
    }

    #[test]
    fn a_module_reads_its_own_section_with_defaults() {
        let f = file(TEXT);
        let d: Demo = Section::new("demo", Some(&f)).parse().unwrap();
        assert_eq!(
            d,
            Demo {
                scan_seconds: 5,
                label: "默认".into()
            }
        );
        // No section, or no file: all defaults.
        let none: Demo = Section::new("absent", Some(&f)).parse().unwrap();
        assert_eq!(none, Demo::default());
        let none: Demo = Section::new("demo", None).parse().unwrap();
        assert_eq!(none, Demo::default());
        assert!(check_known(Some(&f), &["demo", "other"]).is_ok());
    }

    #[test]
    fn unknown_keys_and_bad_values_are_refused_with_their_line() {
        let f = file("[modules.demo]\nscan_seconds = 5\nscan_second = 6\n");
        let err = Section::new("demo", Some(&f)).parse::<Demo>().unwrap_err();
        assert!(err.contains("line 3"), "{err}");
        assert!(err.contains("scan_second"), "{err}");
        assert!(err.contains("[modules.demo]"), "{err}");
        let f = file("\n[modules.demo]\nscan_seconds = \"soon\"\n");
        let err = Section::new("demo", Some(&f)).parse::<Demo>().unwrap_err();
        assert!(err.contains("line 3"), "{err}");
        // A module without settings refuses any key.
        let f = file("[modules.demo]\nx = 1\n");
        assert!(
            Section::new("demo", Some(&f))
                .parse::<NoSettings>()
                .is_err()
        );
    }

    #[test]
    fn a_section_of_a_module_not_in_the_build_is_refused() {
        let f = file(TEXT);
        let err = check_known(Some(&f), &["demo"]).unwrap_err();
        assert!(err.contains("other"), "{err}");
        assert!(!err.contains("do-not-print-me"), "{err}");
        assert!(!format!("{f:?}").contains("do-not-print-me"));
    }
}
