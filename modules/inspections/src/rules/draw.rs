//! Verifiable random draw for double-random checks (双随机、一公开).
//!
//! "Double random": the check targets are drawn at random, and the inspectors sent to each target
//! are drawn at random from the pool of enforcement officers (随机抽取检查对象、随机选派执法检查人员,
//! 《国务院办公厅关于推广随机抽查规范事中事后监管的通知》国办发〔2015〕58号 二（二）). "One public":
//! the input, the seed and the result are published, so anyone can re-run the draw and get the
//! same result. This module is pure: no I/O, no clock, no OS randomness. The caller generates the
//! seed (32 bytes from a CSPRNG) and stores/publishes the documents.
//!
//! # Protocol (commit–reveal), `jianan-draw-v2`
//!
//! 1. Before the draw: fix the pools, the parameters and the draw date, generate a 32-byte seed,
//!    and publish `commitment = hex(SHA-256(seed_bytes ‖ input_digest))` ([`commitment_of`]):
//!    `input_digest` is the 32-byte SHA-256 of the canonical input document ([`canonical_json`]),
//!    whose lower-case hex is [`input_hash`]. The commitment therefore covers both the seed and
//!    the input: after it is published neither the seed nor the pools, counts, conflicts or date
//!    can change without the published values failing the check.
//! 2. Run [`draw`].
//! 3. After the draw: publish the seed, the canonical input document and the [`DrawResult`].
//!    Anyone checks `SHA-256(seed_bytes ‖ SHA-256(document)) = commitment`
//!    ([`verify_commitment_of`]) and re-runs the draw with [`verify`] (or re-implements it from
//!    this documentation, see the Python reference below).
//!
//! Draws committed before v2 have no date (`DrawInput::date` is `None`) and were committed under
//! `jianan-draw-v1`: `commitment = hex(SHA-256(seed_bytes))` ([`commitment`]) and a document that
//! carries the seed instead of the date (see [`canonical_json`]). They stay verifiable as they were
//! committed; the drawing algorithm is the same in both versions.
//!
//! Limitation: commit–reveal proves the seed and the input were not changed after the commitment
//! was published; it cannot prove the commission did not try several seeds privately before
//! committing. Where that matters, generate the seed in a witnessed ceremony or mix in public
//! future entropy before calling this module.
//!
//! # Seed
//!
//! `seed_hex` is exactly 64 hex digits (upper or lower case accepted), i.e. 32 bytes
//! `seed_bytes`. Anything else is [`DrawError::BadSeed`]. Hex output of this module (commitment,
//! hashes) is always lower case; the verifiers compare case-insensitively.
//!
//! # Canonical input document ([`canonical_json`])
//!
//! * Inspectors and targets are each sorted ascending by id. Uuid order is the order of the 16
//!   bytes, which is the same as the lexicographic order of the lower-case hyphenated strings.
//!   (Ties between duplicate ids — invalid input — are broken by weight.)
//! * Conflicts are sorted ascending by `(inspector, target)` and exact duplicate pairs removed.
//!   Pairs naming ids that are not in the pools are kept (they are harmless).
//! * The document is one line of ASCII JSON, no whitespace anywhere, no trailing newline, keys in
//!   exactly this order (v2):
//!
//! ```text
//! {"v":"jianan-draw-v2","date":"<YYYY-MM-DD>","target_count":<u32>,"team_size":<u32>,
//!  "inspectors":[{"id":"<uuid>","weight":<u32>},...],"targets":[{"id":"<uuid>","weight":<u32>},...],
//!  "conflicts":[["<inspector uuid>","<target uuid>"],...]}
//! ```
//!
//!   (shown wrapped here; the real document has no line breaks). `date` is the draw date, a
//!   Beijing-time calendar date. Uuids are lower-case hyphenated
//!   (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`), integers are plain decimal. This is byte-identical
//!   to Python's `json.dumps(doc, separators=(",", ":"))` of a dict built in that key order.
//!   The v1 document is the same with `"v":"jianan-draw-v1","seed":"<seed_hex in lower case>"` in
//!   place of `"v"` and `"date"`.
//! * `input_hash = hex(SHA-256(canonical_json bytes))`.
//!
//! # Validation (checked in this order, first failure wins)
//!
//! 1. seed is 32 bytes of hex → else `BadSeed`;
//! 2. `team_size >= 2` (at least two inspectors per check) → else `TeamTooSmall`;
//! 3. canonical inspectors, then canonical targets, walked in order: an id equal to the previous
//!    id → `DuplicateCandidate(id)`; otherwise weight 0 → `ZeroWeight(id)`;
//! 4. `target_count <= number of targets` → else `NotEnoughTargets`;
//! 5. during step B below: fewer than `team_size` eligible inspectors for a target →
//!    `NotEnoughInspectors { target }` (the first such target in selection order).
//!
//! [`check_staffing`] checks before the commitment that step 5 cannot fail whichever targets are
//! drawn.
//!
//! # Random stream
//!
//! 1. `block_i = SHA-256(seed_bytes ‖ b"jianan-draw-v1" ‖ u64_be(i))` for `i = 0, 1, 2, …`
//!    (32 + 14 + 8 = 54 bytes hashed; `u64_be` is the 8-byte big-endian encoding). The tag is
//!    the algorithm's, unchanged in v2.
//! 2. The stream is `block_0 ‖ block_1 ‖ …`; words are taken 8 bytes at a time as big-endian
//!    `u64`: `block_0[0..8]`, `block_0[8..16]`, `block_0[16..24]`, `block_0[24..32]`,
//!    `block_1[0..8]`, … Every word is consumed exactly once, in this order, by the whole draw
//!    (targets first, then teams).
//! 3. `uniform(n)` for `n >= 1`: `limit = floor(2^64 / n) * n` (computed exactly, e.g. in 128-bit
//!    arithmetic; it equals 2^64 when `n` is a power of two). Repeat: take the next word `x`; if
//!    `x < limit` return `x mod n`, otherwise discard `x` and take another (rejection sampling,
//!    no modulo bias). Note `uniform(1)` still consumes one word.
//! 4. `pick(pool)` — weighted pick that removes the winner from `pool` (a list kept in canonical
//!    order): `total = Σ weight` over `pool`; `r = uniform(total)`; walk `pool` in order: if
//!    `r < weight` the current element is the winner, else `r -= weight` and continue. Remove the
//!    winner (the remaining elements keep their order) and return it. With all weights 1 this is
//!    plain uniform sampling: the winner is the element at index `uniform(len)`.
//!
//! # Algorithm
//!
//! * A. Targets: `remaining = canonical targets`; repeat `target_count` times:
//!   `selected.push(pick(remaining))`. Weighted sampling without replacement; a weight-3 target
//!   has three times the chance of a weight-1 target at each step (risk/credit weighting).
//! * B. Teams: for each selected target `t`, in selection order: `eligible = canonical inspectors
//!   without a conflict (inspector, t)`, in canonical order; if `len(eligible) < team_size` →
//!   `NotEnoughInspectors { target: t }`; otherwise the team is `team_size` successive
//!   `pick(eligible)`, listed in pick order. Inspector weights are honoured by `pick` the same way
//!   as target weights; with weight 1 for everyone (the normal case) this is uniform sampling
//!   without replacement. Members of one team are distinct; the same inspector MAY serve on
//!   several teams within one draw (each team starts again from all eligible inspectors).
//! * C. Output: [`DrawResult`] `{ assignments: [{ target, inspectors }] in selection order,
//!   input_hash }`.
//!
//! # Python reference implementation
//!
//! Reproduces [`draw`] and [`commitment_of`] for valid v2 input (validation omitted). Ids are
//! lower-case hyphenated uuid strings, `date` is `"YYYY-MM-DD"`; it returns the same structure as
//! the JSON serialisation of [`DrawResult`], and the commitment. It has been checked against this
//! Rust implementation (see the `python_reference_vector` test).
//!
//! ```python
//! import hashlib, json
//!
//! def draw(seed_hex, date, inspectors, targets, target_count, team_size, conflicts):
//!     """inspectors/targets: [(uuid_str, weight)]; conflicts: [(inspector, target)]."""
//!     seed = bytes.fromhex(seed_hex)
//!     ins, tgs = sorted(inspectors), sorted(targets)
//!     cfs = sorted(set(conflicts))
//!     doc = {"v": "jianan-draw-v2", "date": date, "target_count": target_count,
//!            "team_size": team_size,
//!            "inspectors": [{"id": i, "weight": w} for i, w in ins],
//!            "targets": [{"id": i, "weight": w} for i, w in tgs],
//!            "conflicts": [[i, t] for i, t in cfs]}
//!     digest = hashlib.sha256(json.dumps(doc, separators=(",", ":")).encode()).digest()
//!     commitment = hashlib.sha256(seed + digest).hexdigest()
//!     words, block = [], [0]
//!     def u64():
//!         if not words:
//!             d = hashlib.sha256(seed + b"jianan-draw-v1" + block[0].to_bytes(8, "big")).digest()
//!             block[0] += 1
//!             words.extend(int.from_bytes(d[k:k + 8], "big") for k in range(0, 32, 8))
//!         return words.pop(0)
//!     def uniform(n):
//!         limit = (2**64 // n) * n
//!         while True:
//!             x = u64()
//!             if x < limit:
//!                 return x % n
//!     def pick(pool):  # weighted pick; removes the winner from pool
//!         r = uniform(sum(w for _, w in pool))
//!         for k, (cid, w) in enumerate(pool):
//!             if r < w:
//!                 return pool.pop(k)[0]
//!             r -= w
//!     remaining = list(tgs)
//!     chosen = [pick(remaining) for _ in range(target_count)]
//!     out = []
//!     for t in chosen:
//!         eligible = [c for c in ins if (c[0], t) not in cfs]
//!         out.append({"target": t, "inspectors": [pick(eligible) for _ in range(team_size)]})
//!     return {"assignments": out, "input_hash": digest.hex()}, commitment
//! ```

