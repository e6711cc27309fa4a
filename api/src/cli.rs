//! The `jianan` command line.
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use jianan_kernel::principal::{RequestInfo, Role};
use jianan_migration::{Migrator, MigratorTrait};

use crate::app::{self, BootError};
use crate::config::{Config, Overrides};

/// Jian'an 建安 — construction-safety supervision platform.
#[derive(Parser, Debug)]
#[command(name = "jianan", version, about)]
pub struct Cli {
    /// Configuration file (default: ./jianan.toml when present)
    #[arg(long, global = true, env = "JIANAN_CONFIG")]
    pub config: Option<PathBuf>,
    /// Listen address [default 127.0.0.1:8080; env JIANAN_LISTEN]
    #[arg(long, global = true)]
    pub listen: Option<String>,
    /// Data directory [default ./data; env JIANAN_DATA_DIR]
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
    /// Database URL [default sqlite://<data dir>/jianan.db; env JIANAN_DATABASE_URL]
    #[arg(long, global = true)]
    pub database_url: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the server (the default command)
    Serve {
        /// Load the demo district first (development mode only)
        #[arg(long)]
        demo: bool,
    },
    /// Database migrations
    Migrate {
        #[command(subcommand)]
        action: MigrateAction,
    },
    /// Load data
    #[command(group(clap::ArgGroup::new("what").required(true).args(["demo", "scale"])))]
    Seed {
        /// The demo district: departments, townships, 200 enterprises, 150 projects, one login per role
        #[arg(long)]
        demo: bool,
        /// The demo district at N copies plus a year of work per copy (50,000 inspections,
        /// 100,000 hazards, 10,000 houses, 2,000 reports, 60 experts, 10,000 credit records,
        /// duty rosters and warnings; docs/seed.md)
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1000))]
        scale: Option<u32>,
    },
    /// Print the GraphQL schema (SDL)
    Schema,
    /// Accounts
    Account {
        #[command(subcommand)]
        action: AccountAction,
    },
    /// The audit trail
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
    /// Stored attachment files
    Attachments {
        #[command(subcommand)]
        action: AttachmentsAction,
    },
}

#[derive(Subcommand, Debug)]
pub enum AttachmentsAction {
    /// Delete stored files that no attachment refers to and that are older than the grace
    /// period (what the server's hourly sweep does)
    Sweep {
        /// Grace in hours [default: the attachment_orphan_grace_hours setting]
        #[arg(long)]
        grace_hours: Option<u64>,
    },
}

#[derive(Subcommand, Debug)]
pub enum MigrateAction {
    /// Apply pending migrations
    Up {
        /// Apply at most N
        #[arg(short = 'n', long)]
        steps: Option<u32>,
    },
    /// Roll back the last N migrations (default 1)
    Down {
        #[arg(short = 'n', long, default_value_t = 1)]
        steps: u32,
    },
    /// List migrations and whether they are applied
    Status,
    /// Drop everything and re-apply all migrations (refused in production)
    Fresh,
}

