//! The operations the benchmark measures (issue #14): each module's headline reads and writes,
//! as the commission's front ends, the mobile app, the public and the bureau send them.
use serde_json::{Value, json};

/// Who sends an operation.
#[derive(Clone, Debug)]
pub enum Caller {
    /// A demo login.
    User(&'static str),
    /// The Market Supervision Bureau's service account.
    Bureau,
    /// Nobody logged in (the public).
    Anonymous,
}

/// What the operation is held to (issue #14, item 3).
#[derive(Clone, Copy, Debug)]
pub enum Target {
    /// Within this many times its own SQL floor measured in the same run.
    FloorRatio(f64),
    /// p99 under this many milliseconds.
    P99Ms(f64),
    /// At least this many requests per second on PostgreSQL.
    ThroughputPg(f64),
    None,
}

impl Target {
    pub fn describe(&self) -> String {
        match self {
            Target::FloorRatio(r) => format!("≤ {r}× SQL floor"),
            Target::P99Ms(ms) => format!("p99 < {ms} ms"),
            Target::ThroughputPg(n) => format!("≥ {n}/s on PostgreSQL"),
            Target::None => "—".into(),
        }
    }
}

/// One operation.
#[derive(Clone, Debug)]
pub struct Op {
    pub key: &'static str,
    pub name: &'static str,
    pub caller: Caller,
    pub query: String,
    pub variables: Value,
    /// A write: each request gets fresh variables from [`Op::request_variables`], and no SQL
    /// floor is measured (replaying its inserts would collide with the rows they made).
    pub write: bool,
    pub target: Target,
}

impl Op {
    /// The variables of request number `n` of this run (writes need a fresh idempotency key).
    pub fn request_variables(&self, run: &str, n: u64) -> Value {
        if !self.write {
            return self.variables.clone();
        }
        let mut v = self.variables.clone();
        if let Some(input) = v.get_mut("input").and_then(Value::as_object_mut)
            && input.contains_key("idempotencyKey")
        {
            let key = format!("bench-{run}-{n}");
            if input.contains_key("findings") {
                // The key in the text too, so a lost or doubled write can be counted in the
                // database afterwards (the kill test).
                input.insert("findings".into(), json!(format!("基准测试督查 {key}")));
            }
            input.insert("idempotencyKey".into(), json!(key));
        }
        v
    }
}

/// The records the operations are about, looked up in the seeded data before the run.
#[derive(Clone, Debug)]
pub struct Context {
    pub township_id: String,
    pub project_id: String,
    pub uscc: String,
    pub inspector_id: String,
    pub general_category: String,
    pub today: String,
    pub year_start: String,
    pub year_end: String,
}

pub const Q1: &str = "query($t: ID!) { hazards(first: 50, filter: {townshipId: $t, statuses: [ASSIGNED, RECTIFYING, SUBMITTED]}) {
  totalCount
  edges { node { id level description location status deadlineAt overdue reportedAt
    project { code name township { name } }
    responsibleEnterprise { name uscc }
    photos { id fileName mediaType sizeBytes url } } }
  pageInfo { endCursor hasNextPage } } }";

pub const Q2: &str = "query($p: ID!, $today: Date!) {
  project: node(id: $p) { ... on Project { code name status township { name } } }
  openMajor: hazards(first: 1, filter: {projectId: $p, levels: [MAJOR], statuses: [REPORTED, ASSIGNED, RECTIFYING, SUBMITTED]}) { totalCount }
  openGeneral: hazards(first: 1, filter: {projectId: $p, levels: [GENERAL], statuses: [REPORTED, ASSIGNED, RECTIFYING, SUBMITTED]}) { totalCount }
  inspections(projectId: $p, first: 10) { edges { node { id kind inspectedAt result
    inspectors { id displayName } score { total rating } } } }
  monthly: obligationCompliance(code: \"inspections.enterprise_monthly\", date: $today, subjectId: $p) {
    period metCount missedCount subjects { label count required met } } }";