use std::collections::{BTreeSet, VecDeque};
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// Domain-separation tag mixed into every stream block (the drawing algorithm's version, the same
/// in both protocol versions), and the `"v"` of a legacy v1 document.
pub const DRAW_VERSION: &str = "jianan-draw-v1";

/// The protocol of draws with a date: the `"v"` of their canonical document; the commitment
/// covers the seed and the document's SHA-256.
pub const PROTOCOL_V2: &str = "jianan-draw-v2";

/// At least two inspectors per check.
pub const MIN_TEAM_SIZE: u32 = 2;

/// Seed length in bytes (64 hex digits).
pub const SEED_LEN: usize = 32;

/// A target (enterprise/project) or an inspector in a draw pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub id: Uuid,
    /// ≥ 1; 1 = unweighted. Risk/credit weighting multiplies the chance of being picked.
    pub weight: u32,
}

/// Everything the draw depends on. Published (with the seed) after the draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawInput {
    /// 64 hex digits = 32 random bytes.
    pub seed_hex: String,
    /// The draw date (Beijing time), part of the v2 canonical document. `None` only for draws
    /// committed under the legacy v1 protocol.
    #[serde(default)]
    pub date: Option<NaiveDate>,
    pub inspectors: Vec<Candidate>,
    pub targets: Vec<Candidate>,
    pub target_count: u32,
    pub team_size: u32,
    /// `(inspector, target)` pairs: the inspector must recuse from that target.
    pub conflicts: Vec<(Uuid, Uuid)>,
}