#[derive(Subcommand, Debug)]
pub enum AccountAction {
    /// Create an account, e.g. the first administrator
    Create {
        #[arg(long)]
        username: String,
        /// Password (or set JIANAN_ACCOUNT_PASSWORD)
        #[arg(long, env = "JIANAN_ACCOUNT_PASSWORD", hide_env_values = true)]
        password: String,
        #[arg(long)]
        display_name: Option<String>,
        /// Role, repeatable (ADMIN, LEADER, DEPARTMENT_STAFF, INSPECTOR, TOWNSHIP_STAFF, ...)
        #[arg(long = "role", default_value = "ADMIN")]
        roles: Vec<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum AuditAction {
    /// Recompute the keyed chain and check it against the signed anchors; exit status 1 when a
    /// record was altered or removed
    Verify {
        /// Directory of anchors [default: the audit_anchor_dir setting]
        #[arg(long)]
        anchors: Option<PathBuf>,
    },
    /// Sign the chain's current head and write it as an anchor (prints the anchor)
    Anchor {
        /// Directory to write into [default: the audit_anchor_dir setting]
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// Runs the command line; returns the process exit code.
pub async fn run(cli: Cli) -> Result<i32, BootError> {
    let overrides = Overrides {
        listen: cli.listen.clone(),
        data_dir: cli.data_dir.clone(),
        database_url: cli.database_url.clone(),
    };
    let command = cli.command.unwrap_or(Command::Serve { demo: false });
    if matches!(command, Command::Schema) {
        print!("{}", crate::schema::sdl());
        return Ok(0);
    }
    let config = Config::load(cli.config.as_deref(), &overrides).map_err(BootError)?;
    crate::telemetry::init(&config);
    match command {
        Command::Serve { demo } => {
            if demo && config.is_production() {
                return Err(BootError("生产模式不能使用 --demo".into()));
            }
            let server = app::start(config.clone(), demo).await?;
            let url = format!("http://{}", server.addr);
            println!("建安 Jian'an 已启动: {url}/graphql  (GraphiQL: {url}/graphiql)");
            if demo {
                println!(
                    "演示账号（密码均为 {}）:",
                    jianan_registry::demo_data::DEMO_PASSWORD
                );
                for a in jianan_registry::demo_data::accounts() {
                    let name = if a.role == "BUREAU_SERVICE" {
                        jianan_registry::demo::BUREAU_CLIENT_ID
                    } else {
                        a.username
                    };
                    println!("  {:<12} {:<28} {}", name, a.role, a.display_name);
                }
            }
            server.run_until_signal().await;
            Ok(0)
        }
        Command::Migrate { action } => {
            let db = app::connect_unbounded(&config).await?;
            // Migrations run as the owner when one is configured (database_migrate_url).
            let owner = match &config.database_migrate_url {
                Some(url) => Some(
                    jianan_kernel::db::Db::connect_with(&url.0, 2, None)
                        .await
                        .map_err(|e| {
                            BootError(format!("无法以迁移账号连接数据库: {}", e.message))
                        })?,
                ),
                None => None,
            };
            let conn = owner.as_ref().map_or(&db.conn, |o| &o.conn);
            let res = match action {
                MigrateAction::Up { steps } => match Migrator::up(conn, steps).await {
                    Ok(()) => match &owner {
                        Some(o) => jianan_kernel::db::grant_serving_role(o, &db.conn)
                            .await
                            .map_err(|e| sea_orm::DbErr::Custom(e.message)),
                        None => Ok(()),
                    },
                    Err(e) => Err(e),
                },
                MigrateAction::Down { steps } => Migrator::down(conn, Some(steps)).await,
                MigrateAction::Status => {
                    let list = Migrator::get_migration_with_status(conn)
                        .await
                        .map_err(|e| BootError(e.to_string()))?;
                    for m in list {
                        println!("{:<10} {}", format!("{:?}", m.status()), m.name());
                    }
                    Ok(())
                }
                MigrateAction::Fresh => {
                    if config.is_production() {
                        return Err(BootError("生产模式不能执行 migrate fresh".into()));
                    }
                    Migrator::fresh(conn).await
                }
            };
            res.map_err(|e| BootError(format!("迁移失败: {e}")))?;
            Ok(0)
        }
        Command::Seed { scale: Some(n), .. } => {
            let db = app::connect_unbounded(&config).await?;
            app::migrate(&config, &db).await?;
            let k = app::kernel(&config, db).await?;
            let volume = jianan_kernel::volume::Volume::district(n as usize);
            match app::seed_scale(&config, &k, &volume).await? {
                app::ScaleSeeded::AlreadyThere => {
                    println!("数据库中已有数据，未加载（--scale 只用于空数据库）");
                }
                app::ScaleSeeded::Loaded { tables, took } => {
                    println!(
                        "已加载 {n} 倍区县规模的演示数据，用时 {:.1} 秒:",
                        took.as_secs_f64()
                    );
                    for (table, rows) in tables {
                        println!("  {table:<32} {rows:>10}");
                    }
                }
            }
            Ok(0)
        }
        Command::Seed { .. } => {
            let db = app::connect_unbounded(&config).await?;
            app::migrate(&config, &db).await?;
            let k = app::kernel(&config, db).await?;
            app::seed_demo(&config, &k).await?;
            println!("演示数据已就绪");
            Ok(0)
        }
        Command::Account {
            action:
                AccountAction::Create {
                    username,
                    password,
                    display_name,
                    roles,
                },
        } => {
            let db = app::connect_unbounded(&config).await?;
            app::migrate(&config, &db).await?;
            let k = app::kernel(&config, db).await?;
            let roles = roles
                .iter()
                .map(|r| {
                    Role::parse(&r.to_uppercase()).ok_or_else(|| BootError(format!("未知角色 {r}")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let input = jianan_registry::service::account::NewAccount {
                display_name: display_name.unwrap_or_else(|| username.clone()),
                username,
                kind: None,
                password,
                roles,
                org_unit_id: None,
                enterprise_id: None,
                phone: None,
                idempotency_key: None,
            };
            let a =
                jianan_registry::service::account::create(&k, &RequestInfo::system("cli"), input)
                    .await
                    .map_err(|e| {
                        BootError(match e.field {
                            Some(f) => format!("{f}: {}", e.message),
                            None => e.message,
                        })
                    })?;
            println!("已创建账号 {} ({})", a.username, a.id);
            Ok(0)
        }
        Command::Attachments {
            action: AttachmentsAction::Sweep { grace_hours },
        } => {
            let db = app::connect_unbounded(&config).await?;
            let hours = grace_hours.unwrap_or(config.attachment_orphan_grace_hours);
            let cutoff = jianan_kernel::attachments::orphan_cutoff(hours);
            let store = jianan_kernel::attachments::AttachmentStore::open(
                &config.object_store,
                jianan_kernel::attachments::UploadLimits::default(),
            )?;
            let report = store.sweep_orphans(&db.conn, cutoff).await?;
            println!(
                "已检查 {} 个文件，删除无引用且超过 {hours} 小时的 {} 个",
                report.listed, report.deleted
            );
            Ok(0)
        }
        Command::Audit {
            action: AuditAction::Anchor { out },
        } => {
            let db = app::connect_unbounded(&config).await?;
            let dir = out.unwrap_or_else(|| config.audit_anchor_dir.clone());
            let (path, anchor) = app::write_anchor(&db, &dir).await?;
            println!(
                "{}",
                serde_json::to_string_pretty(&anchor).map_err(|e| BootError(e.to_string()))?
            );
            eprintln!("审计锚点已写入 {}", path.display());
            Ok(0)
        }
        Command::Audit {
            action: AuditAction::Verify { anchors },
        } => {
            let db = app::connect_unbounded(&config).await?;
            let key = app::audit_key(&config)?;
            let dir = anchors.unwrap_or_else(|| config.audit_anchor_dir.clone());
            let (anchors, unreadable) = jianan_kernel::audit::read_anchors(&dir);
            let mut report = jianan_kernel::audit::verify(&db.conn, &key, &anchors).await?;
            report.problems.extend(unreadable);
            if report.is_intact() {
                println!(
                    "审计链完整：共 {} 条记录，与 {} 个签名锚点相符",
                    report.records, report.anchors
                );
                Ok(0)
            } else {
                println!("审计链被破坏（共 {} 条记录）：", report.records);
                for p in &report.problems {
                    println!("  - {p}");
                }
                Ok(1)
            }
        }
        Command::Schema => Ok(0),
    }
}