pub const Q3: &str = "query($u: String!) {
  creditRestrictions(uscc: $u) { uscc level score restrictions { kind until basis } }
  creditProfile(uscc: $u) { uscc score level currentYear years { year base score level
    entries { points ruleCode reason occurredAt } } } }";

pub const Q4: &str = "query($from: DateTime!, $to: DateTime!) {
  hazardStatistics(from: $from, to: $to) { total overdueOpen
    byLevel { level count } byStatus { status count } byTownship { townshipId count }
    byMonth { month count }
    rectificationTime { p50Hours p90Hours } } }";

pub const Q5: &str = "{ projects(first: 50) { totalCount edges { node { code name status
  township { name } participants { role enterprise { name uscc } } keyPersons { role name phone } } }
  pageInfo { endCursor } } }";

pub const W1: &str = "mutation($input: RecordInspectionInput!) { recordInspection(input: $input) {
  inspection { id hazards { id } } } }";

pub const W2: &str = "mutation($input: SubmitReportInput!) { submitReport(input: $input) {
  receiptCode status acceptDueAt } }";

pub const FEED: &str = "query($after: String) { creditChanges(first: 500, after: $after) {
  edges { node { seq changeId kind subjectKind uscc person recordType recordId summary occurredAt } }
  pageInfo { endCursor hasNextPage } } }";

/// Every operation of the run.
pub fn all(c: &Context) -> Vec<Op> {
    let hazards: Vec<Value> = (0..5)
        .map(|i| {
            json!({ "level": "GENERAL", "category": c.general_category,
                "description": format!("基准测试隐患{i}：临边防护缺失"), "location": format!("{i}号楼") })
        })
        .collect();
    vec![
        Op {
            key: "Q1",
            name: "hazards page (50) of a township by status, with project, enterprise, photos",
            caller: Caller::User("admin"),
            query: Q1.into(),
            variables: json!({ "t": c.township_id }),
            write: false,
            target: Target::FloorRatio(3.0),
        },
        Op {
            key: "Q2",
            name: "a project's dashboard: open hazards by level, last 10 inspections, this month's compliance",
            caller: Caller::User("admin"),
            query: Q2.into(),
            variables: json!({ "p": c.project_id, "today": c.today }),
            write: false,
            target: Target::FloorRatio(3.0),
        },
        Op {
            key: "Q3",
            name: "creditRestrictions and creditProfile of one code",
            caller: Caller::User("admin"),
            query: Q3.into(),
            variables: json!({ "u": c.uscc }),
            write: false,
            target: Target::FloorRatio(3.0),
        },
        Op {
            key: "Q4",
            name: "district overview of a year (hazard statistics)",
            caller: Caller::User("admin"),
            query: Q4.into(),
            variables: json!({ "from": c.year_start, "to": c.year_end }),
            write: false,
            target: Target::P99Ms(200.0),
        },
        Op {
            key: "Q5",
            name: "the admin's wide projects page (50)",
            caller: Caller::User("admin"),
            query: Q5.into(),
            variables: json!({}),
            write: false,
            target: Target::FloorRatio(3.0),
        },
        Op {
            key: "W1",
            name: "an inspection with five findings that become hazards",
            caller: Caller::User("inspector"),
            query: W1.into(),
            variables: json!({ "input": {
                "projectId": c.project_id, "kind": "DEPARTMENT_SUPERVISION",
                "inspectedAt": chrono::Utc::now().to_rfc3339(),
                "inspectorIds": [c.inspector_id],
                "findings": "基准测试：督查发现五处隐患", "result": "RECTIFY",
                "hazards": hazards, "idempotencyKey": "set-per-request" } }),
            write: true,
            target: Target::ThroughputPg(300.0),
        },
        Op {
            key: "W2",
            name: "an anonymous report from the public",
            caller: Caller::Anonymous,
            query: W2.into(),
            variables: json!({ "input": {
                "category": "GENERAL_HAZARD", "channel": "MOBILE",
                "description": "工地围挡倒塌，无人处理", "townshipId": c.township_id,
                "address": "武隆区某工地东门" } }),
            write: true,
            target: Target::None,
        },
    ]
}