/// One check: a target and its inspection team (in pick order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub target: Uuid,
    pub inspectors: Vec<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawResult {
    /// In target selection order.
    pub assignments: Vec<Assignment>,
    /// Lower-case hex SHA-256 of [`canonical_json`].
    pub input_hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DrawError {
    /// The seed is not 64 hex digits (32 bytes).
    BadSeed,
    /// `team_size` < 2.
    TeamTooSmall,
    /// The whole inspector pool is smaller than one team.
    PoolTooSmall { have: usize, need: u32 },
    /// `target_count` exceeds the number of targets.
    NotEnoughTargets,
    /// Fewer than `team_size` inspectors without a conflict for this target.
    NotEnoughInspectors { target: Uuid },
    /// The same id appears twice in the inspector pool or twice in the target pool.
    DuplicateCandidate(Uuid),
    /// A candidate has weight 0.
    ZeroWeight(Uuid),
}

impl DrawError {
    /// Message for Chinese-language users.
    pub fn message_zh(&self) -> String {
        match self {
            Self::BadSeed => "随机种子格式错误：须为 64 位十六进制字符（32 字节）".to_owned(),
            Self::TeamTooSmall => "每个检查组至少需要 2 名执法检查人员".to_owned(),
            Self::PoolTooSmall { have, need } => {
                format!("执法检查人员名录只有{have}人，不足以组成每组{need}人的检查组")
            }
            Self::NotEnoughTargets => "抽取数量超过检查对象名录中的对象数量".to_owned(),
            Self::NotEnoughInspectors { target } => {
                format!("检查对象 {target} 回避后可选的执法检查人员不足，无法组成检查组")
            }
            Self::DuplicateCandidate(id) => format!("名录中存在重复的记录：{id}"),
            Self::ZeroWeight(id) => format!("名录记录 {id} 的抽取权重为 0（权重须不小于 1）"),
        }
    }
}

impl fmt::Display for DrawError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadSeed => f.write_str("seed must be 64 hex digits (32 bytes)"),
            Self::TeamTooSmall => write!(f, "team size must be at least {MIN_TEAM_SIZE}"),
            Self::PoolTooSmall { have, need } => {
                write!(f, "{have} inspectors cannot form a team of {need}")
            }
            Self::NotEnoughTargets => f.write_str("target count exceeds the number of targets"),
            Self::NotEnoughInspectors { target } => {
                write!(f, "not enough eligible inspectors for target {target}")
            }
            Self::DuplicateCandidate(id) => write!(f, "duplicate candidate {id}"),
            Self::ZeroWeight(id) => write!(f, "candidate {id} has weight 0"),
        }
    }
}

impl std::error::Error for DrawError {}

fn parse_seed(seed_hex: &str) -> Result<[u8; SEED_LEN], DrawError> {
    let bytes = hex::decode(seed_hex).map_err(|_| DrawError::BadSeed)?;
    <[u8; SEED_LEN]>::try_from(bytes.as_slice()).map_err(|_| DrawError::BadSeed)
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The legacy v1 commitment `hex(SHA-256(seed_bytes))`, lower case: it covers the seed only.
/// New draws publish [`commitment_of`].
pub fn commitment(seed_hex: &str) -> Result<String, DrawError> {
    parse_seed(seed_hex).map(|seed| sha256_hex(&seed))
}

/// Whether `seed_hex` is a valid seed whose legacy v1 commitment is `commitment` (hex compared
/// case-insensitively).
pub fn verify_commitment(seed_hex: &str, commitment: &str) -> bool {
    self::commitment(seed_hex).is_ok_and(|c| c.eq_ignore_ascii_case(commitment))
}

/// The protocol `input` is committed under: [`PROTOCOL_V2`] with a date, else the legacy
/// [`DRAW_VERSION`].
pub fn protocol(input: &DrawInput) -> &'static str {
    if input.date.is_some() {
        PROTOCOL_V2
    } else {
        DRAW_VERSION
    }
}

/// The commitment to publish before the draw, lower-case hex. v2 (with a date):
/// `SHA-256(seed_bytes ‖ SHA-256(canonical_json))` — 32 + 32 bytes hashed, so the one value
/// covers the seed and the whole input; v1: [`commitment`].
pub fn commitment_of(input: &DrawInput) -> Result<String, DrawError> {
    let seed = parse_seed(&input.seed_hex)?;
    if input.date.is_none() {
        return Ok(sha256_hex(&seed));
    }
    let digest = Sha256::digest(canonical_json(input).as_bytes());
    let mut h = Sha256::new();
    h.update(seed);
    h.update(digest);
    Ok(hex::encode(h.finalize()))
}

/// Whether `commitment` (hex, any case) is [`commitment_of`] `input`: the seed and the input
/// published after the draw are those committed to before it.
pub fn verify_commitment_of(input: &DrawInput, commitment: &str) -> bool {
    commitment_of(input).is_ok_and(|c| c.eq_ignore_ascii_case(commitment))
}

/// Checks, before a draw is committed, that every target it may draw can be given a team:
/// `team_size >= 2` (`TeamTooSmall`: 执法人员不得少于两人, 《中华人民共和国行政处罚法》（2021年修订）
/// 第四十二条), the pool holds at least `team_size` distinct inspectors (`PoolTooSmall`), and for
/// every target, in canonical order, at least `team_size` of them have no conflict with it
/// (`NotEnoughInspectors`; 回避, 同法第四十三条). Once this passes, step B of [`draw`] cannot fail.
pub fn check_staffing(
    inspectors: &[Candidate],
    targets: &[Candidate],
    team_size: u32,
    conflicts: &[(Uuid, Uuid)],
) -> Result<(), DrawError> {
    if team_size < MIN_TEAM_SIZE {
        return Err(DrawError::TeamTooSmall);
    }
    let need = usize::try_from(team_size).unwrap_or(usize::MAX);
    let pool: BTreeSet<Uuid> = inspectors.iter().map(|c| c.id).collect();
    if pool.len() < need {
        return Err(DrawError::PoolTooSmall {
            have: pool.len(),
            need: team_size,
        });
    }
    let conflicts: BTreeSet<(Uuid, Uuid)> = conflicts.iter().copied().collect();
    let mut canonical: Vec<Uuid> = targets.iter().map(|t| t.id).collect();
    canonical.sort();
    canonical.dedup();
    for target in canonical {
        let eligible = pool
            .iter()
            .filter(|i| !conflicts.contains(&(**i, target)))
            .count();
        if eligible < need {
            return Err(DrawError::NotEnoughInspectors { target });
        }
    }
    Ok(())
}

struct Canonical {
    inspectors: Vec<Candidate>,
    targets: Vec<Candidate>,
    conflicts: BTreeSet<(Uuid, Uuid)>,
}

fn canonicalize(input: &DrawInput) -> Canonical {
    let sorted = |pool: &[Candidate]| {
        let mut v = pool.to_vec();
        v.sort_by(|a, b| a.id.cmp(&b.id).then(a.weight.cmp(&b.weight)));
        v
    };
    Canonical {
        inspectors: sorted(&input.inspectors),
        targets: sorted(&input.targets),
        conflicts: input.conflicts.iter().copied().collect(),
    }
}

fn render_json(input: &DrawInput, canon: &Canonical) -> String {
    fn pool(out: &mut String, pool: &[Candidate]) {
        out.push('[');
        for (k, c) in pool.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            out.push_str(&format!(
                r#"{{"id":"{}","weight":{}}}"#,
                c.id.hyphenated(),
                c.weight
            ));
        }
        out.push(']');
    }
    let mut out = match input.date {
        // v2: the date, never the seed (the seed stays secret until published; the commitment
        // covers the document's hash).
        Some(date) => format!(
            r#"{{"v":"{PROTOCOL_V2}","date":"{}","target_count":{},"team_size":{},"inspectors":"#,
            date.format("%Y-%m-%d"),
            input.target_count,
            input.team_size
        ),
        None => {
            // v1. A valid seed is plain hex; JSON-escaping only matters for invalid input, which
            // `draw` rejects, but it keeps the document well-formed whatever the caller passed.
            let seed = serde_json::Value::String(input.seed_hex.to_ascii_lowercase()).to_string();
            format!(
                r#"{{"v":"{DRAW_VERSION}","seed":{seed},"target_count":{},"team_size":{},"inspectors":"#,
                input.target_count, input.team_size
            )
        }
    };
    pool(&mut out, &canon.inspectors);
    out.push_str(r#","targets":"#);
    pool(&mut out, &canon.targets);
    out.push_str(r#","conflicts":["#);
    for (k, (inspector, target)) in canon.conflicts.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            r#"["{}","{}"]"#,
            inspector.hyphenated(),
            target.hyphenated()
        ));
    }
    out.push_str("]}");
    out
}

/// The canonical, published input document (format in the module docs). Meaningful for valid
/// input; for invalid input it is still well-formed JSON but [`draw`] rejects the input.
pub fn canonical_json(input: &DrawInput) -> String {
    render_json(input, &canonicalize(input))
}

/// Lower-case hex SHA-256 of [`canonical_json`]; equals [`DrawResult::input_hash`]. Can be
/// published together with the seed commitment to bind the pools before the draw.
pub fn input_hash(input: &DrawInput) -> String {
    sha256_hex(canonical_json(input).as_bytes())
}

fn validate_pool(pool: &[Candidate]) -> Result<(), DrawError> {
    let mut previous: Option<Uuid> = None;
    for c in pool {
        if previous == Some(c.id) {
            return Err(DrawError::DuplicateCandidate(c.id));
        }
        if c.weight == 0 {
            return Err(DrawError::ZeroWeight(c.id));
        }
        previous = Some(c.id);
    }
    Ok(())
}

/// SHA-256 counter-mode stream (see "Random stream" in the module docs).
struct Stream {
    seed: [u8; SEED_LEN],
    next_block: u64,
    words: VecDeque<u64>,
}

impl Stream {
    fn new(seed: [u8; SEED_LEN]) -> Self {
        Self {
            seed,
            next_block: 0,
            words: VecDeque::with_capacity(4),
        }
    }

    fn refill(&mut self) {
        let mut hasher = Sha256::new();
        hasher.update(self.seed);
        hasher.update(DRAW_VERSION.as_bytes());
        hasher.update(self.next_block.to_be_bytes());
        let block = hasher.finalize();
        self.next_block = self.next_block.wrapping_add(1);
        for chunk in block.chunks_exact(8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.words.push_back(u64::from_be_bytes(word));
        }
    }

    fn next_u64(&mut self) -> u64 {
        loop {
            if let Some(word) = self.words.pop_front() {
                return word;
            }
            self.refill();
        }
    }

    /// Uniform in `0..n` by rejection sampling. `n = 0` is treated as 1 (never happens: pools
    /// are non-empty and weights ≥ 1).
    fn uniform(&mut self, n: u64) -> u64 {
        let n = n.max(1);
        let limit = ((1u128 << 64) / u128::from(n)) * u128::from(n);
        loop {
            let x = self.next_u64();
            if u128::from(x) < limit {
                return x % n;
            }
        }
    }

    /// Weighted pick; removes the winner from `pool`. `None` only if `pool` is empty.
    fn pick(&mut self, pool: &mut Vec<Candidate>) -> Option<Uuid> {
        if pool.is_empty() {
            return None;
        }
        // Cannot overflow in practice: it would take more than 2^32 candidates.
        let total = pool
            .iter()
            .fold(0u64, |acc, c| acc.saturating_add(u64::from(c.weight)));
        let mut r = self.uniform(total);
        let mut winner = pool.len() - 1;
        for (k, c) in pool.iter().enumerate() {
            let w = u64::from(c.weight);
            if r < w {
                winner = k;
                break;
            }
            r -= w;
        }
        Some(pool.remove(winner).id)
    }
}

/// Run the draw. Pure and deterministic: the same input always gives the same result.
pub fn draw(input: &DrawInput) -> Result<DrawResult, DrawError> {
    let seed = parse_seed(&input.seed_hex)?;
    if input.team_size < MIN_TEAM_SIZE {
        return Err(DrawError::TeamTooSmall);
    }
    let canon = canonicalize(input);
    validate_pool(&canon.inspectors)?;
    validate_pool(&canon.targets)?;
    let target_count = usize::try_from(input.target_count).unwrap_or(usize::MAX);
    if target_count > canon.targets.len() {
        return Err(DrawError::NotEnoughTargets);
    }
    let team_size = usize::try_from(input.team_size).unwrap_or(usize::MAX);

    let mut stream = Stream::new(seed);

    // A. Targets: weighted sampling without replacement.
    let mut remaining = canon.targets.clone();
    let mut selected = Vec::with_capacity(target_count);
    for _ in 0..target_count {
        let target = stream
            .pick(&mut remaining)
            .ok_or(DrawError::NotEnoughTargets)?;
        selected.push(target);
    }

    // B. Teams: per target, distinct members among the inspectors without a conflict.
    let mut assignments = Vec::with_capacity(selected.len());
    for target in selected {
        let mut eligible: Vec<Candidate> = canon
            .inspectors
            .iter()
            .filter(|c| !canon.conflicts.contains(&(c.id, target)))
            .cloned()
            .collect();
        if eligible.len() < team_size {
            return Err(DrawError::NotEnoughInspectors { target });
        }
        let mut team = Vec::with_capacity(team_size);
        for _ in 0..team_size {
            let member = stream
                .pick(&mut eligible)
                .ok_or(DrawError::NotEnoughInspectors { target })?;
            team.push(member);
        }
        assignments.push(Assignment {
            target,
            inspectors: team,
        });
    }

    // C. Output.
    let input_hash = sha256_hex(render_json(input, &canon).as_bytes());
    Ok(DrawResult {
        assignments,
        input_hash,
    })
}

/// Re-run the draw and compare with a published result (assignments, order and input hash).
/// `false` if the input is invalid. Check the seed against the pre-draw commitment separately
/// with [`verify_commitment`].
pub fn verify(input: &DrawInput, published: &DrawResult) -> bool {
    draw(input).is_ok_and(|result| result == *published)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::collections::{HashMap, HashSet};

    use super::*;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn c(n: u128, weight: u32) -> Candidate {
        Candidate { id: id(n), weight }
    }

    /// Deterministic test seeds: hex(SHA-256("jianan-draw-test" ‖ u64_be(k))).
    fn seed(k: u64) -> String {
        let mut h = Sha256::new();
        h.update(b"jianan-draw-test");
        h.update(k.to_be_bytes());
        hex::encode(h.finalize())
    }

    /// 12 inspectors (ids 0x100..), 20 targets (ids 0x200..) with mixed weights, and conflicts.
    fn pool_input(seed_hex: String) -> DrawInput {
        let inspectors = (0..12).map(|k| c(0x100 + k, 1)).collect();
        let targets = (0..20).map(|k| c(0x200 + k, 1 + (k % 3) as u32)).collect();
        let mut conflicts = Vec::new();
        for k in 0..20u128 {
            // Each target has 3–4 conflicted inspectors.
            for j in 0..12u128 {
                if (j * 7 + k * 3) % 11 < 3 {
                    conflicts.push((id(0x100 + j), id(0x200 + k)));
                }
            }
        }
        DrawInput {
            seed_hex,
            date: None,
            inspectors,
            targets,
            target_count: 6,
            team_size: 3,
            conflicts,
        }
    }

    #[test]
    fn same_input_same_result() {
        let input = pool_input(seed(1));
        let a = draw(&input).unwrap();
        let b = draw(&input.clone()).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.assignments.len(), 6);
        assert!(verify(&input, &a));
    }

    #[test]
    fn input_order_does_not_matter() {
        let input = pool_input(seed(2));
        let mut shuffled = input.clone();
        shuffled.inspectors.reverse();
        shuffled.targets.rotate_left(7);
        shuffled.conflicts.reverse();
        shuffled.conflicts.push(shuffled.conflicts[0]); // duplicate conflict pair is harmless
        assert_eq!(canonical_json(&input), canonical_json(&shuffled));
        assert_eq!(draw(&input).unwrap(), draw(&shuffled).unwrap());
        // Upper-case seed is the same seed.
        shuffled.seed_hex = shuffled.seed_hex.to_ascii_uppercase();
        assert_eq!(draw(&input).unwrap(), draw(&shuffled).unwrap());
    }

    #[test]
    fn different_seed_different_result() {
        let a = draw(&pool_input(seed(1))).unwrap();
        let b = draw(&pool_input(seed(2))).unwrap();
        assert_ne!(a.assignments, b.assignments);
        assert_ne!(a.input_hash, b.input_hash);
    }

    #[test]
    fn conflicts_respected_teams_distinct_over_200_seeds() {
        let mut inspector_reused = false;
        for k in 0..200 {
            let input = pool_input(seed(k));
            let conflicts: HashSet<(Uuid, Uuid)> = input.conflicts.iter().copied().collect();
            let result = draw(&input).unwrap();
            assert_eq!(result.assignments.len(), input.target_count as usize);
            let targets: HashSet<Uuid> = result.assignments.iter().map(|a| a.target).collect();
            assert_eq!(targets.len(), result.assignments.len(), "targets distinct");
            let mut seen = HashSet::new();
            for a in &result.assignments {
                assert_eq!(a.inspectors.len(), input.team_size as usize);
                let members: HashSet<Uuid> = a.inspectors.iter().copied().collect();
                assert_eq!(members.len(), a.inspectors.len(), "team members distinct");
                for i in &a.inspectors {
                    assert!(!conflicts.contains(&(*i, a.target)), "conflict violated");
                    assert!(input.inspectors.iter().any(|c| c.id == *i));
                    inspector_reused |= !seen.insert(*i);
                }
            }
        }
        // 6 teams of 3 from 12 inspectors: serving on several teams must occur (and is allowed).
        assert!(inspector_reused);
    }

    #[test]
    fn weights_multiply_chances() {
        // One target out of A (weight 3), B, C, D (weight 1): P(A) = 1/2, P(B) = 1/6.
        let mut counts: HashMap<Uuid, u32> = HashMap::new();
        for k in 0..2000 {
            let input = DrawInput {
                seed_hex: seed(10_000 + k),
                date: None,
                inspectors: vec![c(1, 1), c(2, 1)],
                targets: vec![c(0xA, 3), c(0xB, 1), c(0xC, 1), c(0xD, 1)],
                target_count: 1,
                team_size: 2,
                conflicts: vec![],
            };
            let result = draw(&input).unwrap();
            *counts.entry(result.assignments[0].target).or_default() += 1;
        }
        let a = f64::from(counts[&id(0xA)]);
        let b = f64::from(counts[&id(0xB)]);
        let ratio = a / b;
        assert!(
            (2.4..3.7).contains(&ratio),
            "ratio {ratio}, counts {counts:?}"
        );
        assert!((900.0..1100.0).contains(&a), "A chosen {a} times");
    }

    #[test]
    fn verify_rejects_tampering() {
        let input = pool_input(seed(3));
        let published = draw(&input).unwrap();
        assert!(verify(&input, &published));

        let mut swapped = published.clone();
        swapped.assignments[0].inspectors.swap(0, 1);
        assert!(!verify(&input, &swapped));

        let mut replaced = published.clone();
        let outsider = input
            .inspectors
            .iter()
            .map(|c| c.id)
            .find(|i| !replaced.assignments[0].inspectors.contains(i))
            .unwrap();
        replaced.assignments[0].inspectors[0] = outsider;
        assert!(!verify(&input, &replaced));

        let mut dropped = published.clone();
        dropped.assignments.pop();
        assert!(!verify(&input, &dropped));

        let mut hash = published.clone();
        hash.input_hash = sha256_hex(b"something else");
        assert!(!verify(&input, &hash));

        // Same result claimed for a changed pool (e.g. a target quietly removed).
        let mut other = input.clone();
        other
            .targets
            .retain(|t| t.id != published.assignments[0].target);
        assert!(!verify(&other, &published));
    }

    #[test]
    fn commitment_round_trip() {
        let s = seed(4);
        let com = commitment(&s).unwrap();
        assert_eq!(com.len(), 64);
        assert!(verify_commitment(&s, &com));
        assert!(verify_commitment(
            &s.to_ascii_uppercase(),
            &com.to_ascii_uppercase()
        ));
        assert!(!verify_commitment(&seed(5), &com));
        assert!(!verify_commitment("zz", &com));
        // Known vector (Python: hashlib.sha256(bytes(range(32))).hexdigest()).
        let fixed = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
        assert_eq!(
            commitment(fixed).unwrap(),
            "630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd"
        );
    }

    #[test]
    fn errors() {
        let ok = pool_input(seed(6));
        let with = |f: &dyn Fn(&mut DrawInput)| {
            let mut i = ok.clone();
            f(&mut i);
            draw(&i)
        };
        assert_eq!(
            with(&|i| i.seed_hex = "abcd".into()),
            Err(DrawError::BadSeed)
        );
        assert_eq!(
            with(&|i| i.seed_hex.replace_range(0..1, "g")),
            Err(DrawError::BadSeed)
        );
        assert_eq!(
            with(&|i| i.seed_hex.push_str("00")),
            Err(DrawError::BadSeed)
        );
        assert_eq!(with(&|i| i.team_size = 1), Err(DrawError::TeamTooSmall));
        assert_eq!(with(&|i| i.team_size = 0), Err(DrawError::TeamTooSmall));
        assert_eq!(
            with(&|i| i.target_count = 21),
            Err(DrawError::NotEnoughTargets)
        );
        assert_eq!(
            with(&|i| i.inspectors.push(c(0x105, 1))),
            Err(DrawError::DuplicateCandidate(id(0x105)))
        );
        assert_eq!(
            with(&|i| i.targets.push(c(0x203, 2))),
            Err(DrawError::DuplicateCandidate(id(0x203)))
        );
        assert_eq!(
            with(&|i| i.targets[4].weight = 0),
            Err(DrawError::ZeroWeight(id(0x204)))
        );
        // All inspectors conflicted with one target that is always drawn (all targets drawn).
        let err = with(&|i| {
            i.target_count = 20;
            i.conflicts
                .extend((0..12).map(|j| (id(0x100 + j), id(0x20A))));
        });
        assert_eq!(
            err,
            Err(DrawError::NotEnoughInspectors { target: id(0x20A) })
        );
        // A team larger than the whole pool.
        let err = with(&|i| i.team_size = 13).unwrap_err();
        assert!(matches!(err, DrawError::NotEnoughInspectors { .. }));
        assert!(err.message_zh().contains("回避"));
        assert!(!DrawError::BadSeed.message_zh().is_empty());
        // Zero targets is a valid (empty) draw.
        assert_eq!(with(&|i| i.target_count = 0).unwrap().assignments, vec![]);
    }

    #[test]
    fn canonical_json_format() {
        let input = DrawInput {
            seed_hex: "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F".into(),
            date: None,
            inspectors: vec![c(2, 1), c(1, 1)],
            targets: vec![c(0xB, 3)],
            target_count: 1,
            team_size: 2,
            conflicts: vec![(id(2), id(0xB)), (id(1), id(0xB)), (id(2), id(0xB))],
        };
        let expected = concat!(
            r#"{"v":"jianan-draw-v1","#,
            r#""seed":"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f","#,
            r#""target_count":1,"team_size":2,"#,
            r#""inspectors":[{"id":"00000000-0000-0000-0000-000000000001","weight":1},"#,
            r#"{"id":"00000000-0000-0000-0000-000000000002","weight":1}],"#,
            r#""targets":[{"id":"00000000-0000-0000-0000-00000000000b","weight":3}],"#,
            r#""conflicts":[["00000000-0000-0000-0000-000000000001","00000000-0000-0000-0000-00000000000b"],"#,
            r#"["00000000-0000-0000-0000-000000000002","00000000-0000-0000-0000-00000000000b"]]}"#
        );
        assert_eq!(canonical_json(&input), expected);
        assert_eq!(input_hash(&input), sha256_hex(expected.as_bytes()));
        let parsed: serde_json::Value = serde_json::from_str(expected).unwrap();
        assert_eq!(parsed["targets"][0]["weight"], 3);
    }

    /// Worked by hand. Seed = bytes 0x00..=0x1f. The expected block was computed with Python:
    /// `hashlib.sha256(bytes(range(32)) + b"jianan-draw-v1" + (0).to_bytes(8, "big")).hexdigest()`.
    #[test]
    fn hand_worked_example() {
        let fixed = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
        let seed_bytes = parse_seed(fixed).unwrap();
        let mut h = Sha256::new();
        h.update(seed_bytes);
        h.update(b"jianan-draw-v1");
        h.update(0u64.to_be_bytes());
        assert_eq!(
            hex::encode(h.finalize()),
            "ba0b407db75430f34cd97b9c3fe1ae751d00f27a5a9cc742f835f8521f996a55"
        );

        // Words of block 0: 0xba0b407db75430f3, 0x4cd97b9c3fe1ae75, 0x1d00f27a5a9cc742, ...
        let mut s = Stream::new(seed_bytes);
        assert_eq!(s.next_u64(), 0xba0b_407d_b754_30f3); // = 13405879624489251059
        assert_eq!(s.next_u64(), 0x4cd9_7b9c_3fe1_ae75); // = 5537593127845604981

        // uniform(6): limit = floor(2^64/6)*6 = 18446744073709551612 > word 0, so accept:
        // 13405879624489251059 mod 6 = 5.
        let mut s = Stream::new(seed_bytes);
        assert_eq!(s.uniform(6), 5);

        // Rejection: n = 2^63 + 1 gives limit = 2^63 + 1; word 0 (≈1.34e19) is rejected and
        // word 1 (5537593127845604981 < limit) is returned unchanged.
        let mut s = Stream::new(seed_bytes);
        assert_eq!(s.uniform((1u64 << 63) + 1), 5_537_593_127_845_604_981);

        // Full draw. Targets T1 (w2), T2 (w1), T3 (w3), one to draw:
        //   r = uniform(6) = 5; T1: 5 ≥ 2 → r = 3; T2: 3 ≥ 1 → r = 2; T3: 2 < 3 → T3.
        // Inspectors I1..I4, I2 recuses from T3 → eligible [I1, I3, I4]:
        //   uniform(3) on word 1: 5537593127845604981 mod 3 = 2 → I4; eligible [I1, I3]:
        //   uniform(2) on word 2: 0x1d00f27a5a9cc742 = 2089936834420066114 mod 2 = 0 → I1.
        // T1, T2, T3 = ids 0x71, 0x72, 0x73; I1..I4 = ids 0x11..0x14 (given out of order).
        let t3 = id(0x73);
        let (i1, i2, i4) = (id(0x11), id(0x12), id(0x14));
        let input = DrawInput {
            seed_hex: fixed.into(),
            date: None,
            inspectors: vec![c(0x14, 1), c(0x12, 1), c(0x11, 1), c(0x13, 1)],
            targets: vec![c(0x73, 3), c(0x71, 2), c(0x72, 1)],
            target_count: 1,
            team_size: 2,
            conflicts: vec![(i2, t3)],
        };
        let result = draw(&input).unwrap();
        assert_eq!(
            result.assignments,
            vec![Assignment {
                target: t3,
                inspectors: vec![i4, i1]
            }]
        );
    }

    /// The input of the cross-implementation vectors.
    fn vector_input(date: Option<NaiveDate>) -> DrawInput {
        DrawInput {
            seed_hex: seed(42),
            date,
            inspectors: (0..7).map(|k| c(0x100 + k, 1)).collect(),
            targets: (0..9).map(|k| c(0x200 + k, 1 + (k % 4) as u32)).collect(),
            target_count: 4,
            team_size: 2,
            conflicts: vec![
                (id(0x100), id(0x200)),
                (id(0x101), id(0x203)),
                (id(0x102), id(0x203)),
                (id(0x104), id(0x205)),
                (id(0x106), id(0x208)),
            ],
        }
    }

    /// Cross-implementation vector: the expected output and commitment were produced by the
    /// Python reference in the module docs (run under CPython 3.11) on exactly this input, dated
    /// 2026-12-02.
    #[test]
    fn python_reference_vector() {
        let input = vector_input(NaiveDate::from_ymd_opt(2026, 12, 2));
        let result = draw(&input).unwrap();
        let expected: DrawResult = serde_json::from_str(PYTHON_VECTOR).unwrap();
        assert_eq!(result, expected);
        assert_eq!(
            commitment_of(&input).unwrap(),
            "e7e9e55a027f328c7c81422885bb6f9b03091ac032e3345bacee36ea39ff0a51"
        );
        assert!(verify_commitment_of(&input, PYTHON_COMMITMENT_UPPER));
    }

    const PYTHON_COMMITMENT_UPPER: &str =
        "E7E9E55A027F328C7C81422885BB6F9B03091AC032E3345BACEE36EA39FF0A51";

    /// A legacy v1 draw (no date) draws the same teams; only its document, input hash and
    /// commitment differ (the v1 reference produced this input hash).
    #[test]
    fn legacy_v1_vector() {
        let input = vector_input(None);
        let result = draw(&input).unwrap();
        let expected: DrawResult = serde_json::from_str(PYTHON_VECTOR).unwrap();
        assert_eq!(result.assignments, expected.assignments);
        assert_eq!(
            result.input_hash,
            "f3224598cd6400761fd0360848556e00bb3a759c40e1462a396d40ef1a956c51"
        );
        assert_eq!(protocol(&input), DRAW_VERSION);
        assert_eq!(
            commitment_of(&input).unwrap(),
            commitment(&input.seed_hex).unwrap()
        );
    }

    /// Worked by hand: the v2 document of a one-target draw, written out key by key, and its
    /// hashes computed independently of this code with coreutils:
    /// `printf '%s' "$DOC" | sha256sum` gives the input hash, and
    /// `printf '%s%s' "$SEED" "$INPUT_HASH" | xxd -r -p | sha256sum` the commitment
    /// (the 32 seed bytes followed by the 32 digest bytes).
    #[test]
    fn v2_commitment_covers_seed_and_input_hash() {
        let fixed = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
        let input = DrawInput {
            seed_hex: fixed.to_ascii_uppercase(),
            date: NaiveDate::from_ymd_opt(2026, 12, 2),
            inspectors: vec![c(2, 1), c(1, 1)],
            targets: vec![c(0xB, 3)],
            target_count: 1,
            team_size: 2,
            conflicts: vec![(id(1), id(0xB)), (id(1), id(0xB))],
        };
        let expected = concat!(
            r#"{"v":"jianan-draw-v2","date":"2026-12-02","#,
            r#""target_count":1,"team_size":2,"#,
            r#""inspectors":[{"id":"00000000-0000-0000-0000-000000000001","weight":1},"#,
            r#"{"id":"00000000-0000-0000-0000-000000000002","weight":1}],"#,
            r#""targets":[{"id":"00000000-0000-0000-0000-00000000000b","weight":3}],"#,
            r#""conflicts":[["00000000-0000-0000-0000-000000000001","00000000-0000-0000-0000-00000000000b"]]}"#
        );
        // The seed is not in the document: it stays secret until the draw is published.
        assert_eq!(canonical_json(&input), expected);
        assert_eq!(protocol(&input), PROTOCOL_V2);
        assert_eq!(
            input_hash(&input),
            "d5e429a8ecdf11e2c134fba9971a1445aabe6ec0bf55d31e0e7bcdeb979f3723"
        );
        let commitment = commitment_of(&input).unwrap();
        assert_eq!(
            commitment,
            "1350752f7efb1b98733044a79bbbd04606d51d23e98e377ed3f4c424e8535e49"
        );
        // Not the seed-only (v1) commitment 630dcd… of the same seed.
        assert_ne!(commitment, self::commitment(fixed).unwrap());
        assert!(verify_commitment_of(&input, &commitment));
        // With inspector 1 recused, target B cannot get a team of two: the service refuses such
        // pools before committing (the vector only fixes the document and its hashes).
        assert_eq!(
            check_staffing(&input.inspectors, &input.targets, 2, &input.conflicts),
            Err(DrawError::NotEnoughInspectors { target: id(0xB) })
        );
        // Any change to the seed, the date, the pool or the team size breaks the commitment.
        let changed = |f: &dyn Fn(&mut DrawInput)| {
            let mut i = input.clone();
            f(&mut i);
            verify_commitment_of(&i, &commitment)
        };
        assert!(!changed(&|i| i.seed_hex = seed(7)));
        assert!(!changed(&|i| i.date = NaiveDate::from_ymd_opt(2026, 12, 3)));
        assert!(!changed(&|i| i.inspectors.push(c(3, 1))));
        assert!(!changed(&|i| i.targets[0].weight = 1));
        assert!(!changed(&|i| i.team_size = 3));
        assert!(!changed(&|i| i.conflicts.clear()));
        assert!(!verify_commitment_of(&input, "not hex"));
    }

    /// Worked by hand with inspectors 1, 2, 3 and targets A, B: inspector 1 recuses from A.
    #[test]
    fn staffing_needs_two_per_team_and_a_full_team_for_every_target() {
        let pool = [c(1, 1), c(2, 1), c(3, 1)];
        let targets = [c(0xA, 1), c(0xB, 1)];
        let recusal = [(id(1), id(0xA))];
        // Teams of 2: A has 2 and 3, B has all three.
        assert_eq!(check_staffing(&pool, &targets, 2, &recusal), Ok(()));
        // A team of one is never allowed, however large the pool.
        assert_eq!(
            check_staffing(&pool, &targets, 1, &[]),
            Err(DrawError::TeamTooSmall)
        );
        // Teams of 3: B can have 1, 2, 3 but A only 2 and 3.
        assert_eq!(
            check_staffing(&pool, &targets, 3, &recusal),
            Err(DrawError::NotEnoughInspectors { target: id(0xA) })
        );
        // Teams of 4 from 3 people (a duplicate id counts once).
        let err = check_staffing(&[c(1, 1), c(2, 1), c(3, 1), c(3, 1)], &targets, 4, &[]);
        assert_eq!(err, Err(DrawError::PoolTooSmall { have: 3, need: 4 }));
        assert_eq!(
            err.unwrap_err().message_zh(),
            "执法检查人员名录只有3人，不足以组成每组4人的检查组"
        );
        // With no target at all, any pool of two forms a team.
        assert_eq!(check_staffing(&pool[..2], &[], 2, &[]), Ok(()));
    }

    const PYTHON_VECTOR: &str = concat!(
        r#"{"assignments":["#,
        r#"{"target":"00000000-0000-0000-0000-000000000201","#,
        r#""inspectors":["00000000-0000-0000-0000-000000000106","00000000-0000-0000-0000-000000000101"]},"#,
        r#"{"target":"00000000-0000-0000-0000-000000000205","#,
        r#""inspectors":["00000000-0000-0000-0000-000000000105","00000000-0000-0000-0000-000000000100"]},"#,
        r#"{"target":"00000000-0000-0000-0000-000000000208","#,
        r#""inspectors":["00000000-0000-0000-0000-000000000104","00000000-0000-0000-0000-000000000100"]},"#,
        r#"{"target":"00000000-0000-0000-0000-000000000206","#,
        r#""inspectors":["00000000-0000-0000-0000-000000000105","00000000-0000-0000-0000-000000000106"]}"#,
        r#"],"input_hash":"c37e6e0c0ed26220d342b6f12b9cbda14565af666db365770dd790919fa55f52"}"#
    );
}
